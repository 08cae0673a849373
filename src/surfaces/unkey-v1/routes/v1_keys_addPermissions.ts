import { keyLinkRoute } from "../keyLinkRoute";

export const { register } = keyLinkRoute(
  "permissions",
  "add",
  "Give a key permissions; those marked `create` are created if missing. The key's next verify sees them.",
  "The permissions added, by id and name.",
);
