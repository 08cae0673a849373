import { keyLinkRoute } from "./v2_keys_links";

export const { register } = keyLinkRoute("permissions", "add", "Give a key permissions; missing ones are created. The key's next verify sees them.");
