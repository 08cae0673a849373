import { z } from "@hono/zod-openapi";
import { id } from "../../../schemas";
import { v2Identity } from "../resources";

/** What the identities.* operations share. Not a route. */

/** An identity as the identities.* operations answer it: Unkey v2's, plus Keygate's tier. */
export const identityData = v2Identity
  .extend({ tier: z.string().optional().openapi({ description: "Keygate's own: the identity's tier, carried into verify answers." }) })
  .openapi("V2IdentitiesIdentity");

/** Unkey v2 names an identity by its id or its externalId in one field; an id match wins. */
export const identityRef = id.openapi({ description: "The identity's id, or else its externalId.", example: "user_123" });
