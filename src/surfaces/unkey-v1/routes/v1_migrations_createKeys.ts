import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id, importedKey } from "../../../schemas";
import { createKeys } from "../../../services/migrations";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse, MAX_IMPORTED_KEYS } from "../schemas";

const importedKeyOfApi = importedKey.extend({ apiId: id });

const route = managementRoute({
  method: "post",
  path: "/v1/migrations.createKeys",
  tags: ["migrations"],
  summary: "Import existing keys by plaintext or by SHA-256 hash; all of them or none.",
  request: {
    body: jsonBody(z.array(importedKeyOfApi).min(1, "give at least one key").max(MAX_IMPORTED_KEYS, `import at most ${MAX_IMPORTED_KEYS} keys a call`)),
  },
  responses: jsonResponse(z.object({ keyIds: z.array(z.string()) }), "The new keys' ids, in the order given."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createKeys(c.env, c.var.caller, c.req.valid("json")), 200));
}
