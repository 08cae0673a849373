/**
 * Building the page. Every string reaches the DOM as a text node or an attribute value, never as
 * markup: names, meta, permission names and audit details are whatever a caller stored.
 */

export type Child = Node | string | number | null | undefined | false;

type Attributes = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

/** An element with attributes (`on…` ones become listeners) and children (strings become text). */
export function h<Tag extends keyof HTMLElementTagNameMap>(tag: Tag, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === "function") element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  element.append(...nodes(children));
  return element;
}

function nodes(children: Child[]): (Node | string)[] {
  return children
    .filter((child) => child !== null && child !== undefined && child !== false)
    .map((child) => (typeof child === "number" ? String(child) : child));
}

/** Replaces an element's children (strings as text). */
export function fill(element: Element, ...children: Child[]): void {
  element.replaceChildren(...nodes(children));
}

let lastId = 0;

/** A document-unique id, to tie a label to its control. */
export function uniqueId(stem: string): string {
  lastId += 1;
  return `${stem}-${lastId}`;
}

/** A labelled form control, with an optional hint read out with it. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLDivElement {
  control.id ||= uniqueId("field");
  const hintElement = hint ? h("small", { id: `${control.id}-hint`, class: "hint" }, hint) : null;
  if (hintElement) control.setAttribute("aria-describedby", hintElement.id);
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control, hintElement);
}

/** A checkbox with its label after it. */
export function checkbox(label: string, attributes: Attributes = {}): { row: HTMLLabelElement; input: HTMLInputElement } {
  const input = h("input", { type: "checkbox", ...attributes });
  return { row: h("label", { class: "check" }, input, " ", label), input };
}

export function button(label: string, onClick: (event: Event) => void, attributes: Attributes = {}): HTMLButtonElement {
  return h("button", { type: "button", ...attributes, onclick: onClick }, label);
}

/** A table with a header row; `rows` are its body's rows. */
export function table(caption: string, headings: string[], rows: HTMLTableRowElement[]): HTMLTableElement {
  return h(
    "table",
    {},
    h("caption", { class: "visually-hidden" }, caption),
    h("thead", {}, h("tr", {}, ...headings.map((heading) => h("th", { scope: "col" }, heading)))),
    h("tbody", {}, ...rows),
  );
}

export function cells(...contents: Child[][]): HTMLTableCellElement[] {
  return contents.map((content) => h("td", {}, ...content));
}

/** The value of a text control, trimmed; undefined when empty. */
export function textOf(control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement): string | undefined {
  const value = control.value.trim();
  return value === "" ? undefined : value;
}

/** The whole number in a number input; undefined when empty. */
export function numberOf(control: HTMLInputElement): number | undefined {
  const value = textOf(control);
  return value === undefined ? undefined : Number(value);
}

/** Non-empty lines, or comma-separated entries, of a text control. */
export function listOf(control: HTMLInputElement | HTMLTextAreaElement): string[] {
  return control.value
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}
