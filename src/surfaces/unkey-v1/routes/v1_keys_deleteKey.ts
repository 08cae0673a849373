import { z } from "@hono/zod-openapi";
import { id } from "../../../schemas";
import { deleteKey } from "../../../services/keys/delete";
import { actionRoute } from "../route";

export const { register } = actionRoute({
  path: "/v1/keys.deleteKey",
  tags: ["keys"],
  summary: "Delete a key; it fails its very next verify.",
  body: z.strictObject({ keyId: id, permanent: z.boolean().optional() }),
  done: "Deleted.",
  run: (env, caller, { keyId, permanent }) => deleteKey(env, caller, keyId, permanent),
});
