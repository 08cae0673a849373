import { get } from "./api";
import { verificationsChart } from "./chart";
import { fill, h } from "./dom";
import { DAY_MS, startOfDay } from "./format";
import { errorText } from "./notices";
import type { DailyStats } from "./types";

/** Days of verifications the charts show, today included. */
const CHART_DAYS = 30;

/**
 * A "Verifications" section: a chart of an api's verifications per day by outcome, or of some of
 * its keys', from analytics.getVerifications. Counts reach it about 10 seconds after the verifies.
 */
export function usageSection(apiId: string, keyId?: string): HTMLElement {
  const body = h("div", { class: "chart-slot", "aria-busy": "true" }, h("p", {}, "Loading…"));
  const refresh = h("button", { type: "button" }, "Refresh");
  const element = h(
    "section",
    { "aria-labelledby": "usage-heading" },
    h("div", { class: "section-head" }, h("h2", { id: "usage-heading" }, "Verifications"), refresh),
    body,
  );

  const load = async (): Promise<void> => {
    const now = Date.now();
    const rows = await get<DailyStats[]>("analytics.getVerifications", {
      apiId,
      keyId,
      groupBy: "day",
      start: startOfDay(now) - (CHART_DAYS - 1) * DAY_MS,
      end: now,
    });
    body.removeAttribute("aria-busy");
    fill(body, verificationsChart(rows, CHART_DAYS, now));
  };
  const failed = (err: unknown) => fill(body, h("p", { role: "alert", class: "error" }, errorText(err)));
  load().catch(failed);
  refresh.addEventListener("click", () => load().catch(failed));
  return element;
}
