/** How numbers and times read in the console: local time for moments, UTC for the days counts are kept in. */

const DAY_MS = 24 * 60 * 60 * 1000;

export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function day(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, { dateStyle: "medium", timeZone: "UTC" });
}

export function count(value: number): string {
  return value.toLocaleString();
}

/** A duration in ms as people say it: "1 minute", "30 seconds", "1.5 hours". */
export function duration(ms: number): string {
  const units: [string, number][] = [
    ["day", DAY_MS],
    ["hour", 3_600_000],
    ["minute", 60_000],
    ["second", 1000],
  ];
  for (const [unit, size] of units) {
    if (ms >= size) {
      const amount = Math.round((ms / size) * 10) / 10;
      return `${amount} ${unit}${amount === 1 ? "" : "s"}`;
    }
  }
  return `${ms} ms`;
}

/** UTC midnight of the day `ms` falls in. */
export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export { DAY_MS };
