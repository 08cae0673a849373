import { z } from "@hono/zod-openapi";
import { id } from "../../../schemas";
import { deleteIdentity } from "../../../services/identities";
import { actionRoute } from "../route";

export const { register } = actionRoute({
  path: "/v1/identities.deleteIdentity",
  tags: ["identities"],
  summary: "Delete an identity. Its keys keep working, without its limits and meta.",
  body: z.strictObject({ identityId: id }),
  done: "Deleted.",
  run: (env, caller, { identityId }) => deleteIdentity(env, caller, identityId),
});
