import { keyLinkRoute } from "./v2_keys_links";

export const { register } = keyLinkRoute("roles", "add", "Give a key existing roles. The key's next verify sees them.");
