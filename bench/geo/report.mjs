// Renders `npm run bench:geo` (bench/geo.mjs): a console table, the closing `geo …` lines, and a
// chart of verify p50 against the simulated round trip.

/**
 * One key kind in one configuration. Ratios are to GET /v1/liveness on the same edge Workers,
 * medians over the rounds; object calls are those the edge isolates made while the key was loaded.
 * @typedef {object} GeoRow
 * @property {number} rttMs
 * @property {string} mode
 * @property {string} key
 * @property {number} rps
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} livenessP50Ms
 * @property {number} livenessP99Ms
 * @property {number} throughputRatio
 * @property {number} p50Ratio
 * @property {number} p99Ratio
 * @property {number} requests
 * @property {number} errors
 * @property {number} verifies
 * @property {number[]} verifiesPerEdge
 * @property {number} objectCalls
 * @property {Record<string, number>} objectCallsByMethod
 * @property {number} objectCallsPer1000
 */

/** The never-issued key: a verify with no Durable Object call in either mode, which the others are read against. */
export const REFERENCE_KEY = "unknown";

/**
 * The targets for edge mode at a 150 ms round trip, reported, never asserted: a warm verify's p50
 * and p99 as ratios to liveness for every key kind, and object calls per 1,000 verifies of a busy key.
 */
export const TARGETS = { rttMs: 150, mode: "edge", p50Ratio: 1.2, p99Ratio: 2, objectCallsPer1000: { plain: 10, ratelimited: 50 } };

/**
 * Each target that applies to the row, and whether it was met.
 * @param {GeoRow} row
 * @returns {string[]}
 */
function verdicts(row) {
  if (row.rttMs !== TARGETS.rttMs || row.mode !== TARGETS.mode || row.key === REFERENCE_KEY) return [];
  const verdict = (/** @type {string} */ name, /** @type {number} */ value, /** @type {number} */ bound) =>
    `${name} ≤ ${bound} ${value <= bound ? "met" : "missed"}`;
  const calls = TARGETS.objectCallsPer1000[/** @type {"plain" | "ratelimited"} */ (row.key)];
  return [
    verdict("p50", row.p50Ratio, TARGETS.p50Ratio),
    verdict("p99", row.p99Ratio, TARGETS.p99Ratio),
    ...(calls === undefined ? [] : [verdict("calls", row.objectCallsPer1000, calls)]),
  ];
}

const ratio = (/** @type {number} */ value) => `${value.toFixed(2)}×`;
/** Two decimals at most, trailing zeros dropped. */
const figure = (/** @type {number} */ value) => String(Number(value.toFixed(2)));

