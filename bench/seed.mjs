// Keys and requests shared by the bench scripts, made through Keygate's own management API.
import { randomBytes } from "node:crypto";

/**
 * One HTTP request as the load generators send it, again and again.
 * @typedef {{ url: string, method: string, headers: Record<string, string>, body?: string }} BenchRequest
 */

/**
 * A path to measure. `expect` checks its JSON answer before it is measured; `floor` names the path
 * that measures what the runtime alone costs for the same work.
 * @typedef {{ name: string, label?: string, request: BenchRequest, floor?: string, expect?: (answer: any) => boolean }} BenchPath
 */

/** @typedef {{ apiId: string, plainKey: string, counterKey: string, unknownKey: string, rootKey: string }} SeededKeys */

/**
 * What the management routes the bench calls answer, as far as it reads them.
 * @typedef {{ "apis.createApi": { apiId: string }, "keys.createKey": { key: string, keyId: string } }} ManagementAnswers
 */

/**
 * Calls a management route with the root key; throws on anything but a 2xx.
 * @template {keyof ManagementAnswers} Route
 * @param {string} baseUrl
 * @param {string} rootKey
 * @param {Route} route
 * @param {object} body
 * @returns {Promise<ManagementAnswers[Route]>}
 */
export async function manage(baseUrl, rootKey, route, body) {
  const res = await fetch(`${baseUrl}/v1/${route}`, {
    method: "POST",
    headers: { authorization: `Bearer ${rootKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await res.json();
  if (!res.ok) throw new Error(`${route} answered ${res.status} ${JSON.stringify(answer)}`);
  return /** @type {ManagementAnswers[Route]} */ (answer);
}

/**
 * An api with a plain key, a key with counters, and a key of the same shape that was never issued.
 * @param {string} baseUrl
 * @param {string} rootKey
 * @returns {Promise<SeededKeys>}
 */
export async function seedKeys(baseUrl, rootKey) {
  const { apiId } = await manage(baseUrl, rootKey, "apis.createApi", { name: "bench" });
  const plain = await manage(baseUrl, rootKey, "keys.createKey", { apiId, prefix: "bench" });
  // Limits far above what the run can spend: every verify is charged in the key's Durable Object.
  const counter = await manage(baseUrl, rootKey, "keys.createKey", {
    apiId,
    prefix: "bench",
    ratelimit: { limit: 1e9, duration: 60_000 },
    remaining: 1e9,
  });
  // Unkey v2's verifyKey takes a root key: the bench's is the bootstrap key, as a v2 client would send one.
  return { apiId, plainKey: plain.key, counterKey: counter.key, unknownKey: neverIssuedKey(), rootKey };
}

/** Same shape as an issued key, never issued. */
export const neverIssuedKey = () => `bench_${randomBytes(16).toString("base64url")}`;

/** @type {(baseUrl: string, body: { apiId: string, key: string }) => BenchRequest} */
export const verifyRequest = (baseUrl, body) => postJson(`${baseUrl}/v1/keys.verifyKey`, body);

/** @type {(url: string, body: unknown) => BenchRequest} */
const postJson = (url, body) => ({ url, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** Names of the floor Worker's paths, which verify paths are compared with. */
export const FLOOR = { call: "floor: one DO call", write: "floor: DO call + write" };

/**
 * The floor Worker's paths (bench/floor/worker.js), sent the very body a verify sends: what the
 * runtime itself costs for one Durable Object call per request, without and with a storage write.
 * @param {string} floorUrl
 * @param {unknown} verifyBody
 * @returns {BenchPath[]}
 */
export function floorPaths(floorUrl, verifyBody) {
  return [
    { name: FLOOR.call, label: "POST /call (floor Worker)", request: postJson(`${floorUrl}/call`, verifyBody), expect: (a) => a.valid === true },
    { name: FLOOR.write, label: "POST /charge (floor Worker)", request: postJson(`${floorUrl}/charge`, verifyBody), expect: (a) => a.valid === true },
  ];
}

/** @type {(url: string, headers?: Record<string, string>) => BenchRequest} */
export const getRequest = (url, headers = {}) => ({ url, method: "GET", headers });

/**
 * Sends the request once; its answer, parsed as JSON where it is JSON.
 * @param {BenchRequest} request
 * @returns {Promise<{ status: number, text: string, json: unknown }>}
 */
export async function probe({ url, method, headers, body }) {
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/**
 * Checks each path once before it is measured, so that a ratio never describes an error page.
 * @param {BenchPath[]} paths
 */
export async function expectAnswers(paths) {
  for (const path of paths) {
    const answer = await probe(path.request);
    if (answer.status !== 200 || (path.expect && !path.expect(answer.json))) {
      throw new Error(`${path.name}: unexpected answer ${answer.status} ${answer.text}`);
    }
  }
}

/**
 * Every Keygate path `npm run bench` measures, with the floor paths the verify paths are compared
 * with: liveness first (the baseline under `wrangler dev`), then the verify paths, the gateway
 * and each dialect, all with the plain key sent the way each surface expects it.
 * @param {string} baseUrl
 * @param {string} floorUrl
 * @param {SeededKeys} keys
 * @returns {BenchPath[]}
 */
export function benchPaths(baseUrl, floorUrl, { apiId, plainKey, counterKey, unknownKey, rootKey }) {
  const bearer = { authorization: `Bearer ${plainKey}` };
  const plainVerify = verifyRequest(baseUrl, { apiId, key: plainKey });
  return [
    { name: "liveness", request: getRequest(`${baseUrl}/v1/liveness`) },
    ...floorPaths(floorUrl, plainVerify.body),
    { name: "verify: plain key", request: plainVerify, floor: FLOOR.call, expect: (a) => a.valid === true },
    {
      name: "verify: counter key",
      request: verifyRequest(baseUrl, { apiId, key: counterKey }),
      floor: FLOOR.write,
      expect: (a) => a.valid === true && a.remaining !== undefined,
    },
    { name: "verify: unknown key", request: verifyRequest(baseUrl, { apiId, key: unknownKey }), expect: (a) => a.code === "NOT_FOUND" },
    {
      name: "verify v2: plain key",
      label: "POST /v2/keys.verifyKey",
      request: {
        ...postJson(`${baseUrl}/v2/keys.verifyKey`, { key: plainKey }),
        headers: { "content-type": "application/json", authorization: `Bearer ${rootKey}` },
      },
      floor: FLOOR.call,
      expect: (a) => a.data?.valid === true,
    },
    { name: "gateway", label: "GET /v1/gateway/<apiId>/x", request: getRequest(`${baseUrl}/v1/gateway/${apiId}/x`, bearer) },
    { name: "kombo check-api-key", request: getRequest(`${baseUrl}/v1/check-api-key`, bearer) },
    { name: "konpro validate", request: { url: `${baseUrl}/v1/api-keys/validate`, method: "POST", headers: { "x-api-key": plainKey } } },
    { name: "kirim me", request: getRequest(`${baseUrl}/v1/me`, bearer) },
  ];
}
