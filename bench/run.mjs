// `npm run bench`: verify throughput and latency against a local `wrangler dev`, each path as a
// ratio to GET /v1/liveness measured in the same run, since absolute numbers on a shared
// 2-core machine are noise. Writes bench/results/latest.json, docs/performance.md and
// docs/bench-throughput.svg.
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { startDevServer } from "./devServer.mjs";
import { loadGenerator, measure } from "./load.mjs";
import { markdownReport, svgChart, textTable } from "./report.mjs";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

const settings = {
  /** Measured time per path, split over the rounds. */
  seconds: positiveNumber("BENCH_SECONDS", 6),
  rounds: positiveInteger("BENCH_ROUNDS", 3),
  warmupSeconds: positiveNumber("BENCH_WARMUP_SECONDS", 1),
  connections: positiveInteger("BENCH_CONNECTIONS", 8),
  /** Far above what a 2-core loopback run reaches in BENCH_SECONDS: a safety stop, not a target. */
  maxRequests: positiveInteger("BENCH_MAX_REQUESTS", 2_000_000),
};

/** The issue's targets: throughput ratio to liveness. */
const TARGETS = { "verify: plain key": 0.9, "verify: counter key": 0.75 };

function positiveNumber(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function positiveInteger(name, fallback) {
  const value = positiveNumber(name, fallback);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number, got ${value}`);
  return value;
}

const server = await startDevServer(PROJECT_ROOT);
const stopOnSignal = async () => {
  await server.stop();
  process.exit(130);
};
process.once("SIGINT", stopOnSignal);
process.once("SIGTERM", stopOnSignal);
try {
  await main(server);
} catch (err) {
  process.exitCode = 1;
  console.error(err instanceof Error ? err.message : err);
  console.error(`----- wrangler dev output -----\n${server.output()}`);
} finally {
  await server.stop();
}

async function main({ baseUrl, rootKey }) {
  const seed = await seedKeys(baseUrl, rootKey);
  const { paths, skipped } = await availablePaths(baseUrl, seed);
  const liveness = paths[0];

  const slice = { ...settings, seconds: settings.seconds / settings.rounds };
  console.log(
    `load: ${loadGenerator}, ${settings.connections} connections, ${settings.seconds} s a path in ${settings.rounds} rounds (warm-up ${settings.warmupSeconds} s)`,
  );
  for (const path of paths) await measure(path.request, { ...settings, seconds: settings.warmupSeconds });

  // Other work on a shared machine comes and goes, so the paths are interleaved in rounds, each
  // compared with the liveness runs on either side of it, and the per-round ratios' median kept.
  const others = paths.slice(1);
  const livenessRuns = [await measureLogged(liveness, slice, 0)];
  const perRound = others.map(() => []);
  for (let round = 0; round < settings.rounds; round++) {
    // Rotated, so that no path always runs right after a liveness run.
    for (let i = 0; i < others.length; i++) {
      const index = (i + round) % others.length;
      perRound[index].push(await measureLogged(others[index], slice, round));
    }
    livenessRuns.push(await measureLogged(liveness, slice, round));
  }
  const baselineOf = (round) => mean([livenessRuns[round], livenessRuns[round + 1]]);
  const baseline = mean(livenessRuns);

  const rows = [
    summarize(liveness, livenessRuns, livenessRuns.map(() => baseline)),
    ...others.map((path, i) => summarize(path, perRound[i], perRound[i].map((_, round) => baselineOf(round)))),
  ];

  const report = {
    generatedAt: new Date().toISOString(),
    command: commandLine(),
    machine: { cpus: availableParallelism(), node: process.version, loadGenerator, stateDir: tmpdir() },
    settings,
    baseline: { ...baseline, runs: livenessRuns },
    rows,
    skipped,
  };
  console.log(`\n${textTable(report)}`);
  for (const { name, reason } of skipped) console.log(`skipped ${name}: ${reason}`);

  await mkdir(new URL("results/", import.meta.url), { recursive: true });
  await writeFile(new URL("results/latest.json", import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  const failed = rows.filter((row) => row.errors > 0);
  // A path that answered errors was not measuring what it names: keep the published figures.
  if (failed.length > 0) {
    throw new Error(`non-2xx answers or socket errors on: ${failed.map((row) => row.name).join(", ")}; docs/ left unchanged`);
  }
  await writeFile(new URL("../docs/performance.md", import.meta.url), markdownReport(report));
  await writeFile(new URL("../docs/bench-throughput.svg", import.meta.url), svgChart(report));
  console.log("wrote bench/results/latest.json, docs/performance.md, docs/bench-throughput.svg");
}

async function measureLogged(path, limits, round) {
  const result = await measure(path.request, limits);
  const figures = `${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms`;
  console.log(`  round ${round + 1}  ${path.name.padEnd(22)} ${figures}${result.errors > 0 ? `  ${result.errors} errors` : ""}`);
  return result;
}

function mean(runs) {
  const average = (field) => runs.reduce((sum, run) => sum + run[field], 0) / runs.length;
  return { rps: average("rps"), p50Ms: average("p50Ms"), p99Ms: average("p99Ms") };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One path's row: medians of its runs, and of its per-round ratios to the liveness around them. */
function summarize(path, runs, baselines) {
  const throughputRatios = runs.map((run, i) => run.rps / baselines[i].rps);
  const throughputRatio = median(throughputRatios);
  const target = TARGETS[path.name];
  return {
    name: path.name,
    request: path.label ?? `${path.request.method} ${new URL(path.request.url).pathname}`,
    rps: median(runs.map((run) => run.rps)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    throughputRatio,
    throughputRatioRange: [Math.min(...throughputRatios), Math.max(...throughputRatios)],
    p50Ratio: median(runs.map((run, i) => run.p50Ms / baselines[i].p50Ms)),
    p99Ratio: median(runs.map((run, i) => run.p99Ms / baselines[i].p99Ms)),
    ...(target === undefined ? {} : { target, met: throughputRatio >= target }),
  };
}

/** The command that reproduces this run, with the settings it was given. */
function commandLine() {
  const env = ["TMPDIR", "BENCH_SECONDS", "BENCH_ROUNDS", "BENCH_WARMUP_SECONDS", "BENCH_CONNECTIONS", "BENCH_MAX_REQUESTS"]
    .filter((name) => process.env[name])
    .map((name) => `${name}=${process.env[name]}`);
  return [...env, "npm run bench"].join(" ");
}

async function seedKeys(baseUrl, rootKey) {
  const call = async (route, body) => {
    const res = await fetch(`${baseUrl}/v1/${route}`, {
      method: "POST",
      headers: { authorization: `Bearer ${rootKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await res.json();
    if (!res.ok) throw new Error(`seeding: ${route} answered ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const { apiId } = await call("apis.createApi", { name: "bench" });
  const plain = await call("keys.createKey", { apiId, prefix: "bench" });
  // Limits far above what the run can spend: every verify is charged in the key's Durable Object.
  const counter = await call("keys.createKey", {
    apiId,
    prefix: "bench",
    ratelimit: { limit: 1e9, duration: 60_000 },
    remaining: 1e9,
  });
  // Same shape as an issued key, never issued.
  const unknown = `bench_${randomBytes(16).toString("base64url")}`;
  return { apiId, plainKey: plain.key, counterKey: counter.key, unknownKey: unknown };
}

/** Every path to measure, liveness first; the dialect and gateway routes only where they exist. */
async function availablePaths(baseUrl, { apiId, plainKey, counterKey, unknownKey }) {
  const verify = (key) => ({
    url: `${baseUrl}/v1/keys.verifyKey`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ apiId, key }),
  });
  const get = (path, headers) => ({ url: `${baseUrl}${path}`, method: "GET", headers });
  const bearer = { authorization: `Bearer ${plainKey}` };

  const always = [
    { name: "liveness", request: get("/v1/liveness", {}) },
    { name: "verify: plain key", request: verify(plainKey), expect: (a) => a.valid === true },
    { name: "verify: counter key", request: verify(counterKey), expect: (a) => a.valid === true && a.remaining !== undefined },
    { name: "verify: unknown key", request: verify(unknownKey), expect: (a) => a.code === "NOT_FOUND" },
  ];
  const optional = [
    { name: "gateway", label: "GET /v1/gateway/<apiId>/x", request: get(`/v1/gateway/${apiId}/x`, bearer) },
    { name: "kombo check-api-key", request: get("/v1/check-api-key", bearer) },
    { name: "konpro validate", request: { url: `${baseUrl}/v1/api-keys/validate`, method: "POST", headers: { "x-api-key": plainKey } } },
    { name: "kirim me", request: get("/v1/me", bearer) },
  ];

  const paths = [];
  const skipped = [];
  for (const path of always) {
    const answer = await probe(path.request);
    if (answer.status !== 200 || (path.expect && !path.expect(answer.json))) {
      throw new Error(`${path.name}: unexpected answer ${answer.status} ${answer.text}`);
    }
    paths.push(path);
  }
  for (const path of optional) {
    const answer = await probe(path.request);
    if (answer.status >= 200 && answer.status < 300) paths.push(path);
    else if (answer.text.includes("No route for")) skipped.push({ name: path.name, reason: "route not registered" });
    else skipped.push({ name: path.name, reason: `answered ${answer.status} ${answer.text.slice(0, 200)}` });
  }
  return { paths, skipped };
}

async function probe({ url, method, headers, body }) {
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}
