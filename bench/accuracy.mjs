// `npm run bench:accuracy`: are credits and rate limits exact at full load? On raw workerd
// (workerd.mjs), where a single key sees the most requests a second this machine can send:
// (a) wrk for 10 s against a key with 5,000 credits, counting `"valid":true` answers;
// (b) a Node load generator for ACCURACY_RATELIMIT_SECONDS (default 25) against a key limited
//     to 1,000 per 10 s, timing every answer, to check every 10 s sliding window.
// Writes bench/results/accuracy.json and its block of docs/reliability.md.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { writeSection } from "./docs.mjs";
import { loadGenerator } from "./load.mjs";
import { manage, verifyRequest } from "./seed.mjs";
import { positiveInteger, positiveNumber } from "./settings.mjs";
import { median, percentile } from "./stats.mjs";
import { buildWorker, startWorkerd, stateDir } from "./workerd.mjs";

/** @import { BenchRequest } from "./seed.mjs" */

/**
 * What wrk's Lua counted: answers, those saying `"valid":true`, those not 200, and connection
 * errors and timeouts.
 * @typedef {{ valid: number, answered: number, failed: number, socketErrors: number, durationUs: number }} WrkCounts
 */

/** One verify of the rate-limit run: when it was sent and read (ms since the epoch), and its answer. @typedef {{ sentAt: number, answeredAt: number, status: number | undefined, code: string }} TimedAnswer */

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const CREDITS = 5_000;
const CREDIT_SECONDS = 10;
const LIMIT = { limit: 1_000, duration: 10_000 };
/** As src/counters/window.ts cuts a window. */
const BUCKET_MS = Math.ceil(LIMIT.duration / 60);
const RATELIMIT_SECONDS = positiveNumber("ACCURACY_RATELIMIT_SECONDS", 25);
const CONNECTIONS = positiveInteger("ACCURACY_CONNECTIONS", 8);
/** A safety stop far above what a 2-core machine answers in the time given. */
const MAX_REQUESTS = 2_000_000;

if (loadGenerator !== "wrk") throw new Error("bench:accuracy counts answers in wrk's Lua: install wrk");
if (RATELIMIT_SECONDS * 1000 <= LIMIT.duration) throw new Error("ACCURACY_RATELIMIT_SECONDS must exceed the 10 s window");

const bundle = await buildWorker(PROJECT_ROOT);
const state = await stateDir();
const server = await startWorkerd(bundle, { persistTo: state.path });
try {
  const { baseUrl, rootKey } = server;
  const { apiId } = await manage(baseUrl, rootKey, "apis.createApi", { name: "accuracy" });
  const credits = await creditsAtLoad(baseUrl, rootKey, apiId);
  const ratelimit = await ratelimitAtLoad(baseUrl, rootKey, apiId);
  await publish({ credits, ratelimit });
  if (!credits.exact || !ratelimit.exact) {
    console.error("NOT PROVEN EXACT: see docs/reliability.md");
    process.exitCode = 1;
  }
} finally {
  await server.stop();
  await state.remove();
  await bundle.remove();
}

/**
 * @param {string} baseUrl
 * @param {string} rootKey
 * @param {string} apiId
 */
async function creditsAtLoad(baseUrl, rootKey, apiId) {
  const { key, keyId } = await manage(baseUrl, rootKey, "keys.createKey", { apiId, remaining: CREDITS });
  console.log(`(a) wrk, ${CONNECTIONS} connections, ${CREDIT_SECONDS} s against a key with ${CREDITS} credits`);
  const counts = await wrkCountingValid(verifyRequest(baseUrl, { apiId, key }));
  const { remaining } = await getKey(baseUrl, rootKey, keyId);
  const exact = counts.valid === CREDITS && counts.failed === 0 && counts.socketErrors === 0 && remaining === 0;
  console.log(`    ${counts.answered} answers, ${counts.valid} valid, ${counts.failed} not 200, remaining ${remaining}: ${exact ? "exact" : "NOT EXACT"}`);
  return { ...counts, credits: CREDITS, remaining, exact };
}

