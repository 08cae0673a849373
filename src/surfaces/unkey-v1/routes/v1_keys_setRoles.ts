import { keyLinkRoute } from "../keyLinkRoute";

export const { register } = keyLinkRoute("roles", "set", "Replace a key's roles; its next verify sees exactly these.", "The roles now held, by id and name.");
