import { keyLinkRoute } from "./v2_keys_links";

export const { register } = keyLinkRoute("permissions", "set", "Replace a key's permissions; missing ones are created. Its next verify sees exactly these.");
