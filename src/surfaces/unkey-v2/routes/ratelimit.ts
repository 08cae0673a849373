import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import * as deleteOverride from "./v2_ratelimit_deleteOverride";
import * as getOverride from "./v2_ratelimit_getOverride";
import * as limit from "./v2_ratelimit_limit";
import * as listOverrides from "./v2_ratelimit_listOverrides";
import * as multiLimit from "./v2_ratelimit_multiLimit";
import * as setOverride from "./v2_ratelimit_setOverride";

/** The ratelimit.* operations, one file each. */
export const routes: { register(app: OpenAPIHono<AppEnv>): void }[] = [limit, multiLimit, setOverride, getOverride, listOverrides, deleteOverride];
