// The load generator used when wrk is not installed: autocannon, with a fixed number of keep-alive
// connections, each sending its next request as soon as the last answer is read. Run as a child
// process (see load.mjs) so that its CPU use is not the benchmark runner's; its job comes over the
// IPC channel and its result goes back the same way.
import { createRequire } from "node:module";
import { percentile } from "./stats.mjs";

// CommonJS without type declarations, so required, and its result read as documented in its README.
const autocannon = createRequire(import.meta.url)("autocannon");

/** @import { LoadJob, RawLoad } from "./load.mjs" */

if (!process.send) throw new Error("autocannonLoad.mjs takes its job from load.mjs, over IPC");
const reply = process.send.bind(process);

process.once("message", async (message) => {
  const { url, urls = [url], method, headers, body, seconds, connections, maxRequests } = /** @type {LoadJob} */ (message);
  // autocannon's own latency histogram counts whole milliseconds; loopback answers take about one.
  /** @type {number[]} */
  const latenciesMs = [];
  // Several servers are loaded at once by one instance each; their answers make one distribution.
  const runs = urls.map((target) => {
    const run = autocannon({
      url: target,
      method,
      headers,
      body,
      connections,
      duration: seconds,
      maxOverallRequests: maxRequests,
      timeout: 10,
      // A run ends at the first sample after `duration`: sampling often keeps it to the time asked.
      sampleInt: 50,
    });
    run.on("response", (/** @type {unknown} */ _client, /** @type {number} */ _status, /** @type {number} */ _bytes, /** @type {number} */ ms) => {
      latenciesMs.push(ms);
    });
    return run;
  });
  const results = await Promise.all(runs);
  const sum = (/** @type {(result: any) => number} */ field) => results.reduce((total, result) => total + field(result), 0);
  const start = Math.min(...results.map((result) => result.start.getTime()));
  const finish = Math.max(...results.map((result) => result.finish.getTime()));
  /** @type {RawLoad} */
  const raw = {
    requests: sum((result) => result.requests.total),
    durationUs: (finish - start) * 1000,
    p50Us: percentile(latenciesMs, 0.5) * 1000,
    p99Us: percentile(latenciesMs, 0.99) * 1000,
    statusErrors: sum((result) => result["4xx"] + result["5xx"]),
    socketErrors: sum((result) => result.errors),
  };
  reply(raw);
});
