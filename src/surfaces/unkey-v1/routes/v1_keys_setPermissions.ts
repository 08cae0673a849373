import { keyLinkRoute } from "../keyLinkRoute";

export const { register } = keyLinkRoute(
  "permissions",
  "set",
  "Replace a key's direct permissions; its next verify sees exactly these.",
  "The permissions now held, by id and name.",
);
