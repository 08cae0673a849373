// `npm run bench:geo`: verify latency and throughput when the Durable Objects are far away. One raw
// workerd runs the objects Worker and several edge Workers (bench/geo/topology.mjs), where every
// call an edge isolate makes to a Durable Object first waits a simulated round trip
// (bench/geo/edge.js). For strict and edge mode, and for a plain, a rate-limited and a credits
// key, each verify path is loaded on all edge Workers at once and reported as ratios to
// GET /v1/liveness on the same Workers in the same run, beside the Durable Object calls made per
// 1,000 verifies. Writes bench/results/geo.json and docs/bench-geo.svg.
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { finalLines, geoChart, geoTable, REFERENCE_KEY } from "./geo/report.mjs";
import { countsBetween, removedOnSignal, startGeo, sumCounts } from "./geo/topology.mjs";
import { loadGenerator, measureTogether } from "./load.mjs";
import { getRequest, manage, neverIssuedKey, probe, verifyRequest } from "./seed.mjs";
import { positiveInteger } from "./settings.mjs";
import { median } from "./stats.mjs";
import { buildWorker, stateDir } from "./workerd.mjs";

/** @import { LoadResult } from "./load.mjs" */
/** @import { BenchRequest } from "./seed.mjs" */
/** @import { EdgeCounts } from "./geo/topology.mjs" */
/** @import { GeoRow } from "./geo/report.mjs" */

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

const settings = {
  edges: positiveInteger("GEO_EDGES", 3),
  /** Simulated round trips from an edge isolate to the Durable Objects; 0 is allowed. */
  rttsMs: roundTrips("GEO_RTTS_MS", [0, 50, 150]),
  /** Edge mode's VERIFY_MAX_STALENESS_MS. */
  stalenessMs: positiveInteger("GEO_STALENESS_MS", 1000),
  /** Each measured run of a path; a path runs once a round. Whole seconds, as wrk takes them. */
  seconds: positiveInteger("GEO_SECONDS", 2),
  rounds: positiveInteger("GEO_ROUNDS", 3),
  warmupSeconds: positiveInteger("GEO_WARMUP_SECONDS", 1),
  /** Keep-alive connections to each edge Worker. */
  connections: positiveInteger("GEO_CONNECTIONS", 4),
  /** Per edge Worker and run; far above what a run reaches: a safety stop, not a target. */
  maxRequests: positiveInteger("GEO_MAX_REQUESTS", 2_000_000),
};

/** Strict mode leaves VERIFY_MAX_STALENESS_MS unset, as a deployment does by default. @type {{ mode: string, vars: Record<string, string> }[]} */
const MODES = [
  { mode: "strict", vars: {} },
  { mode: "edge", vars: { VERIFY_MAX_STALENESS_MS: String(settings.stalenessMs) } },
];

/**
 * The keys verified, created through the management API. The limits are far above what a run can
 * spend, so that every verify is admitted and charged. The never-issued key (no `create`) is the
 * reference: a verify answered in the isolate with no Durable Object call in either mode.
 * @type {{ key: string, create?: object, expect: (answer: any) => boolean }[]}
 */
const KEY_KINDS = [
  { key: "plain", create: {}, expect: (a) => a.valid === true },
  { key: "ratelimited", create: { ratelimit: { limit: 1_000_000, duration: 60_000 } }, expect: (a) => a.valid === true && a.ratelimit !== undefined },
  { key: "credits", create: { remaining: 100_000_000 }, expect: (a) => a.valid === true && typeof a.remaining === "number" },
  { key: REFERENCE_KEY, expect: (a) => a.code === "NOT_FOUND" },
];

/**
 * A path sent to every edge Worker at once: one request each, differing only in origin.
 * @typedef {{ name: string, requests: BenchRequest[], expect?: (answer: any) => boolean }} GeoPath
 */

/** The bundle's and the running layout's state directories. */
const temporaryDirs = removedOnSignal();

