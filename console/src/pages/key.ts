import { ApiError, get } from "../api";
import { auditTable } from "../audit";
import { type Child, fill, h } from "../dom";
import { count, dateTime, duration } from "../format";
import { credits, keyActions, keyLabel, keyStatus } from "../keys";
import { can, canOnApi } from "../session";
import type { Key } from "../types";
import { usageSection } from "../usage";

/** One key: its settings, when it was last used, its verifications per day, and its audit trail. */
export async function keyPage(view: HTMLElement, keyId: string): Promise<void> {
  const heading = h("h1", { tabindex: -1 }, keyId);
  const apiLink = h("a", { href: "#/apis" }, "APIs");
  const status = h("p", {});
  const actions = h("div", { class: "row-actions" });
  const settings = h("dl", { class: "settings" });
  view.append(h("p", { class: "crumbs" }, apiLink), heading, status, actions);

  let key = await get<Key>("keys.getKey", { keyId });
  const apiId = key.apiId!;
  apiLink.href = `#/apis/${encodeURIComponent(apiId)}`;
  fill(apiLink, "Back to its API");

  const reload = async () => {
    try {
      key = await get<Key>("keys.getKey", { keyId });
    } catch (err) {
      // Deleted: its api's page is where it was.
      if (err instanceof ApiError && err.status === 404) {
        location.hash = `#/apis/${encodeURIComponent(apiId)}`;
        return;
      }
      throw err;
    }
    render();
  };
  const render = () => {
    fill(heading, keyLabel(key));
    const state = keyStatus(key);
    fill(status, h("span", { class: `badge ${state.toLowerCase()}` }, state));
    fill(actions, ...keyActions(key, apiId, reload));
    fill(settings, ...settingRows(key));
  };
  render();
  view.append(h("section", { "aria-labelledby": "settings-heading" }, h("h2", { id: "settings-heading" }, "Settings"), settings));

  if (canOnApi(apiId, "read_analytics")) view.append(usageSection(apiId, keyId));

  if (can("audit.*.read_logs")) {
    const trail = auditTable("Audit trail", () => ({ keyId }));
    view.append(h("section", { "aria-labelledby": "audit-heading" }, h("h2", { id: "audit-heading" }, "Audit trail"), trail.element));
    await trail.reset();
  }
}

function settingRows(key: Key): Child[] {
  const rows: [string, Child][] = [
    ["Key id", h("code", {}, key.id)],
    ["Starts with", h("code", {}, `${key.start}…`)],
    ["Environment", key.environment ?? "—"],
    ["Identity (external id)", key.identity?.externalId ?? key.ownerId ?? "—"],
    ["Created", dateTime(key.createdAt)],
    ["Updated", key.updatedAt ? dateTime(key.updatedAt) : "—"],
    // Counted with its verifications, so up to ~10 s late.
    ["Last used", key.lastUsedAt ? dateTime(key.lastUsedAt) : "Never"],
    ["Expires", key.expires ? dateTime(key.expires) : "Never"],
    ["Credits", credits(key)],
    ["Rate limit", key.ratelimit ? `${count(key.ratelimit.limit)} per ${duration(key.ratelimit.duration)}` : "None"],
    ["Named limits", list((key.ratelimits ?? []).map((limit) => `${limit.name}: ${count(limit.limit)} per ${duration(limit.duration)}`))],
    ["Permissions", list(key.permissions ?? [])],
    ["Roles", list(key.roles ?? [])],
    ["IP allowlist", list(key.ipAllowlist ?? [], "Any address")],
    ["Meta", key.meta ? h("pre", {}, JSON.stringify(key.meta, null, 2)) : "—"],
  ];
  if (key.revokedAt !== undefined) rows.push(["Revoked", `${dateTime(key.revokedAt)}${key.revokeReason ? `: ${key.revokeReason}` : ""}`]);
  return rows.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]);
}

function list(items: string[], empty = "None"): Child {
  return items.length === 0 ? empty : h("ul", { class: "plain" }, ...items.map((item) => h("li", {}, item)));
}
