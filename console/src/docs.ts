import "./docs.css";

/** Swagger UI's bundle (swagger-ui-dist, served from /docs/assets) defines this global. */
declare global {
  interface Window {
    SwaggerUIBundle?: (options: Record<string, unknown>) => unknown;
  }
}

// The API reference, rendered from Keygate's own /openapi.json. No validator badge (it would
// call a third-party service) and no remembered authorization: a root key typed into "Authorize"
// lives only as long as the page.
window.SwaggerUIBundle?.({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
  docExpansion: "list",
  defaultModelsExpandDepth: 0,
});
