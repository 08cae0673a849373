import { keyLinkRoute } from "../keyLinkRoute";

export const { register } = keyLinkRoute("roles", "remove", "Take roles from a key; its next verify no longer has their permissions.", "Removed.");
