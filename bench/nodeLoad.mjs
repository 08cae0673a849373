// The load generator used when wrk is not installed: a fixed number of keep-alive connections,
// each sending its next request as soon as the previous answer is read. Run as a child process
// so that its CPU use is not the benchmark runner's; prints one JSON line with the results.
// Its one argument is a JSON file with the target and the limits (see load.mjs).
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";

const { url, method, headers, body, seconds, connections, maxRequests } = JSON.parse(readFileSync(process.argv[2], "utf8"));

const agent = new Agent({ keepAlive: true, maxSockets: connections });
const latenciesUs = new Float64Array(maxRequests);
let sent = 0;
let done = 0;
let statusErrors = 0;
let socketErrors = 0;

function once() {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const req = request(url, { method, headers, agent }, (res) => {
      if (res.statusCode < 200 || res.statusCode > 399) statusErrors++;
      res.resume();
      res.on("end", () => {
        latenciesUs[done++] = Number(process.hrtime.bigint() - start) / 1000;
        resolve();
      });
    });
    req.on("error", () => {
      socketErrors++;
      resolve();
    });
    req.end(body);
  });
}

const startedAt = performance.now();
const deadline = startedAt + seconds * 1000;
async function connection() {
  while (performance.now() < deadline && sent < maxRequests) {
    sent++;
    await once();
  }
}
await Promise.all(Array.from({ length: connections }, connection));
const elapsedS = (performance.now() - startedAt) / 1000;
agent.destroy();

const sorted = latenciesUs.subarray(0, done).sort();
const percentile = (p) => (done === 0 ? 0 : sorted[Math.min(done - 1, Math.floor((p / 100) * done))]);
process.stdout.write(
  `${JSON.stringify({ requests: done, durationUs: elapsedS * 1e6, p50Us: percentile(50), p99Us: percentile(99), statusErrors, socketErrors })}\n`,
);
