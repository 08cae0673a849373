import { createSurface, documentRootKeyAuth, refuseOtherMethods } from "../surface";
import { unkeyError } from "./envelope";
import * as analyticsGetVerifications from "./routes/v1_analytics_getVerifications";
import * as apisCreateApi from "./routes/v1_apis_createApi";
import * as apisDeleteApi from "./routes/v1_apis_deleteApi";
import * as apisGetApi from "./routes/v1_apis_getApi";
import * as apisListApis from "./routes/v1_apis_listApis";
import * as apisListKeys from "./routes/v1_apis_listKeys";
import * as apisUpdateApi from "./routes/v1_apis_updateApi";
import * as auditListLogs from "./routes/v1_audit_listLogs";
import * as identitiesCreateIdentity from "./routes/v1_identities_createIdentity";
import * as identitiesDeleteIdentity from "./routes/v1_identities_deleteIdentity";
import * as identitiesGetIdentity from "./routes/v1_identities_getIdentity";
import * as identitiesListIdentities from "./routes/v1_identities_listIdentities";
import * as identitiesUpdateIdentity from "./routes/v1_identities_updateIdentity";
import * as keysAddPermissions from "./routes/v1_keys_addPermissions";
import * as keysAddRoles from "./routes/v1_keys_addRoles";
import * as keysCreateKey from "./routes/v1_keys_createKey";
import * as keysDeleteKey from "./routes/v1_keys_deleteKey";
import * as keysGetKey from "./routes/v1_keys_getKey";
import * as keysGetVerifications from "./routes/v1_keys_getVerifications";
import * as keysRemovePermissions from "./routes/v1_keys_removePermissions";
import * as keysRemoveRoles from "./routes/v1_keys_removeRoles";
import * as keysRerollKey from "./routes/v1_keys_rerollKey";
import * as keysRevokeKey from "./routes/v1_keys_revokeKey";
import * as keysSetPermissions from "./routes/v1_keys_setPermissions";
import * as keysSetRoles from "./routes/v1_keys_setRoles";
import * as keysUpdateKey from "./routes/v1_keys_updateKey";
import * as keysUpdateRemaining from "./routes/v1_keys_updateRemaining";
import * as keysVerifyKey from "./routes/v1_keys_verifyKey";
import * as keysWhoami from "./routes/v1_keys_whoami";
import * as liveness from "./routes/v1_liveness";
import * as migrationsCreateKeys from "./routes/v1_migrations_createKeys";
import * as migrationsEnqueueKeys from "./routes/v1_migrations_enqueueKeys";
import * as permissionsCreatePermission from "./routes/v1_permissions_createPermission";
import * as permissionsCreateRole from "./routes/v1_permissions_createRole";
import * as permissionsDeletePermission from "./routes/v1_permissions_deletePermission";
import * as permissionsDeleteRole from "./routes/v1_permissions_deleteRole";
import * as permissionsGetPermission from "./routes/v1_permissions_getPermission";
import * as permissionsGetRole from "./routes/v1_permissions_getRole";
import * as permissionsListPermissions from "./routes/v1_permissions_listPermissions";
import * as permissionsListRoles from "./routes/v1_permissions_listRoles";
import * as ratelimitsDeleteOverride from "./routes/v1_ratelimits_deleteOverride";
import * as ratelimitsGetOverride from "./routes/v1_ratelimits_getOverride";
import * as ratelimitsLimit from "./routes/v1_ratelimits_limit";
import * as ratelimitsListOverrides from "./routes/v1_ratelimits_listOverrides";
import * as ratelimitsSetOverride from "./routes/v1_ratelimits_setOverride";
import * as rootKeysCreateRootKey from "./routes/v1_rootKeys_createRootKey";
import * as rootKeysDeleteRootKey from "./routes/v1_rootKeys_deleteRootKey";
import * as rootKeysListRootKeys from "./routes/v1_rootKeys_listRootKeys";
import * as rootKeysWhoami from "./routes/v1_rootKeys_whoami";
import * as workspacesCreateWorkspace from "./routes/v1_workspaces_createWorkspace";

/** One file per endpoint; each registers its own route and schema. */
const routes = [
  liveness,
  apisCreateApi,
  apisGetApi,
  apisListApis,
  apisUpdateApi,
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
  rootKeysWhoami,
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
  migrationsCreateKeys,
  migrationsEnqueueKeys,
];

/** Unkey's v1 HTTP API: every /v1 path no other surface answers, in Unkey's error envelope. */
export const unkeyV1 = createSurface(unkeyError, ["/v1/*"]);
documentRootKeyAuth(unkeyV1);
for (const route of routes) route.register(unkeyV1);
refuseOtherMethods(unkeyV1);
