import { sha256 } from "@noble/hashes/sha2.js";
import ipaddr from "ipaddr.js";
import { bearerToken } from "../../auth/rootKey";
import { badRequest } from "../../errors";

/** Limits a key (or its identity) may define to cap reads and writes apart from its `default`. */
const READ_LIMIT = "read";
const WRITE_LIMIT = "write";
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const MAX_PERMISSIONS = 20;
const MAX_NAME_LENGTH = 256;
/** The longest textual IPv6 address with a zone is well under this. */
const MAX_ADDRESS_LENGTH = 64;
const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;
/** Where a proxy sends Keygate's GATEWAY_PROXY_SECRET to be trusted with the client's address. */
const PROXY_SECRET_HEADER = "X-Keygate-Proxy-Secret";

/** What one gateway check asks, read from the auth request and the auth URL's query. */
export interface GatewayCheck {
  apiId: string;
  /** The presented key; undefined when the request carries none. */
  key: string | undefined;
  /** `read` or `write`, after the original request's method. */
  methodLimit: string;
  /** Undefined unless a trusted proxy sent a readable address. */
  clientIp: string | undefined;
  /** All are required. */
  permissions: string[];
  environment: string | undefined;
  /** nginx `auth_request` passes on only 2xx, 401 and 403. */
  nginx: boolean;
}

/**
 * The auth URL's query holds the operator's options: `header` (where the key is), `permission`
 * (repeatable), `environment`. Envoy appends the client's own query to the auth path, so every
 * option may only narrow what is allowed, never widen it; unknown parameters are ignored.
 */
export function readCheck(request: Request, apiId: string, proxySecret: string | undefined): GatewayCheck {
  const query = new URL(request.url).searchParams;
  const headers = request.headers;
  return {
    apiId,
    key: presentedKey(headers, keyHeaderOption(query.get("header"))),
    methodLimit: READ_METHODS.has(originalMethod(headers, request.method)) ? READ_LIMIT : WRITE_LIMIT,
    clientIp: fromTrustedProxy(headers, proxySecret) ? clientAddress(headers) : undefined,
    permissions: permissionOptions(query.getAll("permission")),
    environment: nameOption("environment", query.get("environment")),
    nginx: isNginxSubrequest(headers),
  };
}

/** nginx's examples send X-Original-URI; the other gateways send X-Forwarded-Uri. */
export function isNginxSubrequest(headers: Headers): boolean {
  return headers.has("x-original-uri") && !headers.has("x-forwarded-uri");
}

/**
 * The key from the configured header, or by default from X-API-Key, else from
 * `Authorization: Bearer`: X-API-Key first, so an upstream may keep Authorization for its own
 * sessions.
 */
export function presentedKey(headers: Headers, header: string | undefined): string | undefined {
  const fromHeader = (name: string) => {
    const value = headers.get(name) ?? undefined;
    return name.toLowerCase() === "authorization" ? bearerToken(value) : value?.trim() || undefined;
  };
  if (header) return fromHeader(header);
  return fromHeader("x-api-key") ?? fromHeader("authorization");
}

/** Caddy and Traefik send X-Forwarded-Method, nginx's example X-Original-Method; Envoy keeps the method. */
export function originalMethod(headers: Headers, ownMethod: string): string {
  return (headers.get("x-forwarded-method") || headers.get("x-original-method") || ownMethod).trim().toUpperCase();
}

/**
 * True only when the request carries the configured proxy secret: anyone can send the address
 * headers, so they count only from the proxy. Both values are hashed before a constant-time
 * comparison, so the time taken says nothing about the secret, not even its length.
 */
export function fromTrustedProxy(headers: Headers, proxySecret: string | undefined): boolean {
  const sent = headers.get(PROXY_SECRET_HEADER);
  if (!proxySecret || sent === null) return false;
  const digest = (value: string) => sha256(new TextEncoder().encode(value));
  return crypto.subtle.timingSafeEqual(digest(sent), digest(proxySecret));
}

/**
 * The client's address, for IP allowlists, as a trusted proxy reports it: X-Real-IP, then the
 * first X-Forwarded-For hop (the proxy must overwrite whatever the client sent, as each shipped
 * example does), else CF-Connecting-IP. An address that cannot be parsed is unknown, and an
 * IP-restricted key is then refused.
 */
export function clientAddress(headers: Headers): string | undefined {
  const forwardedFor = headers.get("x-forwarded-for")?.split(",")[0];
  const address = (headers.get("x-real-ip") || forwardedFor || headers.get("cf-connecting-ip") || "").trim();
  return address.length <= MAX_ADDRESS_LENGTH && ipaddr.isValid(address) ? address : undefined;
}

function keyHeaderOption(value: string | null): string | undefined {
  if (value === null || value === "") return undefined;
  if (!HEADER_NAME.test(value)) throw badRequest("header: must be a header name, such as x-api-key or authorization");
  return value;
}

function permissionOptions(values: string[]): string[] {
  const names = values.filter((value) => value !== "");
  if (names.length > MAX_PERMISSIONS) throw badRequest(`permission: at most ${MAX_PERMISSIONS} per auth URL`);
  for (const name of names) nameOption("permission", name);
  return names;
}

/** Empty values count as absent, so a templated auth URL may leave an option blank. */
function nameOption(option: string, value: string | null): string | undefined {
  if (value === null || value === "") return undefined;
  if (value.length > MAX_NAME_LENGTH) throw badRequest(`${option}: must be at most ${MAX_NAME_LENGTH} characters`);
  return value;
}
