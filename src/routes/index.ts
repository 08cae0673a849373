import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import * as apisCreateApi from "./v1_apis_createApi";
import * as apisDeleteApi from "./v1_apis_deleteApi";
import * as apisGetApi from "./v1_apis_getApi";
import * as apisListKeys from "./v1_apis_listKeys";
import * as keysCreateKey from "./v1_keys_createKey";
import * as keysDeleteKey from "./v1_keys_deleteKey";
import * as keysGetKey from "./v1_keys_getKey";
import * as keysUpdateKey from "./v1_keys_updateKey";
import * as keysUpdateRemaining from "./v1_keys_updateRemaining";
import * as keysVerifyKey from "./v1_keys_verifyKey";
import * as keysRevokeKey from "./v1_keys_revokeKey";
import * as keysRerollKey from "./v1_keys_rerollKey";
import * as workspacesCreateWorkspace from "./v1_workspaces_createWorkspace";
import * as rootKeysCreateRootKey from "./v1_rootKeys_createRootKey";
import * as rootKeysListRootKeys from "./v1_rootKeys_listRootKeys";
import * as rootKeysDeleteRootKey from "./v1_rootKeys_deleteRootKey";
import * as auditListLogs from "./v1_audit_listLogs";
import * as keysWhoami from "./v1_keys_whoami";
import * as liveness from "./v1_liveness";
import * as komboCheckApiKey from "./v1_checkApiKey";
import * as konproValidate from "./v1_apiKeys_validate";
import * as kirimMe from "./v1_me";
import * as permissionsCreatePermission from "./v1_permissions_createPermission";
import * as permissionsGetPermission from "./v1_permissions_getPermission";
import * as permissionsListPermissions from "./v1_permissions_listPermissions";
import * as permissionsDeletePermission from "./v1_permissions_deletePermission";
import * as permissionsCreateRole from "./v1_permissions_createRole";
import * as permissionsGetRole from "./v1_permissions_getRole";
import * as permissionsListRoles from "./v1_permissions_listRoles";
import * as permissionsDeleteRole from "./v1_permissions_deleteRole";
import * as keysAddPermissions from "./v1_keys_addPermissions";
import * as keysRemovePermissions from "./v1_keys_removePermissions";
import * as keysSetPermissions from "./v1_keys_setPermissions";
import * as keysAddRoles from "./v1_keys_addRoles";
import * as keysRemoveRoles from "./v1_keys_removeRoles";
import * as keysSetRoles from "./v1_keys_setRoles";

import * as identitiesCreateIdentity from "./v1_identities_createIdentity";
import * as identitiesGetIdentity from "./v1_identities_getIdentity";
import * as identitiesListIdentities from "./v1_identities_listIdentities";
import * as identitiesUpdateIdentity from "./v1_identities_updateIdentity";
import * as identitiesDeleteIdentity from "./v1_identities_deleteIdentity";
import * as ratelimitsLimit from "./v1_ratelimits_limit";
import * as ratelimitsSetOverride from "./v1_ratelimits_setOverride";
import * as ratelimitsGetOverride from "./v1_ratelimits_getOverride";
import * as ratelimitsListOverrides from "./v1_ratelimits_listOverrides";
import * as ratelimitsDeleteOverride from "./v1_ratelimits_deleteOverride";
import * as keysGetVerifications from "./v1_keys_getVerifications";
import * as analyticsGetVerifications from "./v1_analytics_getVerifications";
import * as gateway from "./v1_gateway";
import * as migrationsCreateKeys from "./v1_migrations_createKeys";
import * as migrationsEnqueueKeys from "./v1_migrations_enqueueKeys";
/** One file per endpoint; each registers its own route and schema. */
const routes = [
  liveness,
  apisCreateApi,
  apisGetApi,
  apisDeleteApi,
  apisListKeys,
  keysCreateKey,
  keysGetKey,
  keysUpdateKey,
  keysDeleteKey,
  keysWhoami,
  keysUpdateRemaining,
  keysVerifyKey,
  keysRevokeKey,
  keysRerollKey,
  workspacesCreateWorkspace,
  rootKeysCreateRootKey,
  rootKeysListRootKeys,
  rootKeysDeleteRootKey,
  auditListLogs,
  permissionsCreatePermission,
  permissionsGetPermission,
  permissionsListPermissions,
  permissionsDeletePermission,
  permissionsCreateRole,
  permissionsGetRole,
  permissionsListRoles,
  permissionsDeleteRole,
  keysAddPermissions,
  keysRemovePermissions,
  keysSetPermissions,
  keysAddRoles,
  keysRemoveRoles,
  keysSetRoles,
  identitiesCreateIdentity,
  identitiesGetIdentity,
  identitiesListIdentities,
  identitiesUpdateIdentity,
  identitiesDeleteIdentity,
  ratelimitsLimit,
  ratelimitsSetOverride,
  ratelimitsGetOverride,
  ratelimitsListOverrides,
  ratelimitsDeleteOverride,
  keysGetVerifications,
  analyticsGetVerifications,
  komboCheckApiKey,
  konproValidate,
  kirimMe,
  gateway,
  migrationsCreateKeys,
  migrationsEnqueueKeys,
];

export function registerRoutes(app: OpenAPIHono<AppEnv>) {
  for (const route of routes) route.register(app);
}
