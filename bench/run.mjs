// `npm run bench`: verify throughput and latency against a local `wrangler dev`, each path as a
// ratio to GET /v1/liveness measured in the same run, since absolute numbers on a shared
// 2-core machine are noise; then the same on raw workerd against a trivial Worker (raw.mjs).
// Writes bench/results/latest.json, its block of docs/performance.md and docs/bench-throughput.svg.
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { startDevServer, startOtherWorker } from "../scripts/dev-server.mjs";
import { compareToBaseline } from "./compare.mjs";
import { writeSection } from "./docs.mjs";
import { loadGenerator } from "./load.mjs";
import { measureRawWorkerd } from "./raw.mjs";
import { markdownReport, svgChart, textTable } from "./report.mjs";
import { benchPaths, expectAnswers, seedKeys } from "./seed.mjs";
import { positiveInteger, positiveNumber } from "./settings.mjs";

/** @import { BenchReport } from "./report.mjs" */

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

const settings = {
  /** Measured time per path, split over the rounds. */
  seconds: positiveNumber("BENCH_SECONDS", 15),
  rounds: positiveInteger("BENCH_ROUNDS", 5),
  warmupSeconds: positiveNumber("BENCH_WARMUP_SECONDS", 1),
  connections: positiveInteger("BENCH_CONNECTIONS", 8),
  /** Far above what a 2-core loopback run reaches in BENCH_SECONDS: a safety stop, not a target. */
  maxRequests: positiveInteger("BENCH_MAX_REQUESTS", 2_000_000),
};

/** The targets: throughput ratio to liveness. */
const TARGETS = { "verify: plain key": 0.9, "verify: counter key": 0.75 };

const dev = await measureDevServer();
const raw = await measureRawWorkerd(PROJECT_ROOT, settings);
console.log(`\nraw workerd:\n${textTable(raw.rows)}`);

/** @type {BenchReport} */
const report = {
  generatedAt: new Date().toISOString(),
  command: commandLine(),
  machine: { cpus: availableParallelism(), node: process.version, loadGenerator, stateDir: tmpdir() },
  settings,
  ...dev,
  raw,
};
await mkdir(new URL("results/", import.meta.url), { recursive: true });
await writeFile(new URL("results/latest.json", import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
const failed = [...dev.rows, ...raw.rows].filter((row) => row.errors > 0);
// A path that answered errors was not measuring what it names: keep the published figures.
if (failed.length > 0) {
  console.error(`non-2xx answers or socket errors on: ${failed.map((row) => row.name).join(", ")}; docs/ left unchanged`);
  process.exit(1);
}
await writeSection(new URL("../docs/performance.md", import.meta.url), "bench", markdownReport(report));
await writeFile(new URL("../docs/bench-throughput.svg", import.meta.url), svgChart(report));
console.log("wrote bench/results/latest.json, docs/performance.md, docs/bench-throughput.svg");

/**
 * Every path against liveness, on `wrangler dev` started the way a user would, beside the floor
 * Worker under its own `wrangler dev`.
 */
async function measureDevServer() {
  // wrangler logs every request at the default level: measure Keygate, not that log.
  const quiet = ["--log-level", "warn"];
  const server = await startDevServer({ extraArgs: quiet });
  let floor;
  try {
    floor = await startOtherWorker({ config: "bench/floor/wrangler.toml", livePath: "/", extraArgs: quiet });
  } catch (err) {
    await server.stop();
    throw err;
  }
  const stopBoth = () => Promise.all([server.stop(), floor.stop()]);
  const stopOnSignal = async () => {
    await stopBoth();
    process.exit(130);
  };
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  try {
    const seed = await seedKeys(server.baseUrl, server.rootKey);
    const paths = benchPaths(server.baseUrl, floor.baseUrl, seed);
    await expectAnswers(paths);
    console.log(
      `load: ${loadGenerator}, ${settings.connections} connections, ${settings.seconds} s a path in ${settings.rounds} rounds (warm-up ${settings.warmupSeconds} s)`,
    );
    console.log("wrangler dev, against liveness:");
    const rows = await compareToBaseline(paths, settings, TARGETS);
    console.log(`\nwrangler dev:\n${textTable(rows)}`);
    return { rows };
  } catch (err) {
    console.error(`----- wrangler dev output -----\n${server.output()}\n----- floor Worker output -----\n${floor.output()}`);
    throw err;
  } finally {
    process.off("SIGINT", stopOnSignal);
    process.off("SIGTERM", stopOnSignal);
    await stopBoth();
  }
}

/** The command that reproduces this run, with the settings it was given. */
function commandLine() {
  const env = ["TMPDIR", "BENCH_SECONDS", "BENCH_ROUNDS", "BENCH_WARMUP_SECONDS", "BENCH_CONNECTIONS", "BENCH_MAX_REQUESTS"]
    .filter((name) => process.env[name])
    .map((name) => `${name}=${process.env[name]}`);
  return [...env, "npm run bench"].join(" ");
}
