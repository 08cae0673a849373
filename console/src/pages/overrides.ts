import { get, post } from "../api";
import { formDialog } from "../dialogs";
import { button, cells, field, fill, h, numberOf, table } from "../dom";
import { count, duration } from "../format";
import { announce, refreshAfterChange, showError } from "../notices";
import { pager } from "../pager";
import { can } from "../session";
import type { Override } from "../types";

/**
 * Rate limit overrides of one namespace (ratelimits.limit's): the identifiers, or patterns, that
 * get a limit of their own. The namespace is part of the address: #/ratelimits/<namespace>.
 */
export async function overridesPage(view: HTMLElement, namespace: string): Promise<void> {
  view.append(h("h1", { tabindex: -1 }, "Rate limit overrides"));
  const namespaceInput = h("input", { type: "text", maxlength: 256, required: true, spellcheck: "false", value: namespace, placeholder: "email.outbound" });
  const chooser = h(
    "form",
    { class: "inline-form", "aria-label": "Namespace" },
    field("Namespace", namespaceInput),
    h("button", { type: "submit" }, "Show overrides"),
  );
  chooser.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = `#/ratelimits/${encodeURIComponent(namespaceInput.value.trim())}`;
  });
  view.append(h("p", {}, "Overrides give one identifier (or a pattern, where * matches anything) its own limit in a namespace of ratelimits.limit."), chooser);
  if (namespace === "") return;

  const list = h("div", { class: "table-wrap" });
  const pages = pager("Pages of overrides", async (cursor) => {
    const page = await get<{ overrides: Override[]; cursor?: string }>("ratelimits.listOverrides", { namespaceName: namespace, limit: 25, cursor });
    if (page.overrides.length === 0) fill(list, h("p", {}, "No overrides in this namespace."));
    else
      fill(
        list,
        table(
          "Overrides",
          ["Identifier", "Limit", "Window", "Actions"],
          page.overrides.map((override) => overrideRow(namespace, override, pages.reload)),
        ),
      );
    return page.cursor;
  });
  view.append(
    h(
      "section",
      { "aria-labelledby": "overrides-heading" },
      h("h2", { id: "overrides-heading" }, `Namespace ${namespace}`),
      can("ratelimit.*.set_override") ? setOverrideForm(namespace, pages.reload) : null,
      list,
      pages.element,
    ),
  );
  await pages.reset();
}

function overrideRow(namespace: string, override: Override, changed: () => Promise<void>): HTMLTableRowElement {
  const remove = button(
    "Delete",
    () =>
      formDialog({
        title: `Delete the override of ${override.identifier}?`,
        intro: [h("p", {}, "ratelimits.limit uses the limit it is given for this identifier again.")],
        fields: [],
        submitLabel: "Delete override",
        danger: true,
        action: async () => {
          await post("ratelimits.deleteOverride", { namespaceName: namespace, identifier: override.identifier });
          announce(`Deleted the override of ${override.identifier}.`);
          await refreshAfterChange(changed);
        },
      }),
    { class: "danger" },
  );
  return h(
    "tr",
    {},
    ...cells([override.identifier], [count(override.limit)], [duration(override.duration)], can("ratelimit.*.delete_override") ? [remove] : []),
  );
}

function setOverrideForm(namespace: string, changed: () => Promise<void>): HTMLFormElement {
  const identifier = h("input", { type: "text", maxlength: 256, required: true, spellcheck: "false", placeholder: "*@example.com" });
  const limit = h("input", { type: "number", min: 1, step: 1, required: true, inputmode: "numeric" });
  const seconds = h("input", { type: "number", min: 1, step: 1, required: true, value: 60, inputmode: "numeric" });
  const form = h(
    "form",
    { class: "inline-form", "aria-label": "Set an override" },
    field("Identifier", identifier),
    field("Limit (requests)", limit),
    field("Window (seconds)", seconds),
    h("button", { type: "submit", class: "primary" }, "Set override"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await post("ratelimits.setOverride", {
        namespaceName: namespace,
        identifier: identifier.value.trim(),
        limit: numberOf(limit),
        duration: (numberOf(seconds) ?? 60) * 1000,
      });
      announce(`Set the override of ${identifier.value.trim()}.`);
      form.reset();
      await refreshAfterChange(changed);
    } catch (err) {
      showError(err);
    }
  });
  return form;
}
