import { get, post } from "../api";
import { formDialog, showSecret } from "../dialogs";
import { checkbox, field, h, listOf, numberOf, textOf, uniqueId } from "../dom";
import { announce, refreshAfterChange } from "../notices";
import { can } from "../session";
import type { Api, IssuedKey, Permission, Role } from "../types";

/**
 * The "Create key" dialog: every setting keys.createKey takes that people set by hand. The new
 * key's plaintext is shown once, in its own dialog, after this one closes.
 */
export async function openCreateKeyDialog(api: Pick<Api, "id" | "keyPrefixes">, created: () => unknown): Promise<void> {
  const [permissions, roles] = await Promise.all([
    can("rbac.*.add_permission_to_key") && can("rbac.*.read_permission") ? get<Permission[]>("permissions.listPermissions") : [],
    can("rbac.*.add_role_to_key") && can("rbac.*.read_role") ? get<Role[]>("permissions.listRoles") : [],
  ]);

  const name = h("input", { type: "text", maxlength: 256 });
  const prefix = h("input", { type: "text", maxlength: 16, pattern: "[A-Za-z0-9_]{1,16}", placeholder: "sk_live", spellcheck: "false" });
  const environments = h(
    "datalist",
    { id: uniqueId("environments") },
    ...Object.keys(api.keyPrefixes).map((environment) => h("option", { value: environment })),
  );
  const environment = h("input", { type: "text", maxlength: 256, list: environments.id, spellcheck: "false" });
  const externalId = h("input", { type: "text", maxlength: 256, spellcheck: "false" });
  const expires = h("input", { type: "datetime-local" });
  const remaining = h("input", { type: "number", min: 0, step: 1, inputmode: "numeric" });
  const refillInterval = h(
    "select",
    {},
    h("option", { value: "" }, "No refill"),
    h("option", { value: "daily" }, "Daily"),
    h("option", { value: "monthly" }, "Monthly"),
  );
  const refillAmount = h("input", { type: "number", min: 1, step: 1, inputmode: "numeric" });
  const refillDay = h("input", { type: "number", min: 1, max: 31, step: 1, inputmode: "numeric" });
  const limit = h("input", { type: "number", min: 1, step: 1, inputmode: "numeric" });
  const limitWindow = h("input", { type: "number", min: 1, step: 1, value: 60, inputmode: "numeric" });
  const permissionChecks = permissions.map((permission) => checkbox(permission.name, { value: permission.name }));
  const morePermissions = h("input", { type: "text", spellcheck: "false" });
  const roleChecks = roles.map((role) => checkbox(role.name, { value: role.name }));
  const ipAllowlist = h("textarea", { rows: 2, spellcheck: "false" });
  const meta = h("textarea", { rows: 2, spellcheck: "false", placeholder: '{"plan": "pro"}' });

  const access: HTMLElement[] = [];
  if (can("rbac.*.add_permission_to_key")) {
    access.push(
      h(
        "fieldset",
        {},
        h("legend", {}, "Permissions"),
        h("div", { class: "checks" }, ...permissionChecks.map((check) => check.row)),
        field("Other permissions", morePermissions, "Comma-separated; ones that do not exist yet are created."),
      ),
    );
  }
  if (can("rbac.*.add_role_to_key") && roles.length > 0) {
    access.push(h("fieldset", {}, h("legend", {}, "Roles"), h("div", { class: "checks" }, ...roleChecks.map((check) => check.row))));
  }

  formDialog({
    title: "Create key",
    fields: [
      h(
        "fieldset",
        {},
        h("legend", {}, "Key"),
        field("Name", name),
        field("Prefix", prefix, "Letters, digits or _, up to 16: the key reads <prefix>_…"),
        field("Environment", environment, "Without a prefix, the api's prefix for this environment is used."),
        environments,
        field("External id", externalId, "Links the key to this identity (user or organisation), created if new."),
        field("Expires", expires, "Local time; empty: never."),
      ),
      h(
        "fieldset",
        {},
        h("legend", {}, "Credits and rate limit"),
        field("Credits", remaining, "Empty: unlimited."),
        field("Refill", refillInterval),
        field("Refill amount", refillAmount),
        field("Refill on day of month", refillDay, "Monthly refills only; default the 1st."),
        field("Rate limit (requests)", limit, "Empty: no limit."),
        field("Rate limit window (seconds)", limitWindow),
      ),
      ...access,
      h(
        "fieldset",
        {},
        h("legend", {}, "More"),
        field("IP allowlist", ipAllowlist, "Addresses or CIDR ranges, one a line; empty: any address."),
        field("Meta (JSON object)", meta),
      ),
    ],
    submitLabel: "Create key",
    action: async () => {
      const body: Record<string, unknown> = {
        apiId: api.id,
        name: textOf(name),
        prefix: textOf(prefix),
        environment: textOf(environment),
        externalId: textOf(externalId),
        expires: expires.value ? new Date(expires.value).getTime() : undefined,
        remaining: numberOf(remaining),
        meta: parseMeta(meta.value),
      };
      if (refillInterval.value) body.refill = { interval: refillInterval.value, amount: numberOf(refillAmount), refillDay: numberOf(refillDay) };
      const requests = numberOf(limit);
      if (requests !== undefined) body.ratelimit = { limit: requests, duration: (numberOf(limitWindow) ?? 60) * 1000 };
      const chosenPermissions = [...permissionChecks.filter((check) => check.input.checked).map((check) => check.input.value), ...listOf(morePermissions)];
      if (chosenPermissions.length > 0) body.permissions = chosenPermissions;
      const chosenRoles = roleChecks.filter((check) => check.input.checked).map((check) => check.input.value);
      if (chosenRoles.length > 0) body.roles = chosenRoles;
      const allowlist = listOf(ipAllowlist);
      if (allowlist.length > 0) body.ipAllowlist = allowlist;

      const issued = await post<IssuedKey>("keys.createKey", body);
      announce(`Created key ${issued.keyId}.`);
      await refreshAfterChange(created);
      return () => showSecret("Key created", issued.key, ["Copy it now: Keygate keeps only its hash, so it cannot be shown again."]);
    },
  });
}

function parseMeta(text: string): Record<string, unknown> | undefined {
  if (text.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error("Meta: not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error('Meta: give a JSON object, such as {"plan": "pro"}.');
  return value as Record<string, unknown>;
}
