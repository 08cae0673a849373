import { KeygateError } from "../../errors";
import { createSurface, documentRootKeyAuth, refuseOtherMethods } from "../surface";
import { unkeyV2Error } from "./envelope";
import { routes as apis } from "./routes/apis";
import { routes as identities } from "./routes/identities";
import { routes as keygate } from "./routes/keygate";
import { routes as keys } from "./routes/keys";
import { routes as permissions } from "./routes/permissions";
import { routes as ratelimit } from "./routes/ratelimit";
import * as keysVerifyKey from "./routes/v2_keys_verifyKey";
import { v2ValidationHook } from "./schemas";

/**
 * Unkey's v2 HTTP API, which `@unkey/api` 2.x speaks: `POST /v2/<group>.<operation>`, answers in
 * `{ meta, data }` and errors in RFC 7807, over the same services as v1.
 */
export const unkeyV2 = createSurface(unkeyV2Error, ["/v2/*"], v2ValidationHook);
documentRootKeyAuth(unkeyV2);
for (const route of [keysVerifyKey, ...keys, ...apis, ...identities, ...permissions, ...ratelimit, ...keygate]) route.register(unkeyV2);
refuseOtherMethods(unkeyV2);
unkeyV2.all("/v2/*", (c) => {
  throw new KeygateError("NOT_FOUND", `No v2 operation at ${c.req.method} ${new URL(c.req.url).pathname}.`);
});
