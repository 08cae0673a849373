import type { Context } from "hono";
import type { KeyState } from "./counters/keyState";
import type { Limiter } from "./counters/limiter";
import type { RootKeyContext } from "./auth/rootKey";
import type { KeygateError } from "./errors";

export interface Env {
  DB: D1Database;
  KEY_CACHE: KVNamespace;
  KEY_STATE: DurableObjectNamespace<KeyState>;
  LIMITER: DurableObjectNamespace<Limiter>;
  /** The bootstrap root key: every permission in the default workspace. A secret in production. */
  ROOT_KEY?: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    rootKey: RootKeyContext;
    /** Set by a dialect's routes so that errors leave in that dialect's envelope. */
    renderError?: (c: Context<AppEnv>, err: KeygateError) => Response;
  };
}
