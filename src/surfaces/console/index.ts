import { Hono } from "hono";
import type { AppEnv } from "../../env";

/** Where the operator console's page is: static assets built from console/ (wrangler.toml `[assets]`). */
const CONSOLE_PATH = "/console/";

/**
 * The operator console's one Worker-side route: a browser opening the root is sent to the console.
 * Its pages, scripts and the API reference at /docs/ are static assets, answered before the Worker
 * runs; an API client asking for / still gets the JSON 404.
 */
export const operatorConsole = new Hono<AppEnv>();

operatorConsole.get("/", (c, next) => (c.req.header("accept")?.includes("text/html") ? c.redirect(CONSOLE_PATH, 302) : next()));
