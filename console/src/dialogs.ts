import { button, type Child, fill, h, uniqueId } from "./dom";
import { errorText } from "./notices";

/** A modal dialog (native <dialog>: focus stays inside, Escape closes); removed from the page once closed. */
export function openDialog(title: string, content: Child[], onClose?: () => void): HTMLDialogElement {
  const headingId = uniqueId("dialog-title");
  const dialog = h("dialog", { "aria-labelledby": headingId }, h("h2", { id: headingId }, title), ...content);
  dialog.addEventListener("close", () => {
    onClose?.();
    dialog.remove();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

export interface FormDialogSpec {
  title: string;
  intro?: Child[];
  fields: Child[];
  submitLabel: string;
  /** Styles the submit button as destructive. */
  danger?: boolean;
  /**
   * Runs on submit; the dialog closes when it resolves and shows the error when it throws. What it
   * answers, if a function, runs once the dialog has closed (another dialog, such as a new key's).
   */
  action: () => Promise<unknown>;
}

/** A form in a dialog, submitted with its button or Enter. */
export function formDialog(spec: FormDialogSpec): HTMLDialogElement {
  const error = h("p", { role: "alert", class: "error" });
  const submit = h("button", { type: "submit", class: spec.danger ? "danger" : "primary" }, spec.submitLabel);
  const form = h(
    "form",
    {},
    ...(spec.intro ?? []),
    ...spec.fields,
    error,
    h(
      "div",
      { class: "actions" },
      button("Cancel", () => dialog.close()),
      submit,
    ),
  );
  const dialog = openDialog(spec.title, [form]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    fill(error);
    try {
      const afterClosing = await spec.action();
      dialog.close();
      if (typeof afterClosing === "function") afterClosing();
    } catch (err) {
      fill(error, errorText(err));
      submit.disabled = false;
    }
  });
  return dialog;
}

/**
 * Shows a new key's plaintext once, with a copy button. Closing the dialog takes the plaintext
 * off the page: nothing else in the console keeps it.
 */
export function showSecret(title: string, secret: string, note: Child[]): HTMLDialogElement {
  const outputId = uniqueId("new-key");
  const output = h("output", { id: outputId, class: "secret" }, secret);
  const copied = h("span", { role: "status", class: "hint" });
  const copy = button("Copy", async () => {
    try {
      await navigator.clipboard.writeText(output.textContent ?? "");
      fill(copied, "Copied.");
    } catch {
      getSelection()?.selectAllChildren(output);
      fill(copied, "Selected: copy it with your keyboard.");
    }
  });
  const dialog = openDialog(
    title,
    [
      h("p", {}, ...note),
      h("div", { class: "field" }, h("label", { for: outputId }, "New key"), output),
      h(
        "div",
        { class: "actions" },
        copy,
        copied,
        button("Done", () => dialog.close(), { class: "primary" }),
      ),
    ],
    () => {
      output.textContent = "";
    },
  );
  copy.focus();
  return dialog;
}
