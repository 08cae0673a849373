import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import * as createApi from "./v2_apis_createApi";
import * as deleteApi from "./v2_apis_deleteApi";
import * as getApi from "./v2_apis_getApi";
import * as listKeys from "./v2_apis_listKeys";
import * as updateApi from "./v2_apis_updateApi";

/** The apis.* operations, one file each. */
export const routes: { register(app: OpenAPIHono<AppEnv>): void }[] = [createApi, getApi, listKeys, updateApi, deleteApi];
