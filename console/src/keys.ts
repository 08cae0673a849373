import { post } from "./api";
import { formDialog, showSecret } from "./dialogs";
import { button, field, h } from "./dom";
import { count, dateTime } from "./format";
import { announce, refreshAfterChange, showError } from "./notices";
import { canOnApi } from "./session";
import type { IssuedKey, Key } from "./types";

export function keyLabel(key: Key): string {
  return key.name ?? key.id;
}

export function keyStatus(key: Key, now = Date.now()): "Revoked" | "Disabled" | "Expired" | "Active" {
  if (key.revokedAt !== undefined) return "Revoked";
  if (key.enabled === false) return "Disabled";
  if (key.expires !== undefined && key.expires <= now) return "Expired";
  return "Active";
}

export function credits(key: Key): string {
  if (key.remaining === undefined) return "Unlimited";
  const refill = key.refill ? `, +${count(key.refill.amount)} ${key.refill.interval}` : "";
  return `${count(key.remaining)}${refill}`;
}

/** How long the old key keeps working after a roll. */
const OVERLAPS: [string, number][] = [
  ["Stops now", 0],
  ["1 minute", 60_000],
  ["1 hour", 3_600_000],
  ["1 day", 86_400_000],
  ["7 days", 7 * 86_400_000],
];

/**
 * The buttons for what the root key may do to a key: disable or enable, revoke, roll, change
 * credits, delete. `changed` runs after each change.
 */
export function keyActions(key: Key, apiId: string, changed: () => unknown): HTMLButtonElement[] {
  const label = keyLabel(key);
  const revoked = key.revokedAt !== undefined;
  const buttons: HTMLButtonElement[] = [];
  const canUpdate = canOnApi(apiId, "update_key") && !revoked;

  if (canUpdate) {
    const enabled = key.enabled !== false;
    buttons.push(
      button(enabled ? "Disable" : "Enable", async (event) => {
        (event.currentTarget as HTMLButtonElement).disabled = true;
        try {
          await post("keys.updateKey", { keyId: key.id, enabled: !enabled });
          announce(`${enabled ? "Disabled" : "Enabled"} ${label}.`);
        } catch (err) {
          showError(err);
        }
        await refreshAfterChange(changed);
      }),
    );
    buttons.push(button("Revoke", () => revokeDialog(key, changed), { class: "danger" }));
  }
  if (canOnApi(apiId, "create_key") && !revoked) buttons.push(button("Roll", () => rollDialog(key, changed)));
  if (canUpdate) buttons.push(button("Credits", () => creditsDialog(key, changed)));
  if (canOnApi(apiId, "delete_key")) buttons.push(button("Delete", () => deleteDialog(key, changed), { class: "danger" }));
  return buttons;
}

function revokeDialog(key: Key, changed: () => unknown): void {
  const reason = h("input", { type: "text", maxlength: 512 });
  formDialog({
    title: `Revoke ${keyLabel(key)}?`,
    intro: [h("p", {}, "Revoking is irreversible: the key fails every verify from now on, everywhere, and can never be enabled again.")],
    fields: [field("Reason (optional)", reason, "Kept with the key and in the audit log.")],
    submitLabel: "Revoke key",
    danger: true,
    action: async () => {
      await post("keys.revokeKey", { keyId: key.id, reason: reason.value.trim() || undefined });
      announce(`Revoked ${keyLabel(key)}.`);
      await refreshAfterChange(changed);
    },
  });
}

function rollDialog(key: Key, changed: () => unknown): void {
  const overlap = h("select", {}, ...OVERLAPS.map(([label, ms]) => h("option", { value: ms }, label)));
  formDialog({
    title: `Roll ${keyLabel(key)}`,
    intro: [h("p", {}, "Issues a new key with the same settings and credits. The old key keeps working for the overlap you choose, then stops.")],
    fields: [field("Old key keeps working for", overlap)],
    submitLabel: "Roll key",
    action: async () => {
      const expiration = Number(overlap.value);
      const issued = await post<IssuedKey>("keys.rerollKey", { keyId: key.id, expiration });
      await refreshAfterChange(changed);
      const until = expiration === 0 ? "The old key has stopped working." : `The old key works until ${dateTime(Date.now() + expiration)}.`;
      return () => showSecret("Key rolled", issued.key, [`${until} Copy the new key now: it cannot be shown again.`]);
    },
  });
}

function creditsDialog(key: Key, changed: () => unknown): void {
  const operation = h(
    "select",
    {},
    h("option", { value: "set" }, "Set to"),
    h("option", { value: "increment" }, "Add"),
    h("option", { value: "decrement" }, "Take away"),
    h("option", { value: "unlimited" }, "Make unlimited"),
  );
  const value = h("input", { type: "number", min: 0, step: 1, inputmode: "numeric" });
  operation.addEventListener("change", () => {
    value.disabled = operation.value === "unlimited";
  });
  formDialog({
    title: `Credits of ${keyLabel(key)}`,
    intro: [h("p", {}, `Now: ${credits(key)}.`)],
    fields: [field("Change", operation), field("Credits", value, "Each verify spends its cost (1 by default) from them.")],
    submitLabel: "Update credits",
    action: async () => {
      const unlimited = operation.value === "unlimited";
      if (!unlimited && value.value === "") throw new Error("Give a number of credits.");
      const body = { keyId: key.id, op: unlimited ? "set" : operation.value, value: unlimited ? null : Number(value.value) };
      const { remaining } = await post<{ remaining: number | null }>("keys.updateRemaining", body);
      announce(`${keyLabel(key)} now has ${remaining === null ? "unlimited" : count(remaining)} credits.`);
      await refreshAfterChange(changed);
    },
  });
}

function deleteDialog(key: Key, changed: () => unknown): void {
  formDialog({
    title: `Delete ${keyLabel(key)}?`,
    intro: [h("p", {}, "The key fails its very next verify and leaves every list.")],
    fields: [],
    submitLabel: "Delete key",
    danger: true,
    action: async () => {
      await post("keys.deleteKey", { keyId: key.id });
      announce(`Deleted ${keyLabel(key)}.`);
      await refreshAfterChange(changed);
    },
  });
}
