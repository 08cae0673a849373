import { button, fill, h } from "./dom";
import { showError } from "./notices";

/**
 * Previous and next over a list the API hands out a page at a time by cursor. `load` shows the
 * page at a cursor and answers the cursor of the next one.
 */
export function pager(label: string, load: (cursor: string | undefined) => Promise<string | undefined>) {
  /** The cursor of each page seen so far; the first page has none. */
  let cursors: (string | undefined)[] = [undefined];
  let index = 0;
  let next: string | undefined;
  const position = h("span", { class: "hint" });
  const previousButton = button("Previous page", () => go(index - 1));
  const nextButton = button("Next page", () => go(index + 1));
  const element = h("nav", { class: "pager", "aria-label": label }, previousButton, position, nextButton);

  async function go(to: number): Promise<void> {
    try {
      next = await load(cursors[to]);
      index = to;
      cursors = cursors.slice(0, to + 1);
      if (next !== undefined) cursors.push(next);
    } catch (err) {
      showError(err);
    }
    previousButton.disabled = index === 0;
    nextButton.disabled = next === undefined;
    element.hidden = index === 0 && next === undefined;
    fill(position, `Page ${index + 1}`);
  }

  return {
    element,
    /** Shows the first page. */
    reset: () => go(0),
    /** Shows the current page again, after a change. */
    reload: () => go(index),
  };
}
