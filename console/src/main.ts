import "uplot/dist/uPlot.min.css";
import "./console.css";
import { onRootKeyRefused } from "./api";
import { fill, h } from "./dom";
import { clearError, errorText, noticeRegions, showError } from "./notices";
import { apiPage } from "./pages/api";
import { apisPage } from "./pages/apis";
import { auditPage } from "./pages/audit";
import { identitiesPage } from "./pages/identities";
import { keyPage } from "./pages/key";
import { overridesPage } from "./pages/overrides";
import { rbacPage } from "./pages/rbac";
import { rootKeysPage } from "./pages/rootKeys";
import { signInPage } from "./pages/signIn";
import { can, canOnSome, identity, resumeSession, signOut } from "./session";

/** A page renders into its own view; what it loads later lands there, even after navigating away. */
type Page = (view: HTMLElement, ...params: string[]) => Promise<void> | void;

/** The sections in the navigation, each shown only to a root key that may read it. */
const SECTIONS: { path: string; label: string; visible: () => boolean }[] = [
  { path: "/apis", label: "APIs", visible: () => canOnSome("api", "read_api") },
  { path: "/identities", label: "Identities", visible: () => can("identity.*.read_identity") },
  { path: "/permissions", label: "Permissions", visible: () => can("rbac.*.read_permission") || can("rbac.*.read_role") },
  { path: "/ratelimits", label: "Rate limits", visible: () => canOnSome("ratelimit", "read_override") },
  { path: "/root-keys", label: "Root keys", visible: () => can("root_key.*.read_root_key") },
  { path: "/audit", label: "Audit log", visible: () => can("audit.*.read_logs") },
];

/** Hash routes (#/apis/api_…), so that every page is one static file and reloads stay put. */
const ROUTES: [RegExp, Page][] = [
  [/^\/apis$/, apisPage],
  [/^\/apis\/([^/]+)$/, apiPage],
  [/^\/keys\/([^/]+)$/, keyPage],
  [/^\/identities$/, identitiesPage],
  [/^\/permissions$/, rbacPage],
  [/^\/ratelimits(?:\/([^/]+))?$/, overridesPage],
  [/^\/root-keys$/, rootKeysPage],
  [/^\/audit$/, auditPage],
];

const app = document.getElementById("app")!;
const main = h("main", { id: "main" });
const nav = h("nav", { "aria-label": "Console" });

async function start(): Promise<void> {
  onRootKeyRefused(() => {
    signOut();
    showSignIn("Keygate no longer accepts this root key (deleted or expired). Sign in again.");
  });
  try {
    if (await resumeSession()) showConsole();
    else showSignIn();
  } catch (err) {
    showSignIn(errorText(err));
  }
}

function showSignIn(message?: string): void {
  window.removeEventListener("hashchange", route);
  fill(app, noticeRegions());
  signInPage(app, showConsole);
  if (message) showError(message);
}

function showConsole(): void {
  const me = identity();
  const signOutButton = h(
    "button",
    {
      type: "button",
      onclick: () => {
        signOut();
        showSignIn();
      },
    },
    "Sign out",
  );
  const who = h("span", { class: "who" }, "Signed in as ", h("strong", {}, me.name ?? (me.id === "root_bootstrap" ? "ROOT_KEY" : me.id)));
  const links = SECTIONS.filter((section) => section.visible()).map((section) => h("a", { href: `#${section.path}` }, section.label));
  fill(nav, ...links, h("a", { href: "/docs/" }, "API reference"));
  fill(
    app,
    h("header", { class: "topbar" }, h("a", { class: "brand", href: "#/" }, "Keygate"), nav, h("div", { class: "account" }, who, signOutButton)),
    noticeRegions(),
    main,
  );
  window.addEventListener("hashchange", route);
  route();
}

function route(): void {
  const path = location.hash.replace(/^#/, "") || "/";
  for (const [pattern, page] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    show(
      path,
      page,
      match.slice(1).map((param) => (param === undefined ? "" : decodeURIComponent(param))),
    );
    return;
  }
  const home = SECTIONS.find((section) => section.visible());
  if (home) location.replace(`#${home.path}`);
  else show(path, nothingToShow, []);
}

function nothingToShow(view: HTMLElement): void {
  view.append(h("h1", { tabindex: -1 }, "Nothing to show"), h("p", {}, "This root key holds no permission the console can use."));
}

function show(path: string, page: Page, params: string[]): void {
  clearError();
  for (const link of nav.querySelectorAll("a")) {
    const current = path === link.getAttribute("href")?.slice(1) || path.startsWith(`${link.getAttribute("href")?.slice(1)}/`);
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const view = h("div", { class: "view" });
  fill(main, view);
  // Runs the page up to its first await, so its heading is there before its data.
  const rendering = (async () => page(view, ...params))();
  // Move focus to the new page's heading, as a page load would.
  view.querySelector<HTMLElement>("h1")?.focus();
  rendering.catch((err) => {
    if (view.isConnected) showError(err);
  });
}

void start();