/** @param {GeoRow[]} rows */
export function geoTable(rows) {
  const header = ["rtt ms", "mode", "key", "req/s", "p50 ms", "p99 ms", "throughput", "p50", "p99", "DO calls/1000", "target (edge, 150 ms)"];
  const body = rows.map((row) => [
    String(row.rttMs),
    row.mode,
    row.key,
    row.rps.toFixed(0),
    row.p50Ms.toFixed(2),
    row.p99Ms.toFixed(2),
    ratio(row.throughputRatio),
    ratio(row.p50Ratio),
    ratio(row.p99Ratio),
    row.objectCallsPer1000.toFixed(1),
    `${verdicts(row).join(", ")}${row.errors > 0 ? `  ${row.errors} errors` : ""}`,
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((cells) => cells[i].length)));
  const left = new Set([1, 2, 10]);
  const line = (/** @type {string[]} */ cells) =>
    cells
      .map((cell, i) => (left.has(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  const note = rows.some((row) => row.key === REFERENCE_KEY)
    ? [`${REFERENCE_KEY}: a key never issued, answered NOT_FOUND in the isolate with no Durable Object call: the least a verify costs here`]
    : [];
  return [line(header), ...body.map(line), ...note].join("\n");
}

/**
 * One line per configuration and issued key kind, for reading by eye or by a script.
 * @param {GeoRow[]} rows
 */
export function finalLines(rows) {
  return rows
    .filter((row) => row.key !== REFERENCE_KEY)
    .map(
      (row) =>
        `geo rtt=${row.rttMs} mode=${row.mode} key=${row.key} p50_vs_liveness=${figure(row.p50Ratio)} p99_vs_liveness=${figure(row.p99Ratio)} ` +
        `throughput_vs_liveness=${figure(row.throughputRatio)} do_calls_per_1000=${Number(row.objectCallsPer1000.toFixed(1))}`,
    );
}

const MODE_COLORS = /** @type {Record<string, string>} */ ({ strict: "#e8590c", edge: "#2f9e44" });
const KEY_DASHES = /** @type {Record<string, string>} */ ({ plain: "", ratelimited: "7 4", credits: "2 4" });

/**
 * Verify p50 as a ratio to liveness (log scale) against the round trip, a line per mode and issued key kind.
 * @param {GeoRow[]} allRows
 */
export function geoChart(allRows) {
  const rows = allRows.filter((row) => row.key !== REFERENCE_KEY);
  const left = 70;
  const top = 40;
  const plotWidth = 420;
  const plotHeight = 260;
  const legendWidth = 280;
  const width = left + plotWidth + 30 + legendWidth;
  const height = top + plotHeight + 60;
  const rtts = [...new Set(rows.map((row) => row.rttMs))].sort((a, b) => a - b);
  const maxRtt = Math.max(1, ...rtts);
  const low = Math.min(0.5, ...rows.map((row) => row.p50Ratio));
  const high = Math.max(2, ...rows.map((row) => row.p50Ratio)) * 1.3;
  const x = (/** @type {number} */ rtt) => left + (rtt / maxRtt) * plotWidth;
  const y = (/** @type {number} */ value) => top + plotHeight - ((Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))) * plotHeight;
  const ticks = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000].filter((tick) => tick >= low && tick <= high);

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="20" font-weight="600">Verify p50 as a ratio to GET /v1/liveness, by Durable Object round trip (lower is better)</text>`,
  ];
  for (const tick of ticks) {
    parts.push(
      `<line x1="${left}" x2="${left + plotWidth}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="${tick === 1 ? "#555" : "#e9ecef"}"/>`,
      `<text x="${left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end" fill="#555">${tick}×</text>`,
    );
  }
  for (const rtt of rtts) {
    parts.push(`<text x="${x(rtt).toFixed(1)}" y="${top + plotHeight + 18}" text-anchor="middle" fill="#555">${rtt} ms</text>`);
  }
  parts.push(
    `<text x="${left + plotWidth / 2}" y="${top + plotHeight + 38}" text-anchor="middle" fill="#555">simulated round trip from an edge isolate to the Durable Objects</text>`,
  );
  const target = y(TARGETS.p50Ratio).toFixed(1);
  parts.push(
    `<line x1="${left}" x2="${left + plotWidth}" y1="${target}" y2="${target}" stroke="#000" stroke-width="1.5" stroke-dasharray="3 2"><title>edge-mode target at ${TARGETS.rttMs} ms: p50 ≤ ${TARGETS.p50Ratio}× liveness</title></line>`,
  );

  const series = [...new Set(rows.map((row) => `${row.mode} ${row.key}`))];
  series.forEach((name, i) => {
    const points = rows.filter((row) => `${row.mode} ${row.key}` === name).sort((a, b) => a.rttMs - b.rttMs);
    const { mode, key } = points[0];
    const color = MODE_COLORS[mode] ?? "#7c8ea3";
    const dash = KEY_DASHES[key] ? ` stroke-dasharray="${KEY_DASHES[key]}"` : "";
    const path = points.map((row) => `${x(row.rttMs).toFixed(1)},${y(row.p50Ratio).toFixed(1)}`).join(" ");
    parts.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    for (const row of points) {
      parts.push(
        `<circle cx="${x(row.rttMs).toFixed(1)}" cy="${y(row.p50Ratio).toFixed(1)}" r="3" fill="${color}"><title>${name}, ${row.rttMs} ms: ${ratio(row.p50Ratio)}</title></circle>`,
      );
    }
    const legendY = top + 10 + i * 20;
    const legendX = left + plotWidth + 30;
    parts.push(
      `<line x1="${legendX}" x2="${legendX + 30}" y1="${legendY}" y2="${legendY}" stroke="${color}" stroke-width="2"${dash}/>`,
      `<text x="${legendX + 38}" y="${legendY + 4}">${name}</text>`,
    );
  });
  const noteY = top + 10 + series.length * 20 + 10;
  parts.push(`<text x="${left + plotWidth + 30}" y="${noteY}" fill="#555">dashed: edge mode's target at ${TARGETS.rttMs} ms</text>`, "</svg>");
  return `${parts.join("\n")}\n`;
}
