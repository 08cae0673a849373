// Measures paths against a baseline path of the same server, as ratios: absolute numbers on a
// shared 2-core machine are noise, a ratio measured within one run is not.
import { measure } from "./load.mjs";

/**
 * @param paths [{name, label?, request, floor?}], the baseline first; `floor` names the path
 *   that measures what the runtime alone costs for the same work
 * @param settings {seconds, rounds, warmupSeconds, connections, maxRequests}
 * @param targets {[path name]: minimum throughput ratio}
 * @returns one row a path, the baseline first (see summarize)
 */
export async function compareToBaseline(paths, settings, targets = {}) {
  const [baseline, ...others] = paths;
  const slice = { ...settings, seconds: settings.seconds / settings.rounds };
  for (const path of paths) await measure(path.request, { ...settings, seconds: settings.warmupSeconds });

  // Other work on a shared machine comes and goes, so the paths are interleaved in rounds, each
  // compared with the baseline runs on either side of it, and the per-round ratios' median kept.
  const baselineRuns = [await measureLogged(baseline, slice, 0)];
  const perRound = others.map(() => []);
  for (let round = 0; round < settings.rounds; round++) {
    // Rotated, so that no path always runs right after a baseline run.
    for (let i = 0; i < others.length; i++) {
      const index = (i + round) % others.length;
      perRound[index].push(await measureLogged(others[index], slice, round));
    }
    baselineRuns.push(await measureLogged(baseline, slice, round));
  }
  const baselineOf = (round) => mean([baselineRuns[round], baselineRuns[round + 1]]);
  const overall = mean(baselineRuns);
  const rows = [
    summarize(baseline, baselineRuns, baselineRuns.map(() => overall), targets),
    ...others.map((path, i) => summarize(path, perRound[i], perRound[i].map((_, round) => baselineOf(round)), targets)),
  ];
  return rows.map((row, i) => withFloor(row, paths[i].floor && rows.find((other) => other.name === paths[i].floor)));
}

/** How close a path comes to its floor, and whether the floor itself reaches the path's target. */
function withFloor(row, floor) {
  if (!floor) return row;
  return {
    ...row,
    floor: floor.name,
    ofFloor: row.throughputRatio / floor.throughputRatio,
    ...(row.target === undefined ? {} : { floorMeetsTarget: floor.throughputRatio >= row.target }),
  };
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

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One path's row: medians of its runs, and of its per-round ratios to the baseline around them. */
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
