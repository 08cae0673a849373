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
import * as keysWhoami from "./v1_keys_whoami";
import * as liveness from "./v1_liveness";

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
];

export function registerRoutes(app: OpenAPIHono<AppEnv>) {
  for (const route of routes) route.register(app);
}
