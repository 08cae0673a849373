import { getAll, post } from "../api";
import { formDialog } from "../dialogs";
import { button, cells, field, fill, h, table } from "../dom";
import { announce, refreshAfterChange, showError } from "../notices";
import { can, canOnApi } from "../session";
import type { Api } from "../types";

/** The workspace's apis: list, create, delete. */
export async function apisPage(view: HTMLElement): Promise<void> {
  const list = h("div", { "aria-busy": "true" }, h("p", {}, "Loading…"));
  view.append(h("h1", { tabindex: -1 }, "APIs"));
  if (can("api.*.create_api")) view.append(createApiForm());
  view.append(h("section", { "aria-label": "Your APIs" }, list));

  async function load(): Promise<void> {
    const apis = await getAll("apis.listApis", {}, (page: { apis: Api[]; cursor?: string }) => page.apis);
    list.removeAttribute("aria-busy");
    if (apis.length === 0) return fill(list, h("p", {}, "No APIs yet. Create one to issue keys for it."));
    const rows = apis.map((api) =>
      h(
        "tr",
        {},
        ...cells(
          [h("a", { href: `#/apis/${encodeURIComponent(api.id)}` }, api.name ?? api.id)],
          [h("code", {}, api.id)],
          [
            Object.entries(api.keyPrefixes)
              .map(([environment, prefix]) => `${environment}: ${prefix}`)
              .join(", ") || "—",
          ],
          canOnApi(api.id, "delete_api") ? [button("Delete", () => deleteApi(api, load), { class: "danger" })] : [],
        ),
      ),
    );
    fill(list, table("APIs", ["Name", "API id", "Key prefixes", "Actions"], rows));
  }
  await load();
}

function createApiForm(): HTMLFormElement {
  const name = h("input", { type: "text", maxlength: 256, required: true });
  const form = h(
    "form",
    { class: "inline-form", "aria-label": "New API" },
    field("API name", name),
    h("button", { type: "submit", class: "primary" }, "Create API"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const { apiId } = await post<{ apiId: string }>("apis.createApi", { name: name.value.trim() });
      announce(`Created API ${name.value.trim()}.`);
      location.hash = `#/apis/${encodeURIComponent(apiId)}`;
    } catch (err) {
      showError(err);
    }
  });
  return form;
}

function deleteApi(api: Api, deleted: () => Promise<void>): void {
  formDialog({
    title: `Delete ${api.name ?? api.id}?`,
    intro: [h("p", {}, "Deletes the API and every key in it: each key fails its very next verify.")],
    fields: [],
    submitLabel: "Delete API",
    danger: true,
    action: async () => {
      await post("apis.deleteApi", { apiId: api.id });
      announce(`Deleted API ${api.name ?? api.id}.`);
      await refreshAfterChange(deleted);
    },
  });
}
