import { get, post } from "../api";
import { formDialog } from "../dialogs";
import { button, cells, checkbox, field, fill, h, listOf, table, textOf } from "../dom";
import { announce, refreshAfterChange, showError } from "../notices";
import { can } from "../session";
import type { Permission, Role } from "../types";

/** The workspace's permissions and roles, which keys are given and verify asks about. */
export async function rbacPage(view: HTMLElement): Promise<void> {
  view.append(h("h1", { tabindex: -1 }, "Permissions and roles"));
  const permissionsList = h("div", { class: "table-wrap" });
  const rolesList = h("div", { class: "table-wrap" });
  let permissions: Permission[] = [];

  const loadPermissions = async () => {
    permissions = await get<Permission[]>("permissions.listPermissions");
    if (permissions.length === 0) return fill(permissionsList, h("p", {}, "No permissions yet."));
    fill(
      permissionsList,
      table(
        "Permissions",
        ["Name", "Description", "Permission id", "Actions"],
        permissions.map((permission) => permissionRow(permission, loadAll)),
      ),
    );
  };
  const loadRoles = async () => {
    const roles = await get<Role[]>("permissions.listRoles");
    if (roles.length === 0) return fill(rolesList, h("p", {}, "No roles yet."));
    // Each role's permissions come with the role itself (permissions.getRole).
    const detailed = await Promise.all(roles.map((role) => get<Role & { permissions: string[] }>("permissions.getRole", { roleId: role.id })));
    fill(
      rolesList,
      table(
        "Roles",
        ["Name", "Description", "Permissions", "Actions"],
        detailed.map((role) => roleRow(role, loadAll)),
      ),
    );
  };
  const loadAll = async () => {
    await Promise.all([can("rbac.*.read_permission") ? loadPermissions() : undefined, can("rbac.*.read_role") ? loadRoles() : undefined]);
  };

  if (can("rbac.*.read_permission")) {
    view.append(
      h(
        "section",
        { "aria-labelledby": "permissions-heading" },
        h("h2", { id: "permissions-heading" }, "Permissions"),
        can("rbac.*.create_permission") ? createPermissionForm(loadAll) : null,
        permissionsList,
      ),
    );
  }
  if (can("rbac.*.read_role")) {
    view.append(
      h(
        "section",
        { "aria-labelledby": "roles-heading" },
        h(
          "div",
          { class: "section-head" },
          h("h2", { id: "roles-heading" }, "Roles"),
          can("rbac.*.create_role") ? button("Create role", () => createRoleDialog(permissions, loadAll), { class: "primary" }) : null,
        ),
        rolesList,
      ),
    );
  }
  await loadAll();
}

function permissionRow(permission: Permission, changed: () => Promise<void>): HTMLTableRowElement {
  const actions = can("rbac.*.delete_permission")
    ? [
        button("Delete", () => confirmDelete(`permission ${permission.name}`, "permissions.deletePermission", { permissionId: permission.id }, changed), {
          class: "danger",
        }),
      ]
    : [];
  return h("tr", {}, ...cells([permission.name], [permission.description ?? ""], [h("code", {}, permission.id)], actions));
}

function roleRow(role: Role & { permissions: string[] }, changed: () => Promise<void>): HTMLTableRowElement {
  const actions = can("rbac.*.delete_role")
    ? [button("Delete", () => confirmDelete(`role ${role.name}`, "permissions.deleteRole", { roleId: role.id }, changed), { class: "danger" })]
    : [];
  return h("tr", {}, ...cells([role.name], [role.description ?? ""], [role.permissions.join(", ") || "None"], actions));
}

function confirmDelete(what: string, path: string, body: Record<string, string>, changed: () => Promise<void>): void {
  formDialog({
    title: `Delete ${what}?`,
    intro: [h("p", {}, "Keys that have it lose it, and their very next verify sees that.")],
    fields: [],
    submitLabel: "Delete",
    danger: true,
    action: async () => {
      await post(path, body);
      announce(`Deleted ${what}.`);
      await refreshAfterChange(changed);
    },
  });
}

function createPermissionForm(created: () => Promise<void>): HTMLFormElement {
  const name = h("input", { type: "text", maxlength: 256, required: true, spellcheck: "false", placeholder: "documents.read" });
  const description = h("input", { type: "text", maxlength: 1024 });
  const form = h(
    "form",
    { class: "inline-form", "aria-label": "New permission" },
    field("Permission name", name),
    field("Description", description),
    h("button", { type: "submit", class: "primary" }, "Create permission"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await post("permissions.createPermission", { name: name.value.trim(), description: textOf(description) });
      announce(`Created permission ${name.value.trim()}.`);
      form.reset();
      await refreshAfterChange(created);
    } catch (err) {
      showError(err);
    }
  });
  return form;
}

function createRoleDialog(permissions: Permission[], created: () => Promise<void>): void {
  const name = h("input", { type: "text", maxlength: 256, required: true, spellcheck: "false" });
  const description = h("input", { type: "text", maxlength: 1024 });
  const checks = permissions.map((permission) => checkbox(permission.name, { value: permission.name }));
  const more = h("input", { type: "text", spellcheck: "false" });
  formDialog({
    title: "Create role",
    fields: [
      field("Role name", name),
      field("Description", description),
      h(
        "fieldset",
        {},
        h("legend", {}, "Permissions it grants"),
        h("div", { class: "checks" }, ...checks.map((check) => check.row)),
        field("Other permissions", more, "Comma-separated; ones that do not exist yet are created."),
      ),
    ],
    submitLabel: "Create role",
    action: async () => {
      const granted = [...checks.filter((check) => check.input.checked).map((check) => check.input.value), ...listOf(more)];
      await post("permissions.createRole", { name: name.value.trim(), description: textOf(description), permissions: granted });
      announce(`Created role ${name.value.trim()}.`);
      await refreshAfterChange(created);
    },
  });
}
