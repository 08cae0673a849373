import { z } from "@hono/zod-openapi";
import { namespaceRef } from "../../../schemas";
import { deleteOverride } from "../../../services/overrides";
import { actionRoute } from "../route";

export const { register } = actionRoute({
  path: "/v1/ratelimits.deleteOverride",
  tags: ["ratelimits"],
  summary: "Remove an identifier's override; ratelimits.limit uses the limit it is given again.",
  body: z.strictObject({ ...namespaceRef, identifier: z.string().min(1).max(256) }),
  done: "Removed.",
  run: deleteOverride,
});
