/// <reference types="node" />
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { IDENTITY_HEADERS } from "../../src/surfaces/gateway/headers";

/**
 * Traefik and Envoy are not installed where the tests run, so their examples are checked for
 * structure here: parsed as YAML, then every part the gateway relies on looked up. nginx and
 * Caddy run for real in gateway.proxies.test.ts.
 */
const example = (path: string) => readFile(fileURLToPath(new URL(`../../examples/${path}`, import.meta.url)), "utf8");
const identity = IDENTITY_HEADERS.map((name) => name.toLowerCase());
/** Keygate believes a client address only next to this header, holding its GATEWAY_PROXY_SECRET. */
const PROXY_SECRET_HEADER = "x-keygate-proxy-secret";
const PROXY_SECRET_PLACEHOLDER = "proxy_secret_REPLACE_ME";

type Matcher = { exact?: string; prefix?: string };
const matches = (patterns: Matcher[], header: string) =>
  patterns.some((p) => (p.exact !== undefined && p.exact.toLowerCase() === header) || (p.prefix !== undefined && header.startsWith(p.prefix.toLowerCase())));

describe("examples/traefik/dynamic.yml", () => {
  it("guards every router with a ForwardAuth middleware asking Keygate's gateway", async () => {
    const { http } = parse(await example("traefik/dynamic.yml"));
    const routers = Object.entries<any>(http.routers);
    expect(routers.length).toBeGreaterThan(0);
    for (const [name, router] of routers) {
      expect(http.services[router.service], `${name}.service`).toBeDefined();
      expect(router.rule, `${name}.rule`).toMatch(/^PathPrefix\(`\/[^`]*`\)$/);
      const auth = router.middlewares.map((m: string) => http.middlewares[m]?.forwardAuth).filter(Boolean);
      expect(auth, `${name} has one ForwardAuth`).toHaveLength(1);
    }
    for (const service of Object.values<any>(http.services)) {
      for (const server of service.loadBalancer.servers) expect(() => new URL(server.url)).not.toThrow();
    }
  });

  it("copies every identity header upstream and never trusts the client's forwarded headers", async () => {
    const { http } = parse(await example("traefik/dynamic.yml"));
    const forwardAuths = Object.values<any>(http.middlewares).filter((m) => m.forwardAuth);
    expect(forwardAuths.length).toBeGreaterThan(0);
    for (const { forwardAuth } of forwardAuths) {
      const address = new URL(forwardAuth.address);
      expect(address.pathname).toMatch(/^\/v1\/gateway\/api_REPLACE_ME$/);
      for (const permission of address.searchParams.getAll("permission")) expect(permission).toMatch(/^\S+$/);
      expect(forwardAuth.trustForwardHeader).toBe(false);
      expect(forwardAuth.authResponseHeaders.map((h: string) => h.toLowerCase()).sort()).toEqual([...identity].sort());
      // Every request header goes to Keygate, the proxy secret among them.
      expect(forwardAuth.authRequestHeaders).toBeUndefined();
    }
  });

  it("sets the proxy secret on each router before its ForwardAuth, and removes it before the upstream", async () => {
    const { http } = parse(await example("traefik/dynamic.yml"));
    const secretHeader = (name: string) => {
      const headers = http.middlewares[name]?.headers?.customRequestHeaders ?? {};
      const key = Object.keys(headers).find((header) => header.toLowerCase() === PROXY_SECRET_HEADER);
      return key === undefined ? undefined : headers[key];
    };
    for (const [name, router] of Object.entries<any>(http.routers)) {
      const chain: string[] = router.middlewares;
      const check = chain.findIndex((m) => http.middlewares[m]?.forwardAuth);
      expect(chain.slice(0, check).map(secretHeader), `${name} before the check`).toContain(PROXY_SECRET_PLACEHOLDER);
      // An empty value removes the header.
      expect(chain.slice(check + 1).map(secretHeader), `${name} after the check`).toContain("");
    }
  });
});

describe("examples/envoy/envoy.yaml", () => {
  const load = async () => {
    const config = parse(await example("envoy/envoy.yaml"));
    const listener = config.static_resources.listeners[0];
    const manager = listener.filter_chains[0].filters[0];
    return { config, manager, filters: manager.typed_config.http_filters as any[] };
  };

  it("is an HTTP connection manager with ext_authz before the router, and known type URLs", async () => {
    const { manager, filters } = await load();
    expect(manager.name).toBe("envoy.filters.network.http_connection_manager");
    expect(manager.typed_config["@type"]).toBe("type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager");
    expect(filters.map((f) => f.name)).toEqual(["envoy.filters.http.ext_authz", "envoy.filters.http.router"]);
    expect(filters[0].typed_config["@type"]).toBe("type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz");
    expect(filters[1].typed_config["@type"]).toBe("type.googleapis.com/envoy.extensions.filters.http.router.v3.Router");
  });

  it("asks Keygate's gateway over a defined cluster and fails closed", async () => {
    const { config, manager, filters } = await load();
    const authz = filters[0].typed_config;
    expect(authz.transport_api_version).toBe("V3");
    expect(authz.failure_mode_allow).toBe(false);
    expect(authz.status_on_error.code).toBe("ServiceUnavailable");
    expect(authz.http_service.path_prefix).toBe("/v1/gateway/api_REPLACE_ME");
    const clusters = new Map((config.static_resources.clusters as any[]).map((c) => [c.name, c]));
    expect(clusters.get(authz.http_service.server_uri.cluster)).toBeDefined();
    expect(authz.http_service.server_uri.timeout).toMatch(/^\d+(\.\d+)?s$/);
    for (const host of manager.typed_config.route_config.virtual_hosts) {
      for (const route of host.routes) expect(clusters.get(route.route.cluster), route.route.cluster).toBeDefined();
    }
    for (const [name, cluster] of clusters) {
      expect(cluster.load_assignment.cluster_name, name).toBe(name);
      const address = cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address;
      expect(Number.isInteger(address.port_value), name).toBe(true);
    }
  });

  it("sends the key and the connection's address, and passes the identity up and the refusal down", async () => {
    const { filters } = await load();
    const authz = filters[0].typed_config;
    expect(matches(authz.allowed_headers.patterns, "x-api-key")).toBe(true);
    expect(authz.http_service.authorization_request.headers_to_add).toContainEqual({ key: "x-real-ip", value: "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%" });
    expect(authz.http_service.authorization_request.headers_to_add).toContainEqual({ key: PROXY_SECRET_HEADER, value: PROXY_SECRET_PLACEHOLDER });
    const response = authz.http_service.authorization_response;
    for (const header of identity) expect(matches(response.allowed_upstream_headers.patterns, header), header).toBe(true);
    for (const header of ["retry-after", "x-key-code", "ratelimit-reset", "content-type"]) {
      expect(matches(response.allowed_client_headers.patterns, header), header).toBe(true);
    }
  });
});

describe("examples/nginx and examples/caddy", () => {
  it("copy every identity header upstream", async () => {
    const nginx = (await example("nginx/nginx.conf")).toLowerCase();
    const caddy = (await example("caddy/Caddyfile")).toLowerCase();
    for (const header of identity) {
      expect(nginx, header).toContain(`proxy_set_header ${header} `);
      expect(nginx, header).toContain(`$upstream_http_${header.replaceAll("-", "_")};`);
      expect(caddy.match(/copy_headers (.*)/)?.[1]?.split(" "), header).toContain(header);
    }
  });

  it("send the proxy secret to Keygate's check, next to the client's address", async () => {
    const nginx = (await example("nginx/nginx.conf")).toLowerCase();
    const caddy = (await example("caddy/Caddyfile")).toLowerCase();
    const placeholder = PROXY_SECRET_PLACEHOLDER.toLowerCase();
    const keygateLocation = nginx.slice(nginx.indexOf("location = /_keygate"), nginx.indexOf("location @keygate_401"));
    expect(keygateLocation).toContain(`proxy_set_header ${PROXY_SECRET_HEADER} ${placeholder};`);
    expect(keygateLocation).toContain("proxy_set_header x-real-ip $remote_addr;");
    const forwardAuth = caddy.slice(caddy.indexOf("forward_auth"), caddy.indexOf("copy_headers"));
    expect(forwardAuth).toContain(`header_up ${PROXY_SECRET_HEADER} ${placeholder}`);
    expect(forwardAuth).toContain("header_up x-real-ip {remote_host}");
  });
});

describe("packages/hono-keygate/README.md", () => {
  it("passes the proxy secret to keygate()", async () => {
    const readme = await readFile(fileURLToPath(new URL("../../packages/hono-keygate/README.md", import.meta.url)), "utf8");
    expect(readme).toMatch(/keygate\(\{[^}]*proxySecret: env\.GATEWAY_PROXY_SECRET/);
  });
});
