// `npm run bench:profile -- <path>`: where one path's CPU time goes. Keygate runs on raw workerd
// (bench/workerd.mjs) while wrk drives the path; the V8 inspector samples the Worker's isolate
// (its Durable Objects run in the same one). Samples are summed by where their code came from:
// each bundled package, each src/ folder, and the runtime's own work, which V8 sees only as
// native frames. Writes bench/results/<path>.cpuprofile, which Chrome DevTools opens.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../scripts/dev-server.mjs";
import { connectInspector } from "./inspector.mjs";
import { measure } from "./load.mjs";
import { expectAnswers, getRequest, seedKeys, verifyRequest } from "./seed.mjs";
import { positiveInteger, positiveNumber } from "./settings.mjs";
import { buildWorker, startWorkerd, stateDir } from "./workerd.mjs";

/** @import { Profiler } from "node:inspector" */
/** @import { LoadResult } from "./load.mjs" */

const PATHS = /** @type {const} */ (["liveness", "plain", "counter", "unknown"]);
/** @type {(name: string) => name is (typeof PATHS)[number]} */
const isPathName = (name) => PATHS.some((path) => path === name);
const pathName = process.argv[2] ?? "plain";
if (!isPathName(pathName)) throw new Error(`usage: npm run bench:profile -- <${PATHS.join("|")}>`);
const seconds = positiveNumber("PROFILE_SECONDS", 5);
const connections = positiveInteger("BENCH_CONNECTIONS", 8);
const TOP = 15;

const bundle = await buildWorker(fileURLToPath(new URL("..", import.meta.url)));
const state = await stateDir();
try {
  const inspectorPort = await freePort();
  const server = await startWorkerd(bundle, { persistTo: state.path, inspectorPort });
  let inspector;
  try {
    const { apiId, plainKey, counterKey, unknownKey } = await seedKeys(server.baseUrl, server.rootKey);
    const requests = {
      liveness: getRequest(`${server.baseUrl}/v1/liveness`),
      plain: verifyRequest(server.baseUrl, { apiId, key: plainKey }),
      counter: verifyRequest(server.baseUrl, { apiId, key: counterKey }),
      unknown: verifyRequest(server.baseUrl, { apiId, key: unknownKey }),
    };
    const request = requests[pathName];
    await expectAnswers([{ name: pathName, request }]);
    const limits = { connections, maxRequests: 10_000_000 };
    await measure(request, { ...limits, seconds: 1 });

    inspector = await connectInspector(inspectorPort, "core:user:keygate");
    /** @type {LoadResult | undefined} */
    let load;
    const profile = await inspector.cpuProfile(async () => {
      load = await measure(request, { ...limits, seconds });
    });
    if (!load) throw new Error("the load run did not finish");
    const origins = moduleOrigins(await readFile(join(bundle.dir, "index.js"), "utf8"));
    const summary = summarize(profile, origins);

    await mkdir(new URL("results/", import.meta.url), { recursive: true });
    const saved = new URL(`results/${pathName}.cpuprofile`, import.meta.url);
    await writeFile(saved, JSON.stringify(profile));
    console.log(`${pathName}: ${load.rps.toFixed(0)} req/s while profiled (${load.errors} errors); ${summary.busy} busy samples, ${summary.idle} idle`);
    console.log("\nbusy samples by origin:");
    for (const [origin, share] of summary.byOrigin) console.log(`  ${percent(share)}  ${origin}`);
    console.log(`\ntop ${TOP} functions by self time:`);
    for (const [fn, share] of summary.byFunction.slice(0, TOP)) console.log(`  ${percent(share)}  ${fn}`);
    console.log(`\nwrote ${fileURLToPath(saved)}`);
  } finally {
    inspector?.close();
    await server.stop();
  }
} finally {
  await state.remove();
  await bundle.remove();
}

/**
 * Bundle line ranges by origin, from the `// node_modules/…` and `// src/…` comments esbuild writes.
 * @param {string} bundleSource
 * @returns {(line: number) => string} the origin of a line of the bundle
 */
function moduleOrigins(bundleSource) {
  /** @type {{ line: number, origin: string }[]} */
  const starts = [];
  bundleSource.split("\n").forEach((line, index) => {
    const match = /^\/\/ (?:node_modules\/((?:@[^/]+\/)?[^/]+)|(src\/[^/]+))/.exec(line);
    if (match) starts.push({ line: index, origin: match[1] ?? match[2].replace(/\.ts$/, "") });
  });
  return (line) => {
    let origin = "bundle";
    for (const start of starts) {
      if (start.line > line) break;
      origin = start.origin;
    }
    return origin;
  };
}

/**
 * Self samples by origin and by function, as shares of the samples where the isolate was busy.
 * @param {Profiler.Profile} profile
 * @param {(line: number) => string} originOf
 */
function summarize(profile, originOf) {
  /** @type {Map<number, number>} */
  const hits = new Map();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  /** @type {Map<string, number>} */
  const byOrigin = new Map();
  /** @type {Map<string, number>} */
  const byFunction = new Map();
  let busy = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (count === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") {
      idle += count;
      continue;
    }
    busy += count;
    const ours = url.endsWith("index.js");
    const origin = ours ? originOf(lineNumber) : `runtime ${functionName || "(native)"}`;
    const fn = ours ? `${functionName || "(anonymous)"} (${origin})` : origin;
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + count);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + count);
  }
  const shares = (/** @type {Map<string, number>} */ map) =>
    [...map].map(([name, count]) => /** @type {[string, number]} */ ([name, count / busy])).sort((a, b) => b[1] - a[1]);
  return { busy, idle, byOrigin: shares(byOrigin), byFunction: shares(byFunction) };
}

/** @param {number} share */
function percent(share) {
  return `${(share * 100).toFixed(1).padStart(5)} %`;
}
