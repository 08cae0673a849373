// Takes the screenshots of the operator console in docs/console/: starts a throwaway `wrangler dev`
// (random root key, temporary state), fills it with an example api, keys and verifications, and
// photographs the main pages in Debian's Chromium. Usage: node scripts/console-screenshots.mjs
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { sleep, startDevServer } from "./dev-server.mjs";

const OUT = fileURLToPath(new URL("../docs/console/", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Verification counts reach analytics when the keys' objects flush them, about every 10 s. */
const FLUSH_TIMEOUT_MS = 60_000;

const server = await startDevServer();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const { apiId, keyId } = await seed(server);
  await mkdir(OUT, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });

  await page.goto(`${server.baseUrl}/console/`);
  await page.getByLabel("Root key").waitFor();
  await page.screenshot({ path: `${OUT}sign-in.png` });

  await page.getByLabel("Root key").fill(server.rootKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("row", { name: /payments/ }).waitFor();
  await page.screenshot({ path: `${OUT}apis.png` });

  await page.goto(`${server.baseUrl}/console/#/apis/${apiId}`);
  await page.getByRole("img", { name: /Verifications.*\d+ valid/ }).waitFor();
  await page.getByRole("row", { name: /Acme Corp/ }).waitFor();
  await page.screenshot({ path: `${OUT}api-keys.png`, fullPage: true });

  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Globex staging");
  await page.getByLabel("Prefix").fill("sk_test");
  await page.getByLabel("Credits", { exact: true }).fill("1000");
  await page.screenshot({ path: `${OUT}create-key.png` });
  await page.getByRole("button", { name: "Create key" }).last().click();
  await page.getByLabel("New key").waitFor();
  await page.screenshot({ path: `${OUT}new-key.png` });
  await page.getByRole("button", { name: "Done" }).click();

  await page.goto(`${server.baseUrl}/console/#/keys/${keyId}`);
  await page.getByRole("img", { name: /Verifications.*\d+ valid/ }).waitFor();
  await page.getByRole("table", { name: "Audit trail" }).waitFor();
  await page.screenshot({ path: `${OUT}key.png`, fullPage: true });
  console.log(`Screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await server.stop();
}

/**
 * An api with a few keys, verified with mixed outcomes, once the counts have reached analytics.
 * @param {{ baseUrl: string, rootKey: string }} target
 */
async function seed({ baseUrl, rootKey }) {
  /** @type {(path: string, body: unknown, key?: string | null) => Promise<any>} */
  const call = async (path, body, key = rootKey) => {
    const res = await fetch(`${baseUrl}/v1/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  await call("apis.createApi", { name: "search-api" });
  const { apiId } = await call("apis.createApi", { name: "payments-api", keyPrefixes: { production: "pay_live", staging: "pay_test" } });
  const acme = await call("keys.createKey", {
    apiId,
    name: "Acme Corp production",
    environment: "production",
    externalId: "acme",
    remaining: 5000,
    refill: { interval: "monthly", amount: 5000 },
    ratelimit: { limit: 6, duration: 60_000 },
    permissions: ["payments.read", "payments.write"],
    meta: { plan: "enterprise" },
  });
  const initech = await call("keys.createKey", { apiId, name: "Initech reporting", environment: "staging", remaining: 3 });
  const legacy = await call("keys.createKey", { apiId, name: "Legacy integration", environment: "production" });
  await call("keys.createKey", { apiId, name: "Hooli sandbox", environment: "staging", externalId: "hooli" });

  for (let i = 0; i < 9; i++) await call("keys.verifyKey", { key: acme.key }, null);
  for (let i = 0; i < 5; i++) await call("keys.verifyKey", { key: initech.key }, null);
  await call("keys.verifyKey", { key: legacy.key }, null);
  await call("keys.updateKey", { keyId: legacy.keyId, enabled: false });
  for (let i = 0; i < 2; i++) await call("keys.verifyKey", { key: legacy.key }, null);

  const deadline = Date.now() + FLUSH_TIMEOUT_MS;
  for (;;) {
    const res = await fetch(`${baseUrl}/v1/analytics.getVerifications?apiId=${apiId}&groupBy=day`, { headers: { authorization: `Bearer ${rootKey}` } });
    const rows = /** @type {{ total: number }[]} */ (await res.json());
    if (rows.reduce((sum, row) => sum + row.total, 0) >= 17) break;
    if (Date.now() > deadline) throw new Error("verification counts did not reach analytics in time");
    await sleep(1000);
  }
  return { apiId, keyId: acme.keyId };
}
