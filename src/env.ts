import type { Caller } from "./auth/caller";
import type { KeyState } from "./counters/keyState";
import type { Limiter } from "./counters/limiter";

export interface Env {
  DB: D1Database;
  KEY_CACHE: KVNamespace;
  KEY_STATE: DurableObjectNamespace<KeyState>;
  LIMITER: DurableObjectNamespace<Limiter>;
  /** The bootstrap root key: every permission in the default workspace. A secret in production. */
  ROOT_KEY?: string;
  /**
   * Shared with the reverse proxies (and Hono middleware) in front of the gateway route, which send
   * it in X-Keygate-Proxy-Secret: only a request carrying it may name the client's address in
   * X-Real-IP, X-Forwarded-For or CF-Connecting-IP. Unset, those headers are ignored and a key with
   * an IP allowlist is refused at the gateway. A secret in production (`wrangler secret put`).
   */
  GATEWAY_PROXY_SECRET?: string;
  /**
   * Edge mode (docs/architecture.md): how stale, in ms, a verify may be, so that an isolate can
   * answer a key it has seen recently without a Durable Object call. 0 or unset: strict mode, where
   * every change is seen by the very next verify. An api's own bound overrides it.
   */
  VERIFY_MAX_STALENESS_MS?: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Who made a management call; set by requireRootKey. */
    caller: Caller;
  };
}
