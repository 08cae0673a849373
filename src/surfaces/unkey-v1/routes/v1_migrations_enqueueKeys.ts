import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id, importedKey } from "../../../schemas";
import { createKeys } from "../../../services/migrations";
import { managementRoute } from "../route";
import { jsonBody, MAX_IMPORTED_KEYS, unkeyErrorResponses } from "../schemas";

const request = z.strictObject({
  migrationId: z.string().min(1).max(256).openapi({ description: "Accepted for compatibility with Unkey; Keygate keeps no migration records." }),
  apiId: id,
  keys: z.array(importedKey).min(1, "give at least one key").max(MAX_IMPORTED_KEYS, `import at most ${MAX_IMPORTED_KEYS} keys a call`),
});

const route = managementRoute({
  method: "post",
  path: "/v1/migrations.enqueueKeys",
  tags: ["migrations"],
  summary: "Import existing keys into one api, as migrations.createKeys does: at once, all of them or none.",
  description:
    "Unkey queues these keys and imports them later. Keygate imports them before it answers, so a key that cannot be imported refuses the whole call here, and nothing is imported.",
  request: { body: jsonBody(request) },
  responses: { 202: { description: "The keys were imported.", content: { "application/json": { schema: z.object({}) } } }, ...unkeyErrorResponses },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { apiId, keys } = c.req.valid("json");
    await createKeys(
      c.env,
      c.var.caller,
      keys.map((key) => ({ ...key, apiId })),
    );
    return c.json({}, 202);
  });
}
