// Drives one endpoint for a bounded time and request count from a separate process: wrk when it
// is on PATH, otherwise nodeLoad.mjs. Both report the same fields.
import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Past its own deadline a generator is hung, not slow. */
const GRACE_MS = 15_000;
const NODE_LOAD = fileURLToPath(new URL("./nodeLoad.mjs", import.meta.url));

export const loadGenerator = spawnSync("wrk", ["--version"]).error ? "node" : "wrk";

/**
 * @param target {url, method, headers, body}
 * @param limits {seconds, connections, maxRequests}
 * @returns {rps, p50Ms, p99Ms, requests, errors}
 */
export async function measure(target, limits) {
  const raw = loadGenerator === "wrk" ? await runWrk(target, limits) : await runNode(target, limits);
  return {
    rps: raw.requests / (raw.durationUs / 1e6),
    p50Ms: raw.p50Us / 1000,
    p99Ms: raw.p99Us / 1000,
    requests: raw.requests,
    errors: raw.statusErrors + raw.socketErrors,
  };
}

async function runWrk(target, { seconds, connections, maxRequests }) {
  const dir = await mkdtemp(join(tmpdir(), "keygate-wrk-"));
  try {
    const script = join(dir, "request.lua");
    await writeFile(script, wrkScript(target, maxRequests), { mode: 0o600 });
    const args = ["-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "10s", "-s", script, target.url];
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
 * after maxRequests answers, and prints the summary as JSON. One thread, so the count is global.
 */
function wrkScript({ method, headers, body }, maxRequests) {
  const long = (s) => `[==[${s}]==]`;
  const lines = [`wrk.method = ${long(method)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`wrk.headers[ ${long(name)} ] = ${long(value)}`);
  if (body !== undefined) lines.push(`wrk.body = ${long(body)}`);
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

/** The target goes in a file, as for wrk: its headers and body carry keys, which a command line would show in `ps`. */
async function runNode(target, { seconds, connections, maxRequests }) {
  const dir = await mkdtemp(join(tmpdir(), "keygate-load-"));
  try {
    const config = join(dir, "target.json");
    await writeFile(config, JSON.stringify({ ...target, seconds, connections, maxRequests }), { mode: 0o600 });
    return JSON.parse(await run(process.execPath, [NODE_LOAD, config], seconds));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(command, args, seconds) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: seconds * 1000 + GRACE_MS, killSignal: "SIGKILL" }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