console.log(
  `geo: ${settings.edges} edge Workers, round trips ${settings.rttsMs.join(", ")} ms, ${loadGenerator} with ${settings.connections} connections to each, ` +
    `${settings.rounds} rounds of ${settings.seconds} s a path (warm-up ${settings.warmupSeconds} s); edge mode: VERIFY_MAX_STALENESS_MS=${settings.stalenessMs}`,
);
const bundle = await buildWorker(PROJECT_ROOT);
temporaryDirs.add(bundle.dir);
/** @type {GeoRow[]} */
const rows = [];
try {
  for (const rttMs of settings.rttsMs) {
    for (const { mode, vars } of MODES) {
      console.log(`\nrtt=${rttMs} ms, ${mode} mode:`);
      const measured = await measureConfiguration(rttMs, mode, vars);
      console.log(geoTable(measured));
      rows.push(...measured);
    }
  }
} finally {
  await bundle.remove();
}

const report = {
  generatedAt: new Date().toISOString(),
  command: commandLine(),
  machine: { cpus: availableParallelism(), node: process.version, loadGenerator, stateDir: tmpdir() },
  settings,
  rows,
};
await mkdir(new URL("results/", import.meta.url), { recursive: true });
await writeFile(new URL("results/geo.json", import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nall configurations:\n${geoTable(rows)}\n`);
console.log(finalLines(rows).join("\n"));
const failed = rows.filter((row) => row.errors > 0);
// A path that answered errors was not measuring what it names: keep the published chart.
if (failed.length > 0) {
  console.error(`non-2xx answers or socket errors on: ${failed.map((row) => `rtt=${row.rttMs} ${row.mode} ${row.key}`).join(", ")}; docs/ left unchanged`);
  process.exit(1);
}
await writeFile(new URL("../docs/bench-geo.svg", import.meta.url), geoChart(rows));
console.log("wrote bench/results/geo.json, docs/bench-geo.svg");

/**
 * One layout, fresh state, fresh keys: liveness and each key's verify, interleaved in rounds.
 * @param {number} rttMs
 * @param {string} mode
 * @param {Record<string, string>} vars
 * @returns {Promise<GeoRow[]>}
 */
async function measureConfiguration(rttMs, mode, vars) {
  const state = await stateDir();
  temporaryDirs.add(state.path);
  const geo = await startGeo(bundle, { edges: settings.edges, objectRttMs: rttMs, vars, persistTo: state.path });
  try {
    // Seeded through the objects Worker: the keys exist before any edge isolate has seen them.
    const { apiId } = await manage(geo.objectsUrl, geo.rootKey, "apis.createApi", { name: "geo" });
    const liveness = { name: "liveness", requests: geo.edgeUrls.map((url) => getRequest(`${url}/v1/liveness`)) };
    /** @type {(GeoPath & { key: string })[]} */
    const verifies = [];
    for (const { key, create, expect } of KEY_KINDS) {
      const plaintext = create ? (await manage(geo.objectsUrl, geo.rootKey, "keys.createKey", { apiId, prefix: "geo", ...create })).key : neverIssuedKey();
      verifies.push({ name: `verify: ${key}`, key, requests: geo.edgeUrls.map((url) => verifyRequest(url, { apiId, key: plaintext })), expect });
    }
    await expectAnswers([liveness, ...verifies]);
    // Warm: each isolate has cached the keys and, in edge mode, holds their leases.
    for (const path of [liveness, ...verifies]) await measureTogether(path.requests, limits(settings.warmupSeconds));

    const slice = limits(settings.seconds);
    const livenessRuns = [await measureTogether(liveness.requests, slice)];
    /** @type {{ load: LoadResult, counts: EdgeCounts[] }[][]} */
    const runs = verifies.map(() => []);
    for (let round = 0; round < settings.rounds; round++) {
      // Rotated, so that no key always runs right after liveness.
      for (let i = 0; i < verifies.length; i++) {
        const index = (i + round) % verifies.length;
        const before = await geo.counts();
        const load = await measureTogether(verifies[index].requests, slice);
        runs[index].push({ load, counts: countsBetween(before, await geo.counts()) });
      }
      livenessRuns.push(await measureTogether(liveness.requests, slice));
    }
    // Still admitted after the load: no run was measuring denials.
    await expectAnswers(verifies);
    return verifies.map((path, i) => summarize(rttMs, mode, path.key, runs[i], livenessRuns));
  } finally {
    await geo.stop();
    await state.remove();
    temporaryDirs.delete(state.path);
  }
}

/**
 * One key's row: medians over the rounds of its ratios to the liveness runs on either side of it,
 * and the Durable Object calls its verifies made, over all its runs.
 * @param {number} rttMs
 * @param {string} mode
 * @param {string} key
 * @param {{ load: LoadResult, counts: EdgeCounts[] }[]} runs
 * @param {LoadResult[]} livenessRuns one more than the rounds
 * @returns {GeoRow}
 */
function summarize(rttMs, mode, key, runs, livenessRuns) {
  const around = runs.map((_, round) => [livenessRuns[round], livenessRuns[round + 1]]);
  const ratioTo = (/** @type {"rps" | "p50Ms" | "p99Ms"} */ field) =>
    median(runs.map(({ load }, round) => load[field] / ((around[round][0][field] + around[round][1][field]) / 2)));
  const perEdge = runs[0].counts.map((_, edge) => sumCounts(runs.map((run) => run.counts[edge])));
  const total = sumCounts(perEdge);
  return {
    rttMs,
    mode,
    key,
    rps: median(runs.map(({ load }) => load.rps)),
    p50Ms: median(runs.map(({ load }) => load.p50Ms)),
    p99Ms: median(runs.map(({ load }) => load.p99Ms)),
    livenessP50Ms: median(livenessRuns.map((run) => run.p50Ms)),
    livenessP99Ms: median(livenessRuns.map((run) => run.p99Ms)),
    throughputRatio: ratioTo("rps"),
    p50Ratio: ratioTo("p50Ms"),
    p99Ratio: ratioTo("p99Ms"),
    requests: runs.reduce((sum, { load }) => sum + load.requests, 0),
    errors: runs.reduce((sum, { load }) => sum + load.errors, 0),
    verifies: total.verifies,
    verifiesPerEdge: perEdge.map((counts) => counts.verifies),
    objectCalls: total.objectCalls,
    objectCallsByMethod: total.byMethod,
    objectCallsPer1000: total.verifies === 0 ? Number.NaN : (total.objectCalls / total.verifies) * 1000,
  };
}

/**
 * Sends each path's request to every edge Worker once, before it is measured.
 * @param {GeoPath[]} paths
 */
async function expectAnswers(paths) {
  for (const path of paths) {
    for (const request of path.requests) {
      const answer = await probe(request);
      if (answer.status !== 200 || (path.expect && !path.expect(answer.json))) {
        throw new Error(`${path.name} at ${new URL(request.url).origin}: unexpected answer ${answer.status} ${answer.text}`);
      }
    }
  }
}

/** @param {number} seconds */
function limits(seconds) {
  return { seconds, connections: settings.connections, maxRequests: settings.maxRequests };
}

/**
 * A comma-separated list of round trips in ms, each 0 or more.
 * @param {string} name
 * @param {number[]} fallback
 */
function roundTrips(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const values = raw.split(",").map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isFinite(value) || value < 0)) throw new Error(`${name} must list round trips in ms, each 0 or more, got "${raw}"`);
  return values;
}

/** The command that reproduces this run, with the settings it was given. */
function commandLine() {
  const names = [
    "TMPDIR",
    "GEO_EDGES",
    "GEO_RTTS_MS",
    "GEO_STALENESS_MS",
    "GEO_SECONDS",
    "GEO_ROUNDS",
    "GEO_WARMUP_SECONDS",
    "GEO_CONNECTIONS",
    "GEO_MAX_REQUESTS",
  ];
  const env = names.filter((name) => process.env[name]).map((name) => `${name}=${process.env[name]}`);
  return [...env, "npm run bench:geo"].join(" ");
}
