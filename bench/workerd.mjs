// Keygate on raw workerd, started through Miniflare's API: the runtime `wrangler dev` runs, with
// requests going straight to the Worker's own socket instead of through wrangler's proxy and
// Miniflare's entry Worker. The Worker is bundled by wrangler itself, as it would be deployed.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { schemaStatements } from "../scripts/schema.mjs";

// wrangler's own Miniflare, not whichever other copy is installed: the same workerd build as `wrangler dev`.
const fromWrangler = createRequire(createRequire(import.meta.url).resolve("wrangler"));
/** Also for benches that lay out Workers of their own (bench/geo/topology.mjs). */
export const { Miniflare } = fromWrangler("miniflare");

/** Miniflare's WebSocket client, for the V8 inspector. */
export const WebSocket = createRequire(fromWrangler.resolve("miniflare"))("ws");

/** The least a verify can cost on this runtime: body in, one Durable Object call, JSON out. */
export const FLOOR_WORKER = fileURLToPath(new URL("./floor/worker.js", import.meta.url));

/** The trivial Worker that raw numbers are compared with: one line, JSON out. */
export const TRIVIAL_WORKER = 'export default { fetch: () => Response.json({ status: "ok" }) };';

/** @typedef {{ dir: string, compatibilityDate: string, remove: () => Promise<void> }} WorkerBundle */

/**
 * Bundles src/ with `wrangler deploy --dry-run`; remove() deletes the bundle.
 * @param {string} projectRoot
 * @returns {Promise<WorkerBundle>}
 */
export async function buildWorker(projectRoot) {
  const dir = await mkdtemp(join(tmpdir(), "keygate-bundle-"));
  try {
    await promisify(execFile)("npx", ["wrangler", "deploy", "--dry-run", "--outdir", dir], {
      cwd: projectRoot,
      env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" },
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const { stdout = "", stderr = "" } = /** @type {{ stdout?: string, stderr?: string }} */ (err);
    throw new Error(`bundling the Worker failed:\n${stdout}${stderr}`, { cause: err });
  }
  const toml = await readFile(join(projectRoot, "wrangler.toml"), "utf8");
  const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  if (!compatibilityDate) throw new Error("wrangler.toml has no compatibility_date");
  return { dir, compatibilityDate, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Starts Keygate (and, if asked, the trivial and the floor Worker) with local D1, KV and SQLite-backed Durable
 * Objects under `persistTo`, bound under wrangler.toml's names, and applies schema.sql.
 * Restarting on the same `persistTo` keeps all state, as `wrangler dev --persist-to` does.
 * @param {WorkerBundle} bundle
 * @param {{ persistTo: string, rootKey?: string, trivialWorker?: boolean, floorWorker?: boolean, inspectorPort?: number }} options
 */
export async function startWorkerd(
  bundle,
  { persistTo, rootKey = `root_${randomBytes(24).toString("base64url")}`, trivialWorker = false, floorWorker = false, inspectorPort },
) {
  const { dir, compatibilityDate } = bundle;
  const ownSocket = [{ host: "127.0.0.1", port: 0 }];
  /** @type {object[]} Miniflare's worker options */
  const workers = [
    {
      name: "keygate",
      modules: true,
      scriptPath: join(dir, "index.js"),
      modulesRoot: dir,
      compatibilityDate,
      bindings: { ROOT_KEY: rootKey },
      d1Databases: { DB: "keygate" },
      kvNamespaces: { KEY_CACHE: "keygate" },
      durableObjects: {
        KEY_STATE: { className: "KeyState", useSQLite: true },
        LIMITER: { className: "Limiter", useSQLite: true },
      },
      unsafeDirectSockets: ownSocket,
    },
  ];
  if (trivialWorker) workers.push({ name: "trivial", modules: true, script: TRIVIAL_WORKER, compatibilityDate, unsafeDirectSockets: ownSocket });
  if (floorWorker) {
    workers.push({
      name: "floor",
      modules: true,
      scriptPath: FLOOR_WORKER,
      modulesRoot: dirname(FLOOR_WORKER),
      compatibilityDate,
      durableObjects: { FLOOR_STATE: { className: "FloorState", useSQLite: true } },
      unsafeDirectSockets: ownSocket,
    });
  }

  const mf = new Miniflare({ host: "127.0.0.1", port: 0, inspectorPort, defaultPersistRoot: persistTo, workers });
  try {
    await mf.ready;
    const db = await mf.getD1Database("DB");
    await db.batch(schemaStatements().map((statement) => db.prepare(statement)));
    const origin = async (/** @type {string} */ name) => (await mf.unsafeGetDirectURL(name)).origin;
    return {
      baseUrl: await origin("keygate"),
      trivialUrl: trivialWorker ? await origin("trivial") : undefined,
      floorUrl: floorWorker ? await origin("floor") : undefined,
      rootKey,
      db,
      stop: () => mf.dispose(),
    };
  } catch (err) {
    await mf.dispose();
    throw err;
  }
}

/** A fresh directory for local state, and a way to remove it. */
export async function stateDir() {
  const path = await mkdtemp(join(tmpdir(), "keygate-state-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
