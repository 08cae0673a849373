import { createApp } from "./app";

export { KeyState } from "./counters/keyState";
export { Limiter } from "./counters/limiter";

export default createApp();
