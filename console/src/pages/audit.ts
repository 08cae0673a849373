import { type AuditFilter, auditTable } from "../audit";
import { field, h, textOf, uniqueId } from "../dom";
import { showError } from "../notices";

/** What Keygate records: one entry per change, with who made it. */
const EVENTS = [
  "api.create",
  "api.update",
  "api.delete",
  "key.create",
  "key.update",
  "key.disable",
  "key.enable",
  "key.ip_allowlist.update",
  "key.remaining.update",
  "key.reroll",
  "key.revoke",
  "key.delete",
  "identity.create",
  "identity.update",
  "identity.delete",
  "permission.create",
  "permission.delete",
  "role.create",
  "role.delete",
  "ratelimit.namespace.create",
  "ratelimit.override.set",
  "ratelimit.override.delete",
  "root_key.create",
  "root_key.delete",
  "workspace.create",
];

/** The workspace's audit log, filtered by event, key, api and time. */
export async function auditPage(view: HTMLElement): Promise<void> {
  const events = h("datalist", { id: uniqueId("events") }, ...EVENTS.map((event) => h("option", { value: event })));
  const event = h("input", { type: "text", maxlength: 64, list: events.id, spellcheck: "false" });
  const keyId = h("input", { type: "text", maxlength: 256, spellcheck: "false" });
  const apiId = h("input", { type: "text", maxlength: 256, spellcheck: "false" });
  const since = h("input", { type: "date" });
  const until = h("input", { type: "date" });
  let filter: AuditFilter = {};
  const log = auditTable("Audit log", () => filter);

  const form = h(
    "form",
    { class: "inline-form filters", "aria-label": "Filters" },
    field("Event", event),
    events,
    field("Key id", keyId),
    field("API id", apiId),
    field("From (UTC day)", since),
    field("To (UTC day)", until),
    h("button", { type: "submit" }, "Apply filters"),
  );
  form.addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    filter = {
      event: textOf(event),
      keyId: textOf(keyId),
      apiId: textOf(apiId),
      since: since.valueAsNumber || undefined,
      // The whole of the last day.
      until: until.valueAsNumber ? until.valueAsNumber + 86_400_000 - 1 : undefined,
    };
    log.reset().catch(showError);
  });

  view.append(h("h1", { tabindex: -1 }, "Audit log"), form, log.element);
  await log.reset();
}
