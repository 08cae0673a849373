import { get, post } from "../api";
import { formDialog, showSecret } from "../dialogs";
import { button, cells, checkbox, field, fill, h, listOf, table } from "../dom";
import { dateTime } from "../format";
import { announce, refreshAfterChange } from "../notices";
import { can, identity } from "../session";
import type { IssuedKey, RootKey } from "../types";

/** The permissions a root key can be given, by area; `*` in place of an id means every one. */
const PERMISSION_GROUPS: [string, string[]][] = [
  ["APIs", ["api.*.create_api", "api.*.read_api", "api.*.update_api", "api.*.delete_api"]],
  ["Keys", ["api.*.create_key", "api.*.read_key", "api.*.update_key", "api.*.delete_key", "api.*.read_analytics"]],
  [
    "Permissions and roles",
    [
      "rbac.*.create_permission",
      "rbac.*.read_permission",
      "rbac.*.delete_permission",
      "rbac.*.create_role",
      "rbac.*.read_role",
      "rbac.*.delete_role",
      "rbac.*.add_permission_to_key",
      "rbac.*.remove_permission_from_key",
      "rbac.*.add_role_to_key",
      "rbac.*.remove_role_from_key",
    ],
  ],
  ["Identities", ["identity.*.create_identity", "identity.*.read_identity", "identity.*.update_identity", "identity.*.delete_identity"]],
  ["Rate limits", ["ratelimit.*.limit", "ratelimit.*.set_override", "ratelimit.*.read_override", "ratelimit.*.delete_override"]],
  ["Root keys", ["root_key.*.create_root_key", "root_key.*.read_root_key", "root_key.*.delete_root_key"]],
  ["Audit log", ["audit.*.read_logs"]],
];

/** The workspace's root keys: list, create with a permission picker, delete. */
export async function rootKeysPage(view: HTMLElement): Promise<void> {
  const list = h("div", { class: "table-wrap" });
  const load = async () => {
    const { rootKeys } = await get<{ rootKeys: RootKey[] }>("rootKeys.listRootKeys");
    if (rootKeys.length === 0) return fill(list, h("p", {}, "No root keys besides the bootstrap ROOT_KEY."));
    fill(
      list,
      table(
        "Root keys",
        ["Name", "Root key id", "Starts with", "Permissions", "Created", "Expires", "Created by", "Actions"],
        rootKeys.map((rootKey) => rootKeyRow(rootKey, load)),
      ),
    );
  };
  view.append(
    h(
      "div",
      { class: "section-head" },
      h("h1", { tabindex: -1 }, "Root keys"),
      can("root_key.*.create_root_key") ? button("Create root key", () => createRootKeyDialog(load), { class: "primary" }) : null,
    ),
    h(
      "p",
      {},
      "Root keys make management calls, like this console's. A root key can give only permissions it holds, and cannot outlive the key that created it.",
    ),
    list,
  );
  await load();
}

function rootKeyRow(rootKey: RootKey, changed: () => Promise<void>): HTMLTableRowElement {
  const remove = button(
    "Delete",
    () =>
      formDialog({
        title: `Delete root key ${rootKey.name ?? rootKey.id}?`,
        intro: [
          h("p", {}, "Its next management call is refused. Root keys it created keep working until each is deleted or expires."),
          rootKey.id === identity().id ? h("p", { class: "error" }, "This is the root key you are signed in with: the console signs you out.") : null,
        ],
        fields: [],
        submitLabel: "Delete root key",
        danger: true,
        action: async () => {
          await post("rootKeys.deleteRootKey", { keyId: rootKey.id });
          announce(`Deleted root key ${rootKey.name ?? rootKey.id}.`);
          await refreshAfterChange(changed);
        },
      }),
    { class: "danger" },
  );
  return h(
    "tr",
    {},
    ...cells(
      [rootKey.name ?? "Unnamed"],
      [h("code", {}, rootKey.id)],
      [h("code", {}, `${rootKey.start}…`)],
      [rootKey.permissions.join(", ") || "None"],
      [dateTime(rootKey.createdAt)],
      [rootKey.expires ? dateTime(rootKey.expires) : "Never"],
      [rootKey.createdBy ? h("code", {}, rootKey.createdBy) : "—"],
      can("root_key.*.delete_root_key") ? [remove] : [],
    ),
  );
}

/**
 * The permission picker offers every permission, and enables only those the signed-in root key
 * holds: Keygate refuses to grant any other.
 */
function createRootKeyDialog(created: () => Promise<void>): void {
  const me = identity();
  const name = h("input", { type: "text", maxlength: 256, required: true });
  const expires = h("input", { type: "datetime-local", required: me.expires !== undefined });
  const everything = checkbox("Everything (*)", { value: "*", disabled: !can("*") });
  const groups = PERMISSION_GROUPS.map(([area, permissions]) => {
    const checks = permissions.map((permission) => checkbox(permission, { value: permission, disabled: !can(permission) }));
    return { element: h("fieldset", {}, h("legend", {}, area), h("div", { class: "checks" }, ...checks.map((check) => check.row))), checks };
  });
  const more = h("textarea", { rows: 2, spellcheck: "false", placeholder: "api.api_123.read_key" });
  const expiryHint = me.expires === undefined ? "Empty: never." : `This root key expires ${dateTime(me.expires)}: the new one must expire by then.`;

  formDialog({
    title: "Create root key",
    fields: [
      field("Name", name),
      field("Expires", expires, expiryHint),
      h(
        "fieldset",
        {},
        h("legend", {}, "Permissions"),
        h("p", { class: "hint" }, "Only permissions this root key holds can be given; the others are greyed out."),
        everything.row,
        ...groups.map((group) => group.element),
        field("Other permissions", more, "One a line or comma-separated, e.g. for one api: api.<apiId>.read_key."),
      ),
    ],
    submitLabel: "Create root key",
    action: async () => {
      const permissions = [
        ...(everything.input.checked ? ["*"] : []),
        ...groups.flatMap((group) => group.checks.filter((check) => check.input.checked).map((check) => check.input.value)),
        ...listOf(more),
      ];
      const issued = await post<IssuedKey>("rootKeys.createRootKey", {
        name: name.value.trim(),
        permissions,
        expires: expires.value ? new Date(expires.value).getTime() : undefined,
      });
      announce(`Created root key ${issued.keyId}.`);
      await refreshAfterChange(created);
      return () => showSecret("Root key created", issued.key, ["Copy it now: Keygate keeps only its hash, so it cannot be shown again."]);
    },
  });
}
