import { z } from "@hono/zod-openapi";
import { id } from "../../../schemas";
import { deleteRootKey } from "../../../services/tenancy";
import { actionRoute } from "../route";

export const { register } = actionRoute({
  path: "/v1/rootKeys.deleteRootKey",
  tags: ["rootKeys"],
  summary: "Delete a root key; its next call is refused.",
  body: z.strictObject({ keyId: id }),
  done: "Deleted.",
  run: (env, caller, { keyId }) => deleteRootKey(env, caller, keyId),
});
