import { get } from "./api";
import { cells, fill, h, table } from "./dom";
import { dateTime } from "./format";
import { pager } from "./pager";
import type { AuditLog } from "./types";

export interface AuditFilter {
  keyId?: string;
  apiId?: string;
  event?: string;
  since?: number;
  until?: number;
}

/** The audit log, newest first, a page at a time, filtered; `filter` is read at each load. */
export function auditTable(label: string, filter: () => AuditFilter) {
  const list = h("div", { class: "table-wrap" });
  const pages = pager(`Pages of ${label.toLowerCase()}`, async (cursor) => {
    const page = await get<{ logs: AuditLog[]; cursor?: string }>("audit.listLogs", { ...filter(), limit: 25, cursor });
    if (page.logs.length === 0) fill(list, h("p", {}, "No entries."));
    else fill(list, table(label, ["Time", "Event", "By", "Resources", "What happened"], page.logs.map(auditRow)));
    return page.cursor;
  });
  return { element: h("div", {}, list, pages.element), reset: pages.reset };
}

function auditRow(log: AuditLog): HTMLTableRowElement {
  return h(
    "tr",
    {},
    ...cells(
      [dateTime(log.time)],
      [h("code", {}, log.event)],
      [h("code", {}, log.actor.id)],
      [log.resources.map((resource) => `${resource.type} ${resource.id}`).join(", ")],
      [log.description],
    ),
  );
}
