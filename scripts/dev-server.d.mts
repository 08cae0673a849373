export interface DevServer {
  /** e.g. http://127.0.0.1:41234, without a trailing slash. */
  baseUrl: string;
  rootKey: string;
  /** Where local D1, KV and Durable Object state lives; pass it to a later server to resume it. */
  persistTo: string;
  /** The last part of wrangler's stdout and stderr. */
  output(): string;
  /** Stops wrangler and everything it started; removes `persistTo` if this server created it. */
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** Reuse this state directory (it is kept on stop). Default: a fresh temporary one. */
  persistTo?: string;
  /** Default: a random one. */
  rootKey?: string;
  /**
   * More secret variables for the Worker, e.g. `{ GATEWAY_PROXY_SECRET: "…" }`. Like ROOT_KEY they
   * reach wrangler in a file that only this user can read, never on its command line.
   */
  secrets?: Record<string, string>;
  /** More arguments for `wrangler dev`. */
  extraArgs?: string[];
}

export function startDevServer(options?: DevServerOptions): Promise<DevServer>;
/** A fresh directory for local state; whoever asks for it removes it (see removePersistDir). */
export function newPersistDir(): Promise<string>;
export function removePersistDir(dir: string): Promise<void>;
export function freePort(): Promise<number>;
export function sleep(ms: number): Promise<void>;

export interface OtherWorker {
  baseUrl: string;
  output(): string;
  /** Stops wrangler and removes the Worker's local state. */
  stop(): Promise<void>;
}

/** `wrangler dev --config <config>` with fresh local state; resolves once `livePath` answers. */
export function startOtherWorker(options: { config: string; livePath: string; extraArgs?: string[] }): Promise<OtherWorker>;
