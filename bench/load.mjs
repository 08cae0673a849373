// Drives one endpoint for a bounded time and request count from a separate process: wrk when it
// is on PATH, otherwise autocannon (autocannonLoad.mjs). Both report the same fields.
import { execFile, fork, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** @import { BenchRequest } from "./seed.mjs" */

/**
 * How long a run lasts (`seconds`), over how many keep-alive connections, and a safety stop on its
 * answers (`maxRequests`).
 * @typedef {{ seconds: number, connections: number, maxRequests: number }} LoadLimits
 */

/** @typedef {{ rps: number, p50Ms: number, p99Ms: number, requests: number, errors: number }} LoadResult */

/**
 * What either generator reports: answers, the run's length, latency percentiles, answers with a
 * 4xx or 5xx status, and connection errors and timeouts.
 * @typedef {{ requests: number, durationUs: number, p50Us: number, p99Us: number, statusErrors: number, socketErrors: number }} RawLoad
 */

/**
 * What autocannonLoad.mjs is sent to run; `urls`, when set, are servers to load at once instead of `url`.
 * @typedef {BenchRequest & LoadLimits & { urls?: string[] }} LoadJob
 */

/** Past its own deadline a generator is hung, not slow. */
const GRACE_MS = 15_000;
const AUTOCANNON_LOAD = fileURLToPath(new URL("./autocannonLoad.mjs", import.meta.url));

export const loadGenerator = spawnSync("wrk", ["--version"]).error ? "autocannon" : "wrk";

/**
 * @param {BenchRequest} target
 * @param {LoadLimits} limits
 * @returns {Promise<LoadResult>}
 */
export async function measure(target, limits) {
  return loadResult(loadGenerator === "wrk" ? await runWrk(target, limits) : await runAutocannon(target, limits));
}

/**
 * @param {RawLoad} raw
 * @returns {LoadResult}
 */
function loadResult(raw) {
  return {
    rps: raw.requests / (raw.durationUs / 1e6),
    p50Ms: raw.p50Us / 1000,
    p99Ms: raw.p99Us / 1000,
    requests: raw.requests,
    errors: raw.statusErrors + raw.socketErrors,
  };
}

/**
 * The same request sent to several servers at once, as the same run: `connections` (and
 * `maxRequests`) for each server, and one latency distribution over all the answers. The
 * targets differ only in their origin.
 * @param {BenchRequest[]} targets
 * @param {LoadLimits} limits
 * @returns {Promise<LoadResult>}
 */
export async function measureTogether(targets, limits) {
  const [first] = targets;
  const paths = new Set(targets.map((target) => new URL(target.url)).map((url) => `${url.pathname}${url.search}`));
  if (paths.size !== 1) throw new Error("measureTogether: the targets must differ only in their origin");
  const urls = targets.map((target) => target.url);
  return loadResult(loadGenerator === "wrk" ? await runWrk(first, limits, urls) : await runAutocannon(first, limits, urls));
}

/**
 * @param {BenchRequest} target
 * @param {LoadLimits} limits
 * @param {string[]} [servers] one wrk thread each, instead of one thread for `target.url`
 * @returns {Promise<RawLoad>}
 */
async function runWrk(target, { seconds, connections, maxRequests }, servers) {
  const dir = await mkdtemp(join(tmpdir(), "keygate-wrk-"));
  try {
    const script = join(dir, "request.lua");
    await writeFile(script, wrkScript(target, maxRequests, servers), { mode: 0o600 });
    const threads = servers?.length ?? 1;
    const args = [`-t${threads}`, `-c${connections * threads}`, `-d${seconds}s`, "--timeout", "10s", "-s", script, target.url];
    const stdout = await run("wrk", args, seconds);
    const line = stdout.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
    if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
    return JSON.parse(line.slice("BENCH_RESULT ".length));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Sets method, headers and body once (wrk then reuses the encoded request), stops the thread
 * after maxRequests answers, and prints the summary as JSON. One thread, so the count is global;
 * with `servers`, one thread a server, each sending to its own (wrk merges their latencies).
 * @param {BenchRequest} target
 * @param {number} maxRequests
 * @param {string[]} [servers]
 */
function wrkScript({ method, headers, body }, maxRequests, servers) {
  const long = (/** @type {string} */ s) => `[==[${s}]==]`;
  const lines = [`wrk.method = ${long(method)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`wrk.headers[ ${long(name)} ] = ${long(value)}`);
  if (body !== undefined) lines.push(`wrk.body = ${long(body)}`);
  if (servers) {
    // setup() runs once per thread, in order, before any connects; init() runs in the thread.
    const entry = (/** @type {URL} */ url) => `{ ${long(url.hostname.replace(/^\[|\]$/g, ""))}, ${long(url.port)}, ${long(url.host)} }`;
    lines.push(
      `local servers = { ${servers.map((server) => entry(new URL(server))).join(", ")} }`,
      "local assigned = 0",
      "setup = function(thread)",
      "  assigned = assigned + 1",
      "  local server = servers[assigned]",
      "  thread.addr = wrk.lookup(server[1], server[2])[1]",
      '  thread:set("server_host", server[3])',
      "end",
      'init = function() wrk.headers["Host"] = server_host end',
    );
  }
  lines.push(
    "local answered = 0",
    `response = function() answered = answered + 1; if answered >= ${maxRequests} then wrk.thread:stop() end end`,
    "done = function(s, latency)",
    "  local e = s.errors",
    `  io.write(string.format('BENCH_RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"statusErrors":%d,"socketErrors":%d}\\n',`,
    "    s.requests, s.duration, latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))",
    "end",
  );
  return `${lines.join("\n")}\n`;
}

/**
 * The job goes over the IPC channel: its headers and body carry keys, which a command line would
 * show in `ps`.
 * @param {BenchRequest} target
 * @param {LoadLimits} limits
 * @param {string[]} [urls] servers to load at once, instead of `target.url`
 * @returns {Promise<RawLoad>}
 */
function runAutocannon(target, limits, urls) {
  return new Promise((resolve, reject) => {
    const child = fork(AUTOCANNON_LOAD, { timeout: limits.seconds * 1000 + GRACE_MS, killSignal: "SIGKILL" });
    /** @type {RawLoad | undefined} */
    let result;
    child.once("message", (message) => {
      result = /** @type {RawLoad} */ (message);
      // The open channel is all that keeps the child running.
      child.disconnect();
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (result) resolve(result);
      else reject(new Error(`autocannon ended (${signal ?? `exit code ${code}`}) without a result`));
    });
    child.send(/** @type {LoadJob} */ ({ ...target, ...limits, urls }));
  });
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {number} seconds
 * @returns {Promise<string>}
 */
function run(command, args, seconds) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: seconds * 1000 + GRACE_MS, killSignal: "SIGKILL" }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
