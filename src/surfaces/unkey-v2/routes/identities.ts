import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import * as createIdentity from "./v2_identities_createIdentity";
import * as deleteIdentity from "./v2_identities_deleteIdentity";
import * as getIdentity from "./v2_identities_getIdentity";
import * as listIdentities from "./v2_identities_listIdentities";
import * as updateIdentity from "./v2_identities_updateIdentity";

/** The identities.* operations, one file each. */
export const routes: { register(app: OpenAPIHono<AppEnv>): void }[] = [createIdentity, getIdentity, listIdentities, updateIdentity, deleteIdentity];
