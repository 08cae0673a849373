// Renders a bench report (see run.mjs) as console tables, its block of docs/performance.md and an SVG chart.

/** @import { BenchSettings, ComparedRow } from "./compare.mjs" */

/**
 * What `npm run bench` measured, as bench/results/latest.json keeps it: `rows` under
 * `wrangler dev`, liveness first; `raw.rows` on raw workerd, the trivial Worker first.
 * @typedef {object} BenchReport
 * @property {string} generatedAt
 * @property {string} command
 * @property {{ cpus: number, node: string, loadGenerator: string, stateDir: string }} machine
 * @property {BenchSettings} settings
 * @property {ComparedRow[]} rows
 * @property {{ trivialWorker: string, rows: ComparedRow[] }} raw
 */

const ratio = (/** @type {number} */ value) => `${value.toFixed(2)}×`;
const range = (/** @type {[number, number]} */ [low, high]) => `${low.toFixed(2)}–${high.toFixed(2)}`;
const targetCell = (/** @type {ComparedRow} */ row) => {
  if (row.target === undefined) return "";
  const verdict = `≥ ${ratio(row.target)} ${row.met ? "met" : "**missed**"}`;
  return row.floorMeetsTarget === false ? `${verdict} (its floor misses it too)` : verdict;
};
/** Throughput as a share of what the runtime alone allows for the same work. */
const floorCell = (/** @type {ComparedRow} */ row) => (row.ofFloor === undefined ? "" : ratio(row.ofFloor));

