import uPlot from "uplot";
import { cells, h, table } from "./dom";
import { count, DAY_MS, day } from "./format";
import { type DailyStats, OUTCOMES, type Outcome } from "./types";

/** How each outcome is named and coloured; the stack starts with valid at the bottom. */
const OUTCOME_STYLE: Record<Outcome, { label: string; color: string }> = {
  valid: { label: "Valid", color: "#2f9e44" },
  rateLimited: { label: "Rate limited", color: "#f08c00" },
  usageExceeded: { label: "Usage exceeded", color: "#e8590c" },
  disabled: { label: "Disabled", color: "#868e96" },
  expired: { label: "Expired", color: "#7048e8" },
  forbidden: { label: "Forbidden", color: "#c92a2a" },
  insufficientPermissions: { label: "Insufficient permissions", color: "#e64980" },
  unauthorized: { label: "Unauthorized", color: "#1c7ed6" },
  notFound: { label: "Not found", color: "#495057" },
};

const HEIGHT = 220;

/**
 * Verifications per day, stacked by outcome, over `days` UTC days up to today: a uPlot bar chart
 * whose accessible name says the totals, with the same numbers as a table beside it.
 */
export function verificationsChart(rows: DailyStats[], days: number, now = Date.now()): HTMLElement {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const times = Array.from({ length: days }, (_, i) => today - (days - 1 - i) * DAY_MS);
  const byTime = new Map(rows.map((row) => [row.time, row]));
  const shown = OUTCOMES.filter((outcome) => rows.some((row) => row[outcome] > 0));
  const counts = shown.map((outcome) => times.map((time) => byTime.get(time)?.[outcome] ?? 0));

  const totals = shown.map((outcome, i) => `${count(sum(counts[i]!))} ${OUTCOME_STYLE[outcome].label.toLowerCase()}`);
  const summary =
    shown.length === 0
      ? `Verifications per day by outcome, last ${days} days: none.`
      : `Verifications per day by outcome, last ${days} days: ${totals.join(", ")}.`;
  const canvas = h("div", { role: "img", "aria-label": summary, class: "chart-canvas" });
  const figure = h("figure", { class: "chart" }, canvas, dataTable(times, shown, counts));
  drawWhenSized(canvas, times, shown, counts);
  return figure;
}

/** uPlot needs a width: draw once the chart is laid out, and follow its width after that. */
function drawWhenSized(container: HTMLElement, times: number[], shown: Outcome[], counts: number[][]): void {
  let plot: uPlot | undefined;
  const observer = new ResizeObserver(([entry]) => {
    const width = Math.floor(entry?.contentRect.width ?? 0);
    if (width === 0) return;
    if (plot) plot.setSize({ width, height: HEIGHT });
    else plot = new uPlot(options(width, shown, counts), [times.map((time) => time / 1000), ...stacked(counts).reverse()], container);
  });
  observer.observe(container);
}

/**
 * Bars drawn from zero to the running total, tallest first: each outcome's bar covers the part of
 * the taller ones below its top, which leaves them stacked. The legend shows each outcome's own
 * count on the day under the cursor, and over the whole period otherwise.
 */
function options(width: number, shown: Outcome[], counts: number[][]): uPlot.Options {
  const topFirst = [...shown].reverse();
  const bars = uPlot.paths.bars?.({ size: [0.7, 48] });
  return {
    width,
    height: HEIGHT,
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), "Etc/UTC"),
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (_plot, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
    axes: [{}, { size: 56 }],
    series: [
      { label: "Day", value: (_plot, seconds) => (seconds === null ? `Last ${counts[0]?.length ?? 0} days` : day(seconds * 1000)) },
      ...topFirst.map((outcome, i) => ({
        label: OUTCOME_STYLE[outcome].label,
        fill: OUTCOME_STYLE[outcome].color,
        stroke: OUTCOME_STYLE[outcome].color,
        paths: bars,
        points: { show: false },
        value: (_plot: uPlot, _stacked: number | null, _series: number, index: number | null) => {
          const own = counts[shown.length - 1 - i]!;
          return count(index === null ? sum(own) : (own[index] ?? 0));
        },
      })),
    ],
  };
}

/** Running totals, bottom outcome first; null where there is nothing to draw. */
function stacked(counts: number[][]): (number | null)[][] {
  const totals: number[][] = [];
  counts.forEach((series, i) => {
    totals.push(series.map((value, day) => value + (i === 0 ? 0 : totals[i - 1]![day]!)));
  });
  return totals.map((series) => series.map((total) => (total === 0 ? null : total)));
}

function dataTable(times: number[], shown: Outcome[], counts: number[][]): HTMLElement {
  const daysWithData = times.map((time, index) => ({ time, index })).filter(({ index }) => counts.some((series) => series[index]! > 0));
  const rows = daysWithData.map(({ time, index }) =>
    h("tr", {}, ...cells([day(time)], ...counts.map((series) => [count(series[index]!)]), [count(sum(counts.map((series) => series[index]!)))])),
  );
  return h(
    "details",
    { class: "chart-table" },
    h("summary", {}, "Show the numbers"),
    rows.length === 0
      ? h("p", {}, "No verifications in this period.")
      : table("Verifications per day by outcome", ["Day (UTC)", ...shown.map((outcome) => OUTCOME_STYLE[outcome].label), "Total"], rows),
  );
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
