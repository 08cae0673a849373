// The layout `npm run bench:geo` measures, on one raw workerd: an "objects" Worker (Keygate's
// bundle) that hosts the KeyState and Limiter Durable Objects, and several "edge" Workers, each an
// isolate of its own running the same bundle behind bench/geo/edge.js, which delays and counts
// every call they make to those objects. All share one local D1 database and one KV namespace.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { schemaStatements } from "../../scripts/schema.mjs";
import { Miniflare } from "../workerd.mjs";

/** @import { WorkerBundle } from "../workerd.mjs" */

const EDGE_ENTRY = fileURLToPath(new URL("./edge.js", import.meta.url));
/** The edge entry's name beside the bundle's index.js, which it imports as ./index.js. */
const EDGE_MODULE = "geo-edge.js";
const OBJECTS = "objects";

/**
 * What edge.js counts in its isolate: verifies served, and Durable Object calls made, by method.
 * @typedef {{ verifies: number, objectCalls: number, byMethod: Record<string, number> }} EdgeCounts
 */

/**
 * @typedef {object} GeoLayout
 * @property {number} edges how many edge Workers
 * @property {number} objectRttMs the simulated round trip from an edge Worker to a Durable Object
 * @property {Record<string, string>} vars Worker variables for every Worker (the objects' and the edges')
 * @property {string} persistTo local D1, KV and Durable Object state
 */

/**
 * Starts the layout and applies schema.sql; `objectsUrl` reaches the objects Worker with no delay
 * (for seeding), `edgeUrls` one socket per edge Worker.
 * @param {WorkerBundle} bundle
 * @param {GeoLayout} layout
 */
export async function startGeo(bundle, { edges, objectRttMs, vars, persistTo }) {
  const { dir, compatibilityDate } = bundle;
  const rootKey = `root_${randomBytes(24).toString("base64url")}`;
  const ownSocket = [{ host: "127.0.0.1", port: 0 }];
  const shared = { compatibilityDate, d1Databases: { DB: "keygate" }, kvNamespaces: { KEY_CACHE: "keygate" }, unsafeDirectSockets: ownSocket };
  const edgeEntry = await readFile(EDGE_ENTRY, "utf8");
  const edgeNames = Array.from({ length: edges }, (_, i) => `edge-${i + 1}`);

  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    defaultPersistRoot: persistTo,
    workers: [
      {
        ...shared,
        name: OBJECTS,
        modules: true,
        scriptPath: join(dir, "index.js"),
        modulesRoot: dir,
        bindings: { ...vars, ROOT_KEY: rootKey },
        durableObjects: {
          KEY_STATE: { className: "KeyState", useSQLite: true },
          LIMITER: { className: "Limiter", useSQLite: true },
        },
      },
      ...edgeNames.map((name) => ({
        ...shared,
        name,
        modulesRoot: dir,
        modules: [
          { type: "ESModule", path: join(dir, EDGE_MODULE), contents: edgeEntry },
          { type: "ESModule", path: join(dir, "index.js") },
        ],
        bindings: { ...vars, ROOT_KEY: rootKey, GEO_OBJECT_RTT_MS: String(objectRttMs) },
        durableObjects: {
          KEY_STATE: { className: "KeyState", scriptName: OBJECTS, useSQLite: true },
          LIMITER: { className: "Limiter", scriptName: OBJECTS, useSQLite: true },
        },
      })),
    ],
  });
  try {
    await mf.ready;
    const db = await mf.getD1Database("DB", OBJECTS);
    await db.batch(schemaStatements().map((statement) => db.prepare(statement)));
    const origin = async (/** @type {string} */ name) => (await mf.unsafeGetDirectURL(name)).origin;
    const edgeUrls = await Promise.all(edgeNames.map(origin));
    return {
      objectsUrl: await origin(OBJECTS),
      edgeUrls,
      rootKey,
      /** Each edge isolate's counts since it started, in the order of `edgeUrls`. */
      counts: () => Promise.all(edgeUrls.map(readCounts)),
      stop: () => mf.dispose(),
    };
  } catch (err) {
    await mf.dispose();
    throw err;
  }
}

/**
 * @param {string} edgeUrl
 * @returns {Promise<EdgeCounts>}
 */
async function readCounts(edgeUrl) {
  const res = await fetch(`${edgeUrl}/__geo/counts`);
  if (!res.ok) throw new Error(`${edgeUrl}/__geo/counts answered ${res.status}`);
  return /** @type {EdgeCounts} */ (await res.json());
}

/**
 * @param {EdgeCounts[]} all
 * @returns {EdgeCounts}
 */
export function sumCounts(all) {
  /** @type {EdgeCounts} */
  const sum = { verifies: 0, objectCalls: 0, byMethod: {} };
  for (const counts of all) {
    sum.verifies += counts.verifies;
    sum.objectCalls += counts.objectCalls;
    for (const [method, calls] of Object.entries(counts.byMethod)) sum.byMethod[method] = (sum.byMethod[method] ?? 0) + calls;
  }
  return sum;
}

/**
 * What happened between two readings of the same edge Workers.
 * @param {EdgeCounts[]} before
 * @param {EdgeCounts[]} after
 * @returns {EdgeCounts[]}
 */
export function countsBetween(before, after) {
  return after.map((now, i) => {
    const then = before[i];
    /** @type {Record<string, number>} */
    const byMethod = {};
    for (const [method, calls] of Object.entries(now.byMethod)) {
      const made = calls - (then.byMethod[method] ?? 0);
      if (made > 0) byMethod[method] = made;
    }
    return { verifies: now.verifies - then.verifies, objectCalls: now.objectCalls - then.objectCalls, byMethod };
  });
}

/**
 * The temporary directories of a run, removed if a signal ends it. Miniflare's own handler runs
 * right after this one, stops workerd and exits: only synchronous work is sure to happen.
 * @returns {Set<string>}
 */
export function removedOnSignal() {
  /** @type {Set<string>} */
  const dirs = new Set();
  const stopOnSignal = () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  return dirs;
}
