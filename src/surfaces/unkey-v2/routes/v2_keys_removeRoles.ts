import { keyLinkRoute } from "./v2_keys_links";

export const { register } = keyLinkRoute("roles", "remove", "Take roles from a key; its next verify no longer sees them.");
