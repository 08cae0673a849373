import { keyLinkRoute } from "../keyLinkRoute";

export const { register } = keyLinkRoute("permissions", "remove", "Take direct permissions from a key; its next verify no longer has them.", "Removed.");
