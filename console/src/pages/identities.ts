import { get, post } from "../api";
import { formDialog } from "../dialogs";
import { button, cells, field, fill, h, table, textOf } from "../dom";
import { count, duration } from "../format";
import { announce, refreshAfterChange, showError } from "../notices";
import { pager } from "../pager";
import { can } from "../session";
import type { Identity } from "../types";

/** Identities (the users or organisations keys belong to): list, create, delete. */
export async function identitiesPage(view: HTMLElement): Promise<void> {
  const summary = h("p", { class: "hint" });
  const list = h("div", { class: "table-wrap" });
  const pages = pager("Pages of identities", async (cursor) => {
    const page = await get<{ identities: Identity[]; cursor?: string; total: number }>("identities.listIdentities", { limit: 25, cursor });
    fill(summary, `${count(page.total)} identit${page.total === 1 ? "y" : "ies"}`);
    if (page.identities.length === 0) fill(list, h("p", {}, "No identities yet."));
    else
      fill(
        list,
        table(
          "Identities",
          ["External id", "Identity id", "Shared limits", "Actions"],
          page.identities.map((identity) => identityRow(identity, pages.reload)),
        ),
      );
    return page.cursor;
  });

  view.append(h("h1", { tabindex: -1 }, "Identities"));
  view.append(h("p", {}, "An identity is one user or organisation: its keys share its meta and rate limits. Give a key its external id to link it."));
  if (can("identity.*.create_identity")) view.append(createIdentityForm(pages.reset));
  view.append(summary, list, pages.element);
  await pages.reset();
}

function identityRow(identity: Identity, changed: () => Promise<void>): HTMLTableRowElement {
  const limits = identity.ratelimits.map((limit) => `${limit.name}: ${count(limit.limit)} per ${duration(limit.duration)}`).join(", ");
  const remove = button(
    "Delete",
    () =>
      formDialog({
        title: `Delete identity ${identity.externalId}?`,
        intro: [h("p", {}, "Its keys keep working, without its meta and shared limits.")],
        fields: [],
        submitLabel: "Delete identity",
        danger: true,
        action: async () => {
          await post("identities.deleteIdentity", { identityId: identity.id });
          announce(`Deleted identity ${identity.externalId}.`);
          await refreshAfterChange(changed);
        },
      }),
    { class: "danger" },
  );
  return h("tr", {}, ...cells([identity.externalId], [h("code", {}, identity.id)], [limits || "None"], can("identity.*.delete_identity") ? [remove] : []));
}

function createIdentityForm(created: () => Promise<void>): HTMLFormElement {
  const externalId = h("input", { type: "text", maxlength: 256, required: true, spellcheck: "false" });
  const meta = h("input", { type: "text", spellcheck: "false", placeholder: '{"plan": "pro"}' });
  const form = h(
    "form",
    { class: "inline-form", "aria-label": "New identity" },
    field("External id", externalId),
    field("Meta (JSON object, optional)", meta),
    h("button", { type: "submit", class: "primary" }, "Create identity"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const metaText = textOf(meta);
      await post("identities.createIdentity", { externalId: externalId.value.trim(), meta: metaText === undefined ? undefined : JSON.parse(metaText) });
      announce(`Created identity ${externalId.value.trim()}.`);
      form.reset();
      await refreshAfterChange(created);
    } catch (err) {
      showError(err instanceof SyntaxError ? new Error("Meta: not valid JSON.") : err);
    }
  });
  return form;
}
