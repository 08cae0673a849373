// Measures paths against a baseline path of the same server, as ratios: absolute numbers on a
// shared 2-core machine are noise, a ratio measured within one run is not.
import { measure } from "./load.mjs";
import { median } from "./stats.mjs";

/** @import { LoadLimits, LoadResult } from "./load.mjs" */
/** @import { BenchPath } from "./seed.mjs" */

/**
 * `seconds` is each path's measured time, split over the rounds.
 * @typedef {LoadLimits & { rounds: number, warmupSeconds: number }} BenchSettings
 */

/** Minimum throughput ratios to the baseline, by path name. @typedef {Record<string, number>} Targets */

/**
 * One path's figures: medians of its runs, and of its ratios to the baseline runs around them;
 * `ofFloor` divides its throughput ratio by its floor's.
 * @typedef {object} ComparedRow
 * @property {string} name
 * @property {string} request
 * @property {number} rps
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} requests
 * @property {number} errors
 * @property {number} throughputRatio
 * @property {[number, number]} throughputRatioRange
 * @property {number} p50Ratio
 * @property {number} p99Ratio
 * @property {number} [target]
 * @property {boolean} [met]
 * @property {string} [floor]
 * @property {number} [ofFloor]
 * @property {boolean} [floorMeetsTarget]
 */

/**
 * @param {BenchPath[]} paths the baseline first
 * @param {BenchSettings} settings
 * @param {Targets} targets
 * @returns {Promise<ComparedRow[]>} one row a path, the baseline first
 */
export async function compareToBaseline(paths, settings, targets = {}) {
  const [baseline, ...others] = paths;
  const slice = { ...settings, seconds: settings.seconds / settings.rounds };
  for (const path of paths) await measure(path.request, { ...settings, seconds: settings.warmupSeconds });

  // Other work on a shared machine comes and goes, so the paths are interleaved in rounds, each
  // compared with the baseline runs on either side of it, and the per-round ratios' median kept.
  const baselineRuns = [await measureLogged(baseline, slice, 0)];
  /** @type {LoadResult[][]} */
  const perRound = others.map(() => []);
  for (let round = 0; round < settings.rounds; round++) {
    // Rotated, so that no path always runs right after a baseline run.
    for (let i = 0; i < others.length; i++) {
      const index = (i + round) % others.length;
      perRound[index].push(await measureLogged(others[index], slice, round));
    }
    baselineRuns.push(await measureLogged(baseline, slice, round));
  }
  const overall = mean(baselineRuns);
  const overallEachRun = baselineRuns.map(() => overall);
  const aroundEachRound = Array.from({ length: settings.rounds }, (_, round) => mean([baselineRuns[round], baselineRuns[round + 1]]));
  const baselineRow = summarize(baseline, baselineRuns, overallEachRun, targets);
  const rows = [baselineRow, ...others.map((path, i) => summarize(path, perRound[i], aroundEachRound, targets))];
  return rows.map((row, i) => withFloor(row, paths[i].floor, rows));
}

/**
 * How close a path comes to its floor, and whether the floor itself reaches the path's target.
 * @param {ComparedRow} row
 * @param {string | undefined} floorName
 * @param {ComparedRow[]} rows
 * @returns {ComparedRow}
 */
function withFloor(row, floorName, rows) {
  const floor = rows.find((other) => other.name === floorName);
  if (!floor) return row;
  return {
    ...row,
    floor: floor.name,
    ofFloor: row.throughputRatio / floor.throughputRatio,
    ...(row.target === undefined ? {} : { floorMeetsTarget: floor.throughputRatio >= row.target }),
  };
}

/**
 * @param {BenchPath} path
 * @param {LoadLimits} limits
 * @param {number} round
 */
async function measureLogged(path, limits, round) {
  const result = await measure(path.request, limits);
  const figures = `${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms`;
  console.log(`  round ${round + 1}  ${path.name.padEnd(22)} ${figures}${result.errors > 0 ? `  ${result.errors} errors` : ""}`);
  return result;
}

/**
 * @typedef {Pick<LoadResult, "rps" | "p50Ms" | "p99Ms">} Speed
 * @param {Speed[]} runs
 * @returns {Speed}
 */
function mean(runs) {
  const average = (/** @type {keyof Speed} */ field) => runs.reduce((sum, run) => sum + run[field], 0) / runs.length;
  return { rps: average("rps"), p50Ms: average("p50Ms"), p99Ms: average("p99Ms") };
}

/**
 * One path's row: medians of its runs, and of its per-round ratios to the baseline around them.
 * @param {BenchPath} path
 * @param {LoadResult[]} runs
 * @param {Speed[]} baselines
 * @param {Targets} targets
 * @returns {ComparedRow}
 */
function summarize(path, runs, baselines, targets) {
  const throughputRatios = runs.map((run, i) => run.rps / baselines[i].rps);
  const throughputRatio = median(throughputRatios);
  const target = targets[path.name];
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