/** @param {ComparedRow[]} rows */
export function textTable(rows) {
  const header = ["path", "req/s", "p50 ms", "p99 ms", "throughput", "(rounds)", "p50", "p99", "of floor", "target"];
  const body = rows.map((row) => [
    row.name,
    row.rps.toFixed(0),
    row.p50Ms.toFixed(2),
    row.p99Ms.toFixed(2),
    ratio(row.throughputRatio),
    range(row.throughputRatioRange),
    ratio(row.p50Ratio),
    ratio(row.p99Ratio),
    floorCell(row),
    targetCell(row).replaceAll("**", ""),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((cells) => cells[i].length)));
  const line = (/** @type {string[]} */ cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [line(header), ...body.map(line)].join("\n");
}

/**
 * Each path's ratios to the first row, the baseline.
 * @param {ComparedRow[]} rows
 */
function markdownTable(rows) {
  const baseline = rows[0].name;
  return [
    `| path | request | throughput vs ${baseline} | (per round) | p50 vs ${baseline} | p99 vs ${baseline} | throughput vs its floor | target (throughput) |`,
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows.map(
      (row) =>
        `| ${row.name} | \`${row.request}\` | ${ratio(row.throughputRatio)} | ${range(row.throughputRatioRange)} | ${ratio(row.p50Ratio)} | ${ratio(row.p99Ratio)} | ${floorCell(row)} | ${targetCell(row)} |`,
    ),
  ].join("\n");
}

/**
 * The block of docs/performance.md that `npm run bench` writes.
 * @param {BenchReport} report
 */
export function markdownReport(report) {
  const { rows, raw, settings, machine, command, generatedAt } = report;
  return `## Verify paths under \`wrangler dev\`

Command: \`${command}\` (bench/run.mjs). Last run: ${generatedAt.slice(0, 10)}, ${machine.cpus} cores,
${machine.loadGenerator} with ${settings.connections} keep-alive connections, ${settings.seconds} s a path after a
${settings.warmupSeconds} s warm-up.

Load generator and Worker share the cores, so req/s and milliseconds change from run to run;
each path's ratio to \`GET /v1/liveness\` measured in the same run is what is comparable. Above
1× means faster (throughput) or slower (latency) than liveness. The paths are interleaved in
${settings.rounds} rounds with a liveness run between rounds; each ratio is the median over the rounds of
the path against the liveness runs on either side of it, and "per round" shows how far the
rounds spread.

Local D1, KV and Durable Object state lived under \`${machine.stateDir}\` (set \`TMPDIR\` to move
it). Locally, each commit of Durable Object storage writes is an fsync on the Worker's
thread, so paths that write (a verify of a key with counters) depend on that disk's fsync
latency, including other programs' I/O on it.

${markdownTable(rows)}

![Throughput as a ratio to liveness](bench-throughput.svg)

What each path exercises:

- **liveness**: routing and the request-id middleware only; the baseline.
- **floor: one DO call**: bench/floor/worker.js, under its own \`wrangler dev\` beside Keygate's.
  It reads the same JSON body a verify sends, calls a Durable Object named by the key, and
  answers JSON: no routing, validation, hashing or cache. It is the least a Worker that makes
  one Durable Object call per verify can cost here; "vs its floor" divides **verify: plain
  key** by it.
- **floor: DO call + write**: the same, where the object also commits one storage write, as a
  verify that charges counters must; **verify: counter key** is divided by it.
- **verify: plain key**: a key with no limits and no credits. Key hash found in the in-isolate
  cache, then one call to the key's Durable Object (policy held in memory, verification count
  kept in memory until the next flush to D1).
- **verify: counter key**: a rate limit and credits, so the Durable Object also checks and
  charges both in its storage on every verify.
- **verify: unknown key**: the in-isolate negative cache answers; no Durable Object.
- **gateway** and the **kombo**, **konpro** and **kirim** dialect routes: the plain key, sent
  the way each expects it, through the same pipeline as verify.

## On raw workerd, against a trivial Worker

The same run, after \`wrangler dev\` has stopped: the Worker bundled by
\`wrangler deploy --dry-run\`, started through Miniflare's API on the workerd that wrangler ships
(bench/workerd.mjs), with local D1, KV and SQLite-backed Durable Objects under wrangler.toml's
binding names. Requests go straight to each Worker's own socket: no wrangler proxy, no
Miniflare entry Worker. The baseline is a one-line Worker on the same runtime, in the same
process, measured the same way (the floor Worker runs there too):

\`\`\`js
${raw.trivialWorker}
\`\`\`

${markdownTable(raw.rows)}

**verify: unknown key** does all a verify does before the Durable Object: routing, body
validation, hashing the key, the in-isolate cache. The step from it to **verify: plain key**
is the call to the key's Durable Object; to **verify: counter key**, that call plus the
object's storage commit. A target above its floor's own ratio cannot be met by any Worker
that makes that call on this runtime.
`;
}

/**
 * Horizontal bars of throughput ratio, with liveness (1×) and each path's target marked.
 * @param {{ rows: ComparedRow[] }} report
 */
export function svgChart({ rows }) {
  const labelWidth = 190;
  const plotWidth = 400;
  const rowHeight = 26;
  const top = 34;
  const height = top + rows.length * rowHeight + 46;
  const width = labelWidth + plotWidth + 70;
  const max = Math.max(1.2, ...rows.map((row) => row.throughputRatio)) * 1.05;
  const x = (/** @type {number} */ value) => labelWidth + (value / max) * plotWidth;
  const escapeXml = (/** @type {string} */ text) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${labelWidth}" y="18" font-weight="600">Throughput as a ratio to GET /v1/liveness (higher is better)</text>`,
  ];
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    const fill = row.name.startsWith("floor:") ? "#ced4da" : row.target === undefined ? "#7c8ea3" : row.met ? "#2f9e44" : "#e8590c";
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeXml(row.name)}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${(x(row.throughputRatio) - labelWidth).toFixed(1)}" height="${rowHeight - 8}" fill="${fill}"/>`,
      `<text x="${(x(row.throughputRatio) + 5).toFixed(1)}" y="${y + 15}">${ratio(row.throughputRatio)}</text>`,
    );
    if (row.target !== undefined) {
      const tx = x(row.target).toFixed(1);
      parts.push(
        `<line x1="${tx}" x2="${tx}" y1="${y}" y2="${y + rowHeight - 2}" stroke="#000" stroke-width="2" stroke-dasharray="3 2"><title>target ${ratio(row.target)}</title></line>`,
      );
    }
  });
  const bottom = top + rows.length * rowHeight;
  const one = x(1).toFixed(1);
  parts.push(
    `<line x1="${one}" x2="${one}" y1="${top - 4}" y2="${bottom}" stroke="#555" stroke-width="1"/>`,
    `<text x="${one}" y="${bottom + 16}" text-anchor="middle" fill="#555">1× (liveness)</text>`,
    `<text x="${labelWidth}" y="${bottom + 34}" fill="#555">dashed: target; light grey: the runtime's floor for the same work</text>`,
    "</svg>",
  );
  return `${parts.join("\n")}\n`;
}
