import { z } from "@hono/zod-openapi";
import { id } from "../../../schemas";
import { deleteApi } from "../../../services/apis";
import { actionRoute } from "../route";

export const { register } = actionRoute({
  path: "/v1/apis.deleteApi",
  tags: ["apis"],
  summary: "Delete an api and all its keys; they fail their very next verify.",
  body: z.strictObject({ apiId: id }),
  done: "Deleted.",
  run: (env, caller, { apiId }) => deleteApi(env, caller, apiId),
});
