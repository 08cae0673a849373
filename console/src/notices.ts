import { ApiError } from "./api";
import { fill, h } from "./dom";

/** One live region for what just happened, one for what went wrong; both are read out by screen readers. */
const status = h("p", { role: "status", class: "notice" });
const alert = h("p", { role: "alert", class: "notice error" });

export function noticeRegions(): HTMLElement {
  return h("div", { class: "notices" }, status, alert);
}

export function announce(message: string): void {
  fill(alert);
  fill(status, message);
}

export function showError(err: unknown): void {
  fill(status);
  fill(alert, errorText(err));
}

/** On navigation: an error belongs to the page it happened on; what just happened may have led here. */
export function clearError(): void {
  fill(alert);
}

/**
 * Shows the list again after a change that succeeded. A failure to refresh is shown on the page,
 * never taken for a failure of the change (which would, say, lose a new key's plaintext).
 */
export async function refreshAfterChange(refresh: () => unknown): Promise<void> {
  try {
    await refresh();
  } catch (err) {
    showError(err);
  }
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.status === 0 ? err.message : `${err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(err);
}