/**
 * keys.getKey is a GET in Unkey v1.
 * @param {string} baseUrl
 * @param {string} rootKey
 * @param {string} keyId
 * @returns {Promise<{ remaining?: number }>}
 */
async function getKey(baseUrl, rootKey, keyId) {
  const res = await fetch(`${baseUrl}/v1/keys.getKey?keyId=${encodeURIComponent(keyId)}`, { headers: { authorization: `Bearer ${rootKey}` } });
  if (!res.ok) throw new Error(`keys.getKey answered ${res.status} ${await res.text()}`);
  return /** @type {Promise<{ remaining?: number }>} */ (res.json());
}

/**
 * wrk at full speed; its Lua counts the answers whose body says `"valid":true`.
 * @param {BenchRequest} request
 * @returns {Promise<WrkCounts>}
 */
async function wrkCountingValid({ url, method, headers, body }) {
  const long = (/** @type {string | undefined} */ s) => `[==[${s}]==]`;
  const script = [
    `wrk.method = ${long(method)}`,
    ...Object.entries(headers).map(([name, value]) => `wrk.headers[ ${long(name)} ] = ${long(value)}`),
    `wrk.body = ${long(body)}`,
    // Each wrk thread has its own Lua state: done() collects their counts.
    "local threads = {}",
    "function setup(thread) table.insert(threads, thread) end",
    "function init() valid = 0; answered = 0; failed = 0 end",
    "function response(status, headers, body)",
    "  answered = answered + 1",
    "  if status ~= 200 then failed = failed + 1 end",
    `  if string.find(body, '"valid":true', 1, true) then valid = valid + 1 end`,
    `  if answered >= ${MAX_REQUESTS} then wrk.thread:stop() end`,
    "end",
    "function done(summary)",
    "  local v, a, f = 0, 0, 0",
    '  for _, t in ipairs(threads) do v = v + t:get("valid"); a = a + t:get("answered"); f = f + t:get("failed") end',
    "  local e = summary.errors",
    `  io.write(string.format('ACCURACY {"valid":%d,"answered":%d,"failed":%d,"socketErrors":%d,"durationUs":%d}\\n',`,
    "    v, a, f, e.connect + e.read + e.write + e.timeout, summary.duration))",
    "end",
  ].join("\n");
  const dir = await mkdtemp(join(tmpdir(), "keygate-wrk-"));
  try {
    await writeFile(join(dir, "count.lua"), `${script}\n`);
    const args = ["-t1", `-c${CONNECTIONS}`, `-d${CREDIT_SECONDS}s`, "--timeout", "10s", "-s", join(dir, "count.lua"), url];
    const { stdout } = await promisify(execFile)("wrk", args, { timeout: (CREDIT_SECONDS + 15) * 1000, killSignal: "SIGKILL" });
    const line = stdout.split("\n").find((l) => l.startsWith("ACCURACY "));
    if (!line) throw new Error(`wrk printed no counts:\n${stdout}`);
    return JSON.parse(line.slice("ACCURACY ".length));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * @param {string} baseUrl
 * @param {string} rootKey
 * @param {string} apiId
 */
async function ratelimitAtLoad(baseUrl, rootKey, apiId) {
  const { key } = await manage(baseUrl, rootKey, "keys.createKey", { apiId, ratelimit: LIMIT });
  console.log(`(b) Node, ${CONNECTIONS} connections, ${RATELIMIT_SECONDS} s against a key limited to ${LIMIT.limit} per ${LIMIT.duration / 1000} s`);
  const answers = await hammer(verifyRequest(baseUrl, { apiId, key }));
  const unexpected = answers.filter((a) => a.status !== 200 || (a.code !== "VALID" && a.code !== "RATE_LIMITED"));
  const admitted = answers.filter((a) => a.code === "VALID");
  const times = admitted.map((a) => a.answeredAt).sort((a, b) => a - b);
  // Where the next answer, `limit` admissions later, came: a gap under `duration` would put
  // limit + 1 admissions in one sliding window.
  const gaps = times.slice(LIMIT.limit).map((t, i) => t - times[i]);
  if (gaps.length === 0) throw new Error(`only ${times.length} admitted: too short a run to reach a second window`);
  const latencies = answers.map((a) => a.answeredAt - a.sentAt);
  const bound = busiestWindowBound(admitted, LIMIT.duration);
  const result = {
    seconds: RATELIMIT_SECONDS,
    answered: answers.length,
    admitted: admitted.length,
    unexpected: unexpected.length,
    busiestWindow: busiestWindow(times, LIMIT.duration),
    busiestWindowBound: bound,
    gapMs: { min: Math.min(...gaps), median: median(gaps), max: Math.max(...gaps) },
    latencyMs: { p50: median(latencies), p99: percentile(latencies, 0.99) },
    exact: unexpected.length === 0 && bound <= LIMIT.limit,
  };
  console.log(
    `    ${result.answered} answers, ${result.admitted} admitted; busiest 10 s window ${result.busiestWindow} (at most ${result.busiestWindowBound} allowing for latency): ${result.exact ? "exact" : "NOT PROVEN EXACT"}`,
  );
  return result;
}

/**
 * Keep-alive connections each sending their next verify as soon as the last is answered, for
 * RATELIMIT_SECONDS; every answer, with when it was sent and when it was read.
 * @param {BenchRequest} request
 */
async function hammer({ url, method, headers, body }) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const clock = () => performance.timeOrigin + performance.now();
  const deadline = performance.now() + RATELIMIT_SECONDS * 1000;
  /** @type {TimedAnswer[]} */
  const answers = [];
  /** @returns {Promise<void>} */
  const once = () =>
    new Promise((resolve, reject) => {
      const sentAt = clock();
      const req = request(url, { method, headers, agent }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => {
          const answeredAt = clock();
          answers.push({ sentAt, answeredAt, status: res.statusCode, code: JSON.parse(text).code });
          resolve();
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  const connection = async () => {
    while (performance.now() < deadline && answers.length < MAX_REQUESTS) await once();
  };
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, connection));
  } finally {
    agent.destroy();
  }
  return answers;
}

/**
 * The most answer times in any window (t - duration, t].
 * @param {number[]} times ascending
 * @param {number} duration
 */
function busiestWindow(times, duration) {
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[first] <= times[last] - duration) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/**
 * An upper bound on the busiest window of the server's own clock: each admission was decided
 * at some instant between its request being sent and its answer being read, so a window can
 * hold it only if it overlaps that span. The most spans any one window overlaps.
 * @param {TimedAnswer[]} admitted
 * @param {number} duration
 */
function busiestWindowBound(admitted, duration) {
  const events = admitted.flatMap((a) => [
    [a.sentAt, 1],
    [a.answeredAt + duration, -1],
  ]);
  // At equal times, leaving first: a window (t - duration, t] no longer holds what was read at t - duration.
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let open = 0;
  let most = 0;
  for (const [, change] of events) {
    open += change;
    most = Math.max(most, open);
  }
  return most;
}

/**
 * @param {{ credits: Awaited<ReturnType<typeof creditsAtLoad>>, ratelimit: Awaited<ReturnType<typeof ratelimitAtLoad>> }} results
 */
async function publish({ credits, ratelimit }) {
  const ms = (/** @type {number} */ value) => `${value.toFixed(0)} ms`;
  const command = [
    process.env.ACCURACY_RATELIMIT_SECONDS && `ACCURACY_RATELIMIT_SECONDS=${RATELIMIT_SECONDS}`,
    process.env.ACCURACY_CONNECTIONS && `ACCURACY_CONNECTIONS=${CONNECTIONS}`,
    "npm run bench:accuracy",
  ]
    .filter(Boolean)
    .join(" ");
  const generatedAt = new Date().toISOString();
  const result = { generatedAt, command, cpus: availableParallelism(), connections: CONNECTIONS, credits, ratelimit };
  await mkdir(new URL("results/", import.meta.url), { recursive: true });
  await writeFile(new URL("results/accuracy.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  const { gapMs, latencyMs } = ratelimit;
  await writeSection(
    new URL("../docs/reliability.md", import.meta.url),
    "accuracy",
    `Command: \`${command}\` (bench/accuracy.mjs). Last run: ${generatedAt.slice(0, 10)}, ${result.cpus} cores, raw workerd
(bench/workerd.mjs) on loopback, ${CONNECTIONS} keep-alive connections, no pause between requests.

**Credits.** wrk for ${CREDIT_SECONDS} s against one key created with \`remaining: ${CREDITS}\`; its Lua \`response()\`
counted the bodies containing \`"valid":true\`.

| answers | \`"valid":true\` | not 200 | socket errors | \`remaining\` after (keys.getKey) | |
| ---: | ---: | ---: | ---: | ---: | --- |
| ${credits.answered} | **${credits.valid}** | ${credits.failed} | ${credits.socketErrors} | ${credits.remaining} | ${credits.exact ? "exact" : "**not exact**"} |

**Rate limit.** A Node load generator (in bench/accuracy.mjs, timing every answer) for
${RATELIMIT_SECONDS} s against one key created with \`ratelimit: { limit: ${LIMIT.limit}, duration: ${LIMIT.duration} }\`.

| answers | admitted (\`VALID\`) | anything but \`VALID\` / \`RATE_LIMITED\` | busiest 10 s window | bound allowing for latency | |
| ---: | ---: | ---: | ---: | ---: | --- |
| ${ratelimit.answered} | ${ratelimit.admitted} | ${ratelimit.unexpected} | **${ratelimit.busiestWindow}** (${(ratelimit.busiestWindow / LIMIT.limit).toFixed(3)} of the limit) | ${ratelimit.busiestWindowBound} | ${ratelimit.exact ? "exact" : "**not proven**"} |

- The busiest window is counted on the times the answers were read. The server decided each
  one earlier, by at most that request's latency (p50 ${latencyMs.p50.toFixed(1)} ms, p99 ${latencyMs.p99.toFixed(1)} ms here); the bound
  counts, for the worst-placed window, every admission whose send-to-answer span it overlaps,
  so no window of the server's own clock can have held more. When the bound equals the limit,
  the run proves the limit exact; above it, the run can neither prove nor disprove it.
- Between an admission and the one ${LIMIT.limit} admissions later: at least ${ms(gapMs.min)}, median
  ${ms(gapMs.median)}, at most ${ms(gapMs.max)}. Anything under ${ms(LIMIT.duration)} would have put ${LIMIT.limit + 1} in one window.
- How close to the limit: the busiest window held ${(ratelimit.busiestWindow / LIMIT.limit).toFixed(3)} of it. Below that, the limiter
  under-admits by design: it cuts the 10 s window into 60 buckets of ${BUCKET_MS} ms and counts the
  oldest, partly covered bucket in full, so a unit of the limit comes back only once its whole
  bucket has left the window, up to one bucket later than an exact sliding log would give it
  back. At saturation that costs at most ${BUCKET_MS} / (${LIMIT.duration} + ${BUCKET_MS}) = ${((BUCKET_MS / (LIMIT.duration + BUCKET_MS)) * 100).toFixed(1)}% of the admissions; here a
  unit came back a median ${ms(gapMs.median - LIMIT.duration)} after the 10 s, which also includes the time the load
  took to use it.`,
  );
  console.log("wrote bench/results/accuracy.json, docs/reliability.md");
}
