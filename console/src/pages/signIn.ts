import { h } from "../dom";
import { errorText } from "../notices";
import { signIn } from "../session";

/**
 * Sign-in with a root key. It is checked with rootKeys.whoami and kept in this tab's
 * sessionStorage only; the field is a password field, so it is not shown or remembered.
 */
export function signInPage(container: HTMLElement, onSignedIn: () => void): void {
  const input = h("input", { id: "root-key", type: "password", name: "root-key", autocomplete: "off", spellcheck: "false", required: true });
  const error = h("p", { role: "alert", class: "error" });
  const submit = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h(
    "form",
    { class: "sign-in" },
    h("h1", {}, "Keygate console"),
    h("p", {}, "Manage apis, keys and usage with a root key. It stays in this browser tab until you sign out or close the tab."),
    h("div", { class: "field" }, h("label", { for: input.id }, "Root key"), input),
    error,
    submit,
    h("p", { class: "hint" }, "Running locally? The ROOT_KEY is in .dev.vars. The ", h("a", { href: "/docs/" }, "API reference"), " needs no sign-in."),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.textContent = "";
    try {
      await signIn(input.value.trim());
      input.value = "";
      onSignedIn();
    } catch (err) {
      error.textContent = errorText(err);
      submit.disabled = false;
      input.focus();
    }
  });
  container.append(h("main", { id: "main" }, form));
  input.focus();
}
