import { ApiError, get } from "../api";
import { button, cells, fill, h, table } from "../dom";
import { credits, keyActions, keyStatus } from "../keys";
import { showError } from "../notices";
import { pager } from "../pager";
import { canOnApi } from "../session";
import type { Api, Key, KeyPage } from "../types";
import { usageSection } from "../usage";
import { openCreateKeyDialog } from "./createKey";

const PAGE_SIZE = 20;
/** A search by name reads at most this many keys, a page of 100 at a time. */
const NAME_SEARCH_LIMIT = 1000;

/** One api: its verifications chart and its keys (search, pages, create, and each key's actions). */
export async function apiPage(view: HTMLElement, apiId: string): Promise<void> {
  const heading = h("h1", { tabindex: -1 }, apiId);
  const details = h("p", { class: "hint" });
  view.append(h("p", { class: "crumbs" }, h("a", { href: "#/apis" }, "APIs")), heading, details);

  const api = await readApi(apiId);
  fill(heading, api.name ?? api.id);
  const prefixes = Object.entries(api.keyPrefixes).map(([environment, prefix]) => `${environment}: ${prefix}`);
  fill(details, h("code", {}, api.id), prefixes.length > 0 ? ` · key prefixes ${prefixes.join(", ")}` : "");

  if (canOnApi(apiId, "read_analytics")) view.append(usageSection(apiId));
  if (canOnApi(apiId, "read_key")) view.append(keysSection(api));
  else if (canOnApi(apiId, "create_key"))
    view.append(
      h(
        "section",
        {},
        h("h2", {}, "Keys"),
        createKeyButton(api, () => undefined),
      ),
    );
}

/** The api, or only its id for a root key that may work with its keys but not read the api itself. */
async function readApi(apiId: string): Promise<Pick<Api, "id" | "name" | "keyPrefixes">> {
  try {
    return await get<Api>("apis.getApi", { apiId });
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return { id: apiId, keyPrefixes: {} };
    throw err;
  }
}

function createKeyButton(api: Pick<Api, "id" | "keyPrefixes">, created: () => unknown): HTMLButtonElement {
  return button("Create key", () => openCreateKeyDialog(api, created).catch(showError), { class: "primary" });
}

function keysSection(api: Pick<Api, "id" | "keyPrefixes">): HTMLElement {
  const summary = h("p", { class: "hint", "aria-live": "polite" });
  const list = h("div", { class: "table-wrap" });
  let searching: string | undefined;

  const showKeys = (keys: Key[]) => {
    if (keys.length === 0) return fill(list, h("p", {}, searching ? "No key matches." : "No keys yet."));
    fill(
      list,
      table(
        "Keys",
        ["Name", "Key", "External id", "Credits", "Status", "Actions"],
        keys.map((key) => keyRow(key, api.id, refresh)),
      ),
    );
  };
  const pages = pager("Pages of keys", async (cursor) => {
    const page = await get<KeyPage>("apis.listKeys", { apiId: api.id, limit: PAGE_SIZE, cursor });
    fill(summary, `${page.total.toLocaleString()} key${page.total === 1 ? "" : "s"}`);
    showKeys(page.keys);
    return page.cursor;
  });
  const refresh = async () => {
    if (searching === undefined) return pages.reload();
    await search(searching);
  };

  const query = h("input", { id: "key-search", type: "search", maxlength: 256, spellcheck: "false", placeholder: "Name, external id or key id" });
  const searchForm = h(
    "form",
    { role: "search", class: "inline-form" },
    h("div", { class: "field" }, h("label", { for: query.id }, "Search keys"), query),
    h("button", { type: "submit" }, "Search"),
    button("Clear", () => {
      query.value = "";
      searching = undefined;
      pages.element.hidden = false;
      void pages.reset();
    }),
  );
  const search = async (text: string) => {
    searching = text;
    pages.element.hidden = true;
    const { keys, complete } = await searchKeys(api.id, text);
    fill(summary, `${keys.length} found${complete ? "" : ` (names searched among the first ${NAME_SEARCH_LIMIT.toLocaleString()} keys)`}`);
    showKeys(keys);
  };
  searchForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = query.value.trim();
    if (text === "") return;
    search(text).catch(showError);
  });

  void pages.reset();
  return h(
    "section",
    { "aria-labelledby": "keys-heading" },
    h("div", { class: "section-head" }, h("h2", { id: "keys-heading" }, "Keys"), canOnApi(api.id, "create_key") ? createKeyButton(api, () => refresh()) : null),
    searchForm,
    summary,
    list,
    pages.element,
  );
}

function keyRow(key: Key, apiId: string, changed: () => unknown): HTMLTableRowElement {
  const status = keyStatus(key);
  return h(
    "tr",
    {},
    ...cells(
      [h("a", { href: `#/keys/${encodeURIComponent(key.id)}` }, key.name ?? "Unnamed key")],
      [h("code", {}, key.id), h("br"), h("code", { class: "hint" }, `${key.start}…`)],
      [key.identity?.externalId ?? key.ownerId ?? "—"],
      [credits(key)],
      [h("span", { class: `badge ${status.toLowerCase()}` }, status)],
      [h("div", { class: "row-actions" }, ...keyActions(key, apiId, changed))],
    ),
  );
}

/**
 * Keys whose id is the text, whose identity's external id is the text, or whose name contains
 * it (case-insensitively), through apis.listKeys and keys.getKey. A name is matched in the
 * console, so only among the first NAME_SEARCH_LIMIT keys: `complete` says whether that was all.
 */
async function searchKeys(apiId: string, text: string): Promise<{ keys: Key[]; complete: boolean }> {
  const found = new Map<string, Key>();
  const byId = get<Key>("keys.getKey", { keyId: text }).catch(() => undefined);
  const byExternalId = get<KeyPage>("apis.listKeys", { apiId, externalId: text, limit: 100 });
  const needle = text.toLowerCase();
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = await get<KeyPage>("apis.listKeys", { apiId, limit: 100, cursor });
    for (const key of page.keys) if (key.name?.toLowerCase().includes(needle) || key.id === text) found.set(key.id, key);
    read += page.keys.length;
    cursor = page.cursor;
  } while (cursor && read < NAME_SEARCH_LIMIT);
  const [keyWithId, withExternalId] = await Promise.all([byId, byExternalId]);
  if (keyWithId?.apiId === apiId) found.set(keyWithId.id, keyWithId);
  for (const key of withExternalId.keys) found.set(key.id, key);
  return { keys: [...found.values()], complete: cursor === undefined };
}
