import type { MiddlewareHandler } from "hono";
import { hashKey } from "../crypto/keys";
import type { AppEnv, Env } from "../env";
import { KeygateError } from "../errors";
import { rootKeyByHash } from "../store/rootKeys";
import { callerFrom } from "./caller";

export const DEFAULT_WORKSPACE = "ws_default";
export const BOOTSTRAP_ROOT_KEY_ID = "root_bootstrap";

let bootstrapHash: { secret: string; hash: string } | undefined;

function isBootstrapKey(env: Env, hash: string): boolean {
  if (!env.ROOT_KEY) return false;
  if (bootstrapHash?.secret !== env.ROOT_KEY) bootstrapHash = { secret: env.ROOT_KEY, hash: hashKey(env.ROOT_KEY) };
  return bootstrapHash.hash === hash;
}

/** The Bearer token of a request, or undefined when the header is missing or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

/** Authenticates management calls (the ROOT_KEY variable, or a root key stored in D1) and sets `c.var.caller`. */
export function requireRootKey(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    if (!token) {
      throw new KeygateError("UNAUTHORIZED", "Send a root key as `Authorization: Bearer <root key>`.");
    }
    if (token.length > 1024) throw new KeygateError("UNAUTHORIZED", "The root key is not valid.");
    const hash = hashKey(token);
    if (isBootstrapKey(c.env, hash)) {
      c.set("caller", callerFrom(c, { id: BOOTSTRAP_ROOT_KEY_ID, workspaceId: DEFAULT_WORKSPACE, permissions: ["*"], expires: null }));
      return next();
    }
    const row = await rootKeyByHash(c.env.DB, hash);
    if (!row || (row.expires !== null && row.expires <= Date.now())) {
      const hint = c.env.ROOT_KEY ? "" : " No ROOT_KEY is configured: set it with `wrangler secret put ROOT_KEY` (or `--var ROOT_KEY:…` locally).";
      throw new KeygateError("UNAUTHORIZED", `The root key is not valid.${hint}`);
    }
    c.set("caller", callerFrom(c, { id: row.id, workspaceId: row.workspace_id, permissions: JSON.parse(row.permissions), expires: row.expires }));
    return next();
  };
}
