import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import * as getVerificationCounts from "./v2_analytics_getVerificationCounts";
import * as getVerifications from "./v2_analytics_getVerifications";
import * as listLogs from "./v2_audit_listLogs";
import * as liveness from "./v2_liveness";
import * as createRootKey from "./v2_rootKeys_createRootKey";
import * as deleteRootKey from "./v2_rootKeys_deleteRootKey";
import * as listRootKeys from "./v2_rootKeys_listRootKeys";
import * as createWorkspace from "./v2_workspaces_createWorkspace";

/**
 * liveness and analytics.* of Unkey v2, and Keygate's own operations in v2's shape: the analytics
 * Keygate keeps, the audit trail, workspaces and root keys. One file each.
 */
export const routes: { register(app: OpenAPIHono<AppEnv>): void }[] = [
  liveness,
  getVerifications,
  getVerificationCounts,
  listLogs,
  createWorkspace,
  createRootKey,
  listRootKeys,
  deleteRootKey,
];
