import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id, ipAllowlist, keyPrefixes, verifyMaxStalenessMs } from "../../../schemas";
import { updateApi } from "../../../services/apis";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const request = z
  .strictObject({
    apiId: id,
    verifyMaxStalenessMs: verifyMaxStalenessMs.optional(),
    ipAllowlist: ipAllowlist.optional().openapi({ description: "Replaces the api's allowlist; [] allows any address." }),
    keyPrefixes: keyPrefixes.optional().openapi({ description: "Replaces the api's default key prefix per environment." }),
  })
  .openapi("V2ApisUpdateApiRequest");

const route = v2Operation({
  path: "/v2/apis.updateApi",
  tags: ["apis"],
  summary: "Keygate's own: change an api's edge-mode staleness bound, IP allowlist or key prefixes.",
  description: "Only the fields given change. The api's keys follow the change from their next lease. Needs `api.*.update_api` or `api.<apiId>.update_api`.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.object({}), "Updated."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await updateApi(c.env, c.var.caller, c.req.valid("json"));
    return c.json(v2Data(c, {}), 200);
  });
}
