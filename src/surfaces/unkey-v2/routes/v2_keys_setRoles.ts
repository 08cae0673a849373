import { keyLinkRoute } from "./v2_keys_links";

export const { register } = keyLinkRoute("roles", "set", "Replace a key's roles with existing ones; its next verify sees exactly these.");
