import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { plaintextKey } from "../../schemas";
import { verifyKey } from "../../services/verify";
import { createSurface } from "../surface";
import { readCheck } from "./request";
import { allow, deny, renderGatewayError } from "./response";

/**
 * The auth endpoint for reverse proxies (nginx auth_request, Caddy forward_auth, Traefik
 * ForwardAuth, Envoy ext_authz): any method, any path suffix (the original path some gateways
 * append), no body. 200 lets the request through with the key's identity in headers; 401, 403
 * and 429 refuse it. Each check is one verification: 1 credit, the key's limits, analytics.
 * See examples/README.md.
 */
export const gateway = createSurface(renderGatewayError, ["/v1/gateway/*"]);
gateway.all("/v1/gateway/:apiId", check);
gateway.all("/v1/gateway/:apiId/*", check);

async function check(c: Context<AppEnv>): Promise<Response> {
  const request = readCheck(c.req.raw, c.req.param("apiId")!, c.env.GATEWAY_PROXY_SECRET);
  if (request.key === undefined) return deny(c, "UNAUTHORIZED");
  // No key Keygate issues looks like this: refused without a lookup.
  if (!plaintextKey.safeParse(request.key).success) return deny(c, "NOT_FOUND");
  const result = await verifyKey(
    c.env,
    {
      key: request.key,
      apiId: request.apiId,
      permissions: request.permissions.length > 0 ? { and: request.permissions } : undefined,
      creditCost: 1,
      ratelimitCost: 1,
      optionalRatelimits: [request.methodLimit],
      environment: request.environment,
      clientIp: request.clientIp,
    },
    c.executionCtx,
  );
  if (result.code === "VALID") return allow(c, result);
  // Told apart from an address outside the allowlist, so that a proxy that sends no address, or
  // not the proxy secret, is easy to spot.
  return deny(c, result.addressUnknown ? "CLIENT_ADDRESS_UNKNOWN" : result.code, result);
}
