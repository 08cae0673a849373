import { createRoute } from "@hono/zod-openapi";
import { workspaceName } from "../../services/tenancy";
import { bearerHeaders, bearerKey, introspect, refusal } from "../introspection";
import { createSurface, refuseOtherMethods } from "../surface";
import { kirimError, kirimErrorResponses, kirimMe, kirimMeSchema } from "./envelope";

const route = createRoute({
  method: "get",
  path: "/v1/me",
  tags: ["kirim"],
  summary: "Kirim: the organization, key and rate limits behind the Bearer key. Spends no credits.",
  request: { headers: bearerHeaders },
  responses: {
    200: { description: "The key's context.", content: { "application/json": { schema: kirimMeSchema } } },
    ...kirimErrorResponses,
  },
});

/** Kirim's introspection route, in Kirim's envelopes. */
export const kirim = createSurface(kirimError, ["/v1/me"]);
kirim.openapi(route, async (c) => {
  const result = await introspect(c, bearerKey(c.req.header("authorization")));
  const refused = refusal(result);
  if (refused) throw refused;
  const organizationName = await workspaceName(c.env, result.workspaceId!);
  return c.json(kirimMe(result, organizationName, c.get("requestId")), 200);
});
refuseOtherMethods(kirim);
