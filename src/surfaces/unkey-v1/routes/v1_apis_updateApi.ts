import { apiUpdate } from "../../../schemas";
import { updateApi } from "../../../services/apis";
import { actionRoute } from "../route";

export const { register } = actionRoute({
  path: "/v1/apis.updateApi",
  tags: ["apis"],
  summary: "Set an api's staleness bound for edge mode (`verifyMaxStalenessMs`); its keys follow it on their next lease.",
  body: apiUpdate,
  done: "Updated.",
  run: updateApi,
});
