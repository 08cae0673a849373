import { keyLinkRoute } from "./v2_keys_links";

export const { register } = keyLinkRoute("permissions", "remove", "Take permissions (by name or id) from a key; its next verify no longer sees them.");
