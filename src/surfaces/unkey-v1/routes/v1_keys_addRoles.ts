import { keyLinkRoute } from "../keyLinkRoute";

export const { register } = keyLinkRoute(
  "roles",
  "add",
  "Give a key roles; those marked `create` are created if missing. The key's next verify sees their permissions.",
  "The roles added, by id and name.",
);
