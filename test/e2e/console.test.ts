import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { jsonPoster, useDevServer } from "./helpers/devServer";

/** Debian's Chromium; .ci/run installs it when it is missing. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** What the first load of /console may transfer, everything included. */
const FIRST_LOAD_BUDGET_BYTES = 200 * 1024;
/** Verification counts reach analytics when the keys' objects flush them, about every 10 s. */
const ANALYTICS_TIMEOUT_MS = 45_000;
/** The chart's colours for valid and disabled verifications (console/src/chart.ts). */
const VALID_GREEN: Rgb = [47, 158, 68];
const DISABLED_GREY: Rgb = [134, 142, 150];

type Rgb = [number, number, number];

/** Runs in each page before its own scripts; CSP violations then reach the console, which the tests watch. */
const REPORT_CSP_VIOLATIONS = `document.addEventListener("securitypolicyviolation", (event) =>
  console.error("Content Security Policy violation: " + event.violatedDirective + " " + event.blockedURI));`;

interface Tab {
  page: Page;
  /** Uncaught exceptions and Content-Security-Policy violations, which must stay empty. */
  problems: string[];
}

describe("the operator console in a real browser", () => {
  const server = useDevServer();
  const postJson = jsonPoster(server);
  const verify = (key: string) => postJson("/v1/keys.verifyKey", { key }, null);
  let browser: Browser;
  const tabs: Tab[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A new browser context (its own sessionStorage) and page, watched for errors and CSP violations. */
  async function newTab(): Promise<Tab> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on("pageerror", (err) => problems.push(`uncaught: ${err.message}`));
    page.on("console", (message) => {
      if (message.text().includes("Content Security Policy")) problems.push(`CSP: ${message.text()}`);
    });
    await page.addInitScript(REPORT_CSP_VIOLATIONS);
    const tab = { page, problems };
    tabs.push(tab);
    return tab;
  }

  async function signedIn(): Promise<Tab> {
    const tab = await newTab();
    await tab.page.goto(`${server().baseUrl}/console/`);
    await tab.page.getByLabel("Root key").fill(server().rootKey);
    await tab.page.getByRole("button", { name: "Sign in" }).click();
    await tab.page.getByRole("button", { name: "Sign out" }).waitFor();
    return tab;
  }

  const keyRow = (page: Page, name: string | RegExp) => page.getByRole("row", { name });
  const dialog = (page: Page) => page.getByRole("dialog");

  /** Reads the plaintext shown once, then closes its dialog. */
  async function takeNewKey(page: Page): Promise<string> {
    const plaintext = (await page.getByLabel("New key").textContent()) ?? "";
    await dialog(page).getByRole("button", { name: "Done" }).click();
    // By element, not role: a closed <dialog> has no role, and is removed a moment later.
    await page.locator("dialog").waitFor({ state: "detached" });
    return plaintext;
  }

  // Every page a test opened ran without an uncaught error or a CSP violation.
  afterEach(async () => {
    const opened = tabs.splice(0);
    for (const tab of opened) await tab.page.context().close();
    expect(opened.flatMap((tab) => tab.problems)).toEqual([]);
  });

  it("is where a browser opening / lands, served with a strict policy and cacheable files", async () => {
    const { baseUrl } = server();
    const redirect = await fetch(`${baseUrl}/`, { headers: { accept: "text/html" }, redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("/console/");
    const forApiClients = await fetch(`${baseUrl}/`, { headers: { accept: "application/json" } });
    expect(forApiClients.status).toBe(404);
    expect(((await forApiClients.json()) as any).error.code).toBe("NOT_FOUND");

    const html = await fetch(`${baseUrl}/console/`);
    expect(html.status).toBe(200);
    const csp = html.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe");
    expect(html.headers.get("x-frame-options")).toBe("DENY");
    expect(html.headers.get("x-content-type-options")).toBe("nosniff");
    expect(html.headers.get("referrer-policy")).toBe("no-referrer");
    const body = await html.text();
    // No inline script: every <script> has a src.
    expect(body.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
    const assets = [...body.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBe(2);
    for (const asset of assets) {
      const res = await fetch(`${baseUrl}${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    }
  });

  it("loads /console in under 200 KB, all from Keygate itself", async () => {
    const { page } = await newTab();
    const measured: Promise<{ url: string; bytes: number }>[] = [];
    page.on("requestfinished", (request) => {
      measured.push(request.sizes().then((sizes) => ({ url: request.url(), bytes: sizes.responseHeadersSize + sizes.responseBodySize })));
    });
    await page.goto(`${server().baseUrl}/`, { waitUntil: "networkidle" });
    expect(page.url()).toBe(`${server().baseUrl}/console/`);
    await page.getByLabel("Root key").waitFor();
    const transfers = await Promise.all(measured);
    const total = transfers.reduce((sum, transfer) => sum + transfer.bytes, 0);
    process.stdout.write(`first load of /console: ${total} bytes in ${transfers.length} responses\n`);
    expect(transfers.length).toBeGreaterThanOrEqual(3);
    expect(total).toBeLessThan(FIRST_LOAD_BUDGET_BYTES);
    for (const { url } of transfers) expect(url.startsWith(server().baseUrl)).toBe(true);
  });

  it("signs in with a root key kept in sessionStorage only, and forgets it on sign-out", async () => {
    const { page } = await newTab();
    await page.goto(`${server().baseUrl}/console/`);
    await page.getByLabel("Root key").fill("kg_root_not_a_real_key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").allTextContents()).toContainEqual(expect.stringContaining("UNAUTHORIZED"));
    expect(await page.evaluate("sessionStorage.length")).toBe(0);

    await page.getByLabel("Root key").fill(server().rootKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "APIs" }).waitFor();
    expect(await page.evaluate("Object.values(sessionStorage)")).toEqual([server().rootKey]);
    expect(await page.evaluate("document.cookie")).toBe("");
    expect(page.url()).not.toContain(server().rootKey);
    expect(await page.content()).not.toContain(server().rootKey);

    // A reload resumes the session; signing out forgets the key.
    await page.reload();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Root key").waitFor();
    expect(await page.evaluate("sessionStorage.length")).toBe(0);
    await page.reload();
    await page.getByLabel("Root key").waitFor();
  });

  it("creates an api and a key whose plaintext verifies; disables, enables, sets credits, rolls and revokes it from its row", async () => {
    const { page } = await signedIn();
    await page.getByLabel("API name").fill("console-lifecycle");
    await page.getByRole("button", { name: "Create API" }).click();
    await page.getByRole("heading", { name: "console-lifecycle" }).waitFor();

    await page.getByRole("button", { name: "Create key" }).click();
    const form = dialog(page);
    await form.getByLabel("Name", { exact: true }).fill("first key");
    await form.getByLabel("Prefix").fill("e2e");
    await form.getByLabel("Credits", { exact: true }).fill("100");
    await form.getByRole("button", { name: "Create key" }).click();
    const plaintext = await takeNewKey(page);
    expect(plaintext).toMatch(/^e2e_/);
    // Once the dialog is closed, the plaintext is nowhere on the page.
    expect(await page.content()).not.toContain(plaintext);
    expect(await verify(plaintext)).toMatchObject({ valid: true, code: "VALID", remaining: 99 });

    const row = keyRow(page, /first key/);
    await row.getByRole("button", { name: "Disable" }).click();
    await row.getByRole("button", { name: "Enable" }).waitFor();
    await expect.poll(() => row.textContent()).toContain("Disabled");
    expect(await verify(plaintext)).toMatchObject({ valid: false, code: "DISABLED" });
    await row.getByRole("button", { name: "Enable" }).click();
    await row.getByRole("button", { name: "Disable" }).waitFor();
    expect(await verify(plaintext)).toMatchObject({ valid: true, code: "VALID" });

    await row.getByRole("button", { name: "Credits" }).click();
    await dialog(page).getByLabel("Change").selectOption("set");
    await dialog(page).getByLabel("Credits", { exact: true }).fill("7");
    await dialog(page).getByRole("button", { name: "Update credits" }).click();
    await expect.poll(() => row.getByRole("cell").nth(3).textContent()).toBe("7");
    expect(await verify(plaintext)).toMatchObject({ valid: true, remaining: 6 });

    await row.getByRole("button", { name: "Roll" }).click();
    await dialog(page).getByLabel("Old key keeps working for").selectOption({ label: "1 minute" });
    await dialog(page).getByRole("button", { name: "Roll key" }).click();
    const rolled = await takeNewKey(page);
    expect(rolled).toMatch(/^e2e_/);
    expect(rolled).not.toBe(plaintext);
    // The credits moved to the new key; the old one spends from them during the overlap.
    expect(await verify(rolled)).toMatchObject({ valid: true, remaining: 5 });
    expect(await verify(plaintext)).toMatchObject({ valid: true, remaining: 4 });

    const { id: rolledId } = await postJson("/v1/keys.whoami", { key: rolled });
    await page.goto(`${server().baseUrl}/console/#/keys/${rolledId}`);
    await page.getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => dialog(page).textContent()).toContain("irreversible");
    await dialog(page).getByLabel("Reason (optional)").fill("leaked in a log");
    await dialog(page).getByRole("button", { name: "Revoke key" }).click();
    await page.getByText("Revoked", { exact: true }).first().waitFor();
    expect(await page.getByRole("button", { name: "Enable" }).count()).toBe(0);
    expect(await verify(rolled)).toMatchObject({ valid: false });
  });

  it("finds keys by name, external id or key id, a page at a time", async () => {
    const { apiId } = await postJson("/v1/apis.createApi", { name: "console-search" });
    const created: string[] = [];
    for (let i = 0; i < 22; i++) created.push((await postJson("/v1/keys.createKey", { apiId, name: `bulk ${i}` })).keyId);
    const special = await postJson("/v1/keys.createKey", { apiId, name: "Needle in the stack", externalId: "customer-42" });

    const { page } = await signedIn();
    await page.goto(`${server().baseUrl}/console/#/apis/${apiId}`);
    const rows = () => page.getByRole("table", { name: "Keys" }).getByRole("row").count();
    await page.getByText("23 keys").waitFor();
    await expect.poll(rows).toBe(21);
    await page.getByRole("button", { name: "Next page" }).click();
    await expect.poll(rows).toBe(4);
    await page.getByRole("button", { name: "Previous page" }).click();
    await expect.poll(rows).toBe(21);

    for (const query of ["needle", "customer-42", special.keyId]) {
      await page.getByLabel("Search keys").fill(query);
      await page.getByRole("button", { name: "Search", exact: true }).click();
      await expect.poll(rows).toBe(2);
      await keyRow(page, /Needle in the stack/).waitFor();
    }
    await page.getByLabel("Search keys").fill(created[3]!);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await keyRow(page, /bulk 3/).waitFor();
  });

  it("draws verifications per day by outcome for an api and for a key, and shows when the key was last used", async () => {
    const { apiId } = await postJson("/v1/apis.createApi", { name: "console-chart" });
    const { keyId, key } = await postJson("/v1/keys.createKey", { apiId, name: "charted" });
    for (let i = 0; i < 3; i++) await verify(key);
    await postJson("/v1/keys.updateKey", { keyId, enabled: false });
    for (let i = 0; i < 2; i++) await verify(key);

    const { page } = await signedIn();
    await page.goto(`${server().baseUrl}/console/#/apis/${apiId}`);
    const chart = page.getByRole("img", { name: /Verifications/ });
    // The counts arrive with the next flush: refresh the chart until they are there.
    await expect
      .poll(
        async () => {
          await page.getByRole("button", { name: "Refresh" }).click();
          return chart.getAttribute("aria-label");
        },
        { timeout: ANALYTICS_TIMEOUT_MS, interval: 1000 },
      )
      .toMatch(/3 valid, 2 disabled/);
    await expect.poll(() => drawnPixels(chart, VALID_GREEN)).toBeGreaterThan(50);
    await expect.poll(() => drawnPixels(chart, DISABLED_GREY)).toBeGreaterThan(20);

    await page.goto(`${server().baseUrl}/console/#/keys/${keyId}`);
    await expect.poll(() => page.getByRole("img", { name: /Verifications/ }).getAttribute("aria-label")).toMatch(/3 valid, 2 disabled/);
    await expect.poll(() => drawnPixels(page.getByRole("img", { name: /Verifications/ }), VALID_GREEN)).toBeGreaterThan(50);
    const lastUsed = page.getByRole("definition").filter({ has: page.locator("xpath=preceding-sibling::dt[1][.='Last used']") });
    await expect.poll(() => lastUsed.textContent()).toMatch(/\d/);
    await page.getByRole("table", { name: "Audit trail" }).getByText("key.disable").waitFor();
  });

  it("shows hostile names, meta and permission names as text, and runs none of them", async () => {
    const payload = `<img src=x onerror="window.__xss=1">`;
    const { apiId } = await postJson("/v1/apis.createApi", { name: payload });
    const { keyId } = await postJson("/v1/keys.createKey", {
      apiId,
      name: payload,
      meta: { note: `<script>window.__xss=2</script>` },
      permissions: [`<svg onload="window.__xss=3">`],
    });

    const { page } = await signedIn();
    for (const [path, text] of [
      ["#/apis", payload],
      [`#/apis/${apiId}`, payload],
      [`#/keys/${keyId}`, "<script>window.__xss=2</script>"],
      ["#/permissions", `<svg onload="window.__xss=3">`],
      ["#/audit", payload],
    ] as const) {
      await page.goto(`${server().baseUrl}/console/${path}`);
      await page.getByText(text).first().waitFor();
      expect(await page.evaluate("window.__xss")).toBeUndefined();
      expect(await page.locator('img[src="x"], script:not([src]), svg[onload]').count()).toBe(0);
    }
  });

  it("shows and enables only what the root key may do", async () => {
    const { apiId } = await postJson("/v1/apis.createApi", { name: "console-read-only" });
    await postJson("/v1/keys.createKey", { apiId, name: "look, don't touch" });
    const { key } = await postJson("/v1/rootKeys.createRootKey", { name: "support desk", permissions: ["api.*.read_api", "api.*.read_key"] });

    const { page } = await newTab();
    await page.goto(`${server().baseUrl}/console/`);
    await page.getByLabel("Root key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as support desk").waitFor();
    expect(await page.getByRole("navigation", { name: "Console" }).getByRole("link").allTextContents()).toEqual(["APIs", "API reference"]);
    expect(await page.getByRole("button", { name: "Create API" }).count()).toBe(0);

    await page.goto(`${server().baseUrl}/console/#/apis/${apiId}`);
    const row = keyRow(page, /look, don't touch/);
    await row.waitFor();
    expect(await row.getByRole("button").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Create key" }).count()).toBe(0);
    // No analytics permission, so no chart.
    expect(await page.getByRole("img", { name: /Verifications/ }).count()).toBe(0);
  });

  it("signs in and creates a key with the keyboard alone", async () => {
    const { apiId } = await postJson("/v1/apis.createApi", { name: "keyboard-api" });
    const { page } = await newTab();
    await page.goto(`${server().baseUrl}/console/`);
    // The root key field has focus on arrival.
    await page.keyboard.type(server().rootKey);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "APIs" }).waitFor();

    await tabTo(page, "keyboard-api");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "keyboard-api" }).waitFor();
    await tabTo(page, "Create key");
    await page.keyboard.press("Enter");
    await dialog(page).waitFor();
    // The dialog opens on its first field, Name; Enter submits it.
    await page.keyboard.type("typed by keyboard");
    await page.keyboard.press("Enter");
    const plaintext = (await page.getByLabel("New key").textContent()) ?? "";
    await tabTo(page, "Done");
    await page.keyboard.press("Enter");
    await page.locator("dialog").waitFor({ state: "detached" });

    expect(await verify(plaintext)).toMatchObject({ valid: true, name: "typed by keyboard" });
    expect(page.url()).toContain(apiId);
  });

  it("serves the API reference at /docs from local files, rendering /openapi.json", async () => {
    const { page } = await newTab();
    const urls: string[] = [];
    page.on("request", (request) => urls.push(request.url()));
    await page.goto(`${server().baseUrl}/docs`);
    expect(page.url()).toBe(`${server().baseUrl}/docs/`);
    await page.getByText("/v1/rootKeys.whoami").first().waitFor();
    await page.getByText("/v1/apis.listApis").first().waitFor();
    expect(urls.filter((url) => !url.startsWith(server().baseUrl) && !url.startsWith("data:"))).toEqual([]);
  });
});

/** Presses Tab until the focused element's text or label is `name`. */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(`document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent?.trim()`);
    if (focused === name) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

/** How many pixels of the chart's canvas have this colour: proof that bars were drawn. */
function drawnPixels(chart: Locator, [red, green, blue]: Rgb): Promise<number> {
  return chart.evaluate(
    (element, colour) => {
      const [r, g, b] = colour as Rgb;
      const canvas = element.querySelector("canvas");
      if (!canvas) return 0;
      const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
      let matching = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i]! - r) < 8 && Math.abs(data[i + 1]! - g) < 8 && Math.abs(data[i + 2]! - b) < 8) matching++;
      }
      return matching;
    },
    [red, green, blue],
  );
}
