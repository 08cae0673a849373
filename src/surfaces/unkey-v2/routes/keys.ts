import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import * as addPermissions from "./v2_keys_addPermissions";
import * as addRoles from "./v2_keys_addRoles";
import * as createKey from "./v2_keys_createKey";
import * as deleteKey from "./v2_keys_deleteKey";
import * as getKey from "./v2_keys_getKey";
import * as migrateKeys from "./v2_keys_migrateKeys";
import * as removePermissions from "./v2_keys_removePermissions";
import * as removeRoles from "./v2_keys_removeRoles";
import * as rerollKey from "./v2_keys_rerollKey";
import * as revokeKey from "./v2_keys_revokeKey";
import * as setPermissions from "./v2_keys_setPermissions";
import * as setRoles from "./v2_keys_setRoles";
import * as updateCredits from "./v2_keys_updateCredits";
import * as updateKey from "./v2_keys_updateKey";
import * as whoami from "./v2_keys_whoami";

/** The keys.* operations, one file each. */
export const routes: { register(app: OpenAPIHono<AppEnv>): void }[] = [
  createKey,
  getKey,
  whoami,
  updateKey,
  updateCredits,
  deleteKey,
  rerollKey,
  revokeKey,
  addPermissions,
  removePermissions,
  setPermissions,
  addRoles,
  removeRoles,
  setRoles,
  migrateKeys,
];
