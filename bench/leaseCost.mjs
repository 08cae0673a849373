// `npm run bench:leases`: what edge mode's leases cost, measured on the layout of bench:geo (one
// objects Worker and several edge Workers on raw workerd, bench/geo/topology.mjs).
//
// Held back: a key with a rate limit. Edge A verifies at a steady rate for a while, so that it
// holds a lease sized to that rate, then goes idle; edge B verifies as fast as it can until it is
// denied, and again once the staleness bound has passed (so that B's own old leases have come
// back). The limit less what A and B admitted is what A's idle lease held back. Then A makes one
// call, which returns its lease, and B is admitted again.
//
// Dead isolate: a key with credits. Edge A verifies at a steady rate, then dies (POST /__geo/die:
// the isolate answers 503 from then on and never calls the key's object again, so its lease is
// never returned). B spends the credits until they are exhausted; the credits lost are the
// initial ones less what A and B were admitted. keys.getKey (on the objects Worker) shows the
// object's count plus what isolates were lent and have not returned, at death and at the end.
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { removedOnSignal, startGeo } from "./geo/topology.mjs";
import { manage } from "./seed.mjs";
import { positiveInteger } from "./settings.mjs";
import { buildWorker, stateDir } from "./workerd.mjs";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

const settings = {
  /** Edge mode's VERIFY_MAX_STALENESS_MS. */
  stalenessMs: positiveInteger("LEASES_STALENESS_MS", 1000),
  /** Simulated round trip from an edge isolate to the objects; 0 is allowed. */
  rttMs: Number(process.env.LEASES_RTT_MS ?? "0"),
  /** The rate-limited key: this many a minute. */
  limit: positiveInteger("LEASES_LIMIT", 2000),
  /** A's steady rates, per second, one key each. */
  heldRates: (process.env.LEASES_RATES ?? "50,100,200,500").split(",").map(Number),
  /** How long A verifies at its rate before it stops. */
  aSeconds: positiveInteger("LEASES_A_SECONDS", 2),
  /** The credits key. */
  credits: positiveInteger("LEASES_CREDITS", 20_000),
  /** A's rates in the dead-isolate runs, one key and one edge Worker each. */
  deadRates: (process.env.LEASES_DEAD_RATES ?? "100,500").split(",").map(Number),
  /** Requests in flight from B while it verifies as fast as it can. */
  burstConcurrency: 8,
};
if (!Number.isFinite(settings.rttMs) || settings.rttMs < 0) throw new Error("LEASES_RTT_MS must be 0 or more");
for (const rate of [...settings.heldRates, ...settings.deadRates]) {
  if (!Number.isInteger(rate) || rate <= 0) throw new Error(`rates must be positive integers, got ${rate}`);
}

/** A little past the bound, so that every lease granted before has ended. */
function pastBound() {
  return sleep(settings.stalenessMs + 250);
}

const temporaryDirs = removedOnSignal();

console.log(
  `leases: rtt ${settings.rttMs} ms, VERIFY_MAX_STALENESS_MS=${settings.stalenessMs}; held back: limit ${settings.limit}/60 s, ` +
    `A at ${settings.heldRates.join(", ")}/s for ${settings.aSeconds} s; dead isolate: ${settings.credits} credits, A at ${settings.deadRates.join(", ")}/s`,
);
const bundle = await buildWorker(PROJECT_ROOT);
temporaryDirs.add(bundle.dir);
const state = await stateDir();
temporaryDirs.add(state.path);
/** Edge 1 is A in the held-back runs, edge 2 is B throughout, edges 3… are the isolates that die. */
const edges = 2 + settings.deadRates.length;
/** @type {any[]} */
const held = [];
/** @type {any[]} */
const dead = [];
try {
  const geo = await startGeo(bundle, {
    edges,
    objectRttMs: settings.rttMs,
    vars: { VERIFY_MAX_STALENESS_MS: String(settings.stalenessMs) },
    persistTo: state.path,
  });
  try {
    const { apiId } = await manage(geo.objectsUrl, geo.rootKey, "apis.createApi", { name: "leases" });
    const [edgeA, edgeB] = geo.edgeUrls;
    for (const rate of settings.heldRates) {
      const { key } = await manage(geo.objectsUrl, geo.rootKey, "keys.createKey", {
        apiId,
        prefix: "lease",
        ratelimit: { limit: settings.limit, duration: 60_000 },
      });
      const body = { apiId, key };
      const a = await paced(edgeA, body, rate, settings.aSeconds);
      const b1 = await burst(edgeB, body, settings.limit * 2);
      await pastBound();
      const b2 = await burst(edgeB, body, settings.limit * 2);
      await pastBound();
      const aBack = await paced(edgeA, body, 1, 1);
      const b3 = await burst(edgeB, body, settings.limit * 2);
      await pastBound();
      const b4 = await burst(edgeB, body, settings.limit * 2);
      const errors = a.errors + b1.errors + b2.errors + aBack.errors + b3.errors + b4.errors;
      const before = a.valid + b1.valid + b2.valid;
      const row = {
        rate,
        aAdmitted: a.valid,
        aDenied: a.denied,
        bAdmitted: b1.valid,
        bAfterBound: b2.valid,
        shortfall: settings.limit - before,
        aBack: aBack.valid,
        bAfterReturn: b3.valid + b4.valid,
        finalShortfall: settings.limit - before - aBack.valid - b3.valid - b4.valid,
        leaseEstimate: Math.min(Math.ceil((2 * rate * settings.stalenessMs) / 1000), settings.limit),
        errors,
      };
      held.push(row);
      console.log(JSON.stringify(row));
    }

    for (const [i, rate] of settings.deadRates.entries()) {
      const edgeDead = geo.edgeUrls[2 + i];
      const { key, keyId } = await manage(geo.objectsUrl, geo.rootKey, "keys.createKey", { apiId, prefix: "lease", remaining: settings.credits });
      const body = { apiId, key };
      const a = await paced(edgeDead, body, rate, settings.aSeconds);
      const objectBefore = await remaining(geo.objectsUrl, geo.rootKey, keyId);
      const died = await fetch(`${edgeDead}/__geo/die`, { method: "POST" });
      await died.body?.cancel();
      const afterDeath = await fetch(`${edgeDead}/v1/keys.verifyKey`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      await afterDeath.body?.cancel();
      if (!died.ok || afterDeath.status !== 503) throw new Error(`edge ${edgeDead} did not die (${died.status}, then ${afterDeath.status})`);
      await pastBound();
      const objectAfterDeath = await remaining(geo.objectsUrl, geo.rootKey, keyId);
      const b1 = await burst(edgeB, body, settings.credits * 2);
      await pastBound();
      const b2 = await burst(edgeB, body, settings.credits * 2);
      const objectEnd = await remaining(geo.objectsUrl, geo.rootKey, keyId);
      const row = {
        rate,
        aAdmitted: a.valid,
        objectBefore,
        objectAfterDeath,
        bAdmitted: b1.valid + b2.valid,
        objectEnd,
        creditsLost: settings.credits - a.valid - b1.valid - b2.valid,
        leaseEstimate: Math.ceil((2 * rate * settings.stalenessMs) / 1000),
        errors: a.errors + b1.errors + b2.errors,
      };
      dead.push(row);
      console.log(JSON.stringify(row));
    }
  } finally {
    await geo.stop();
  }
} finally {
  await state.remove();
  await bundle.remove();
}

console.log("\nheld back by an idle isolate (A idle, B verifies until denied; limit per 60 s):");
console.log(
  table(
    ["A rate/s", "A admitted", "B admitted", "B after bound", "shortfall", "A returns", "B after return", "shortfall after", "2×rate×bound"],
    held.map((r) => [r.rate, r.aAdmitted, r.bAdmitted, r.bAfterBound, r.shortfall, r.aBack, r.bAfterReturn, r.finalShortfall, r.leaseEstimate]),
  ),
);
console.log("\ncredits of a dead isolate (A dies mid-lease, B spends until exhausted):");
console.log(
  table(
    ["A rate/s", "A admitted", "getKey at death", "getKey after bound", "B admitted", "getKey at end", "credits lost", "2×rate×bound"],
    dead.map((r) => [r.rate, r.aAdmitted, r.objectBefore, r.objectAfterDeath, r.bAdmitted, r.objectEnd, r.creditsLost, r.leaseEstimate]),
  ),
);
console.log("");
for (const r of held) {
  console.log(
    `leases held_back rate=${r.rate}/s limit=${settings.limit} admitted=${r.aAdmitted + r.bAdmitted + r.bAfterBound} shortfall=${r.shortfall} ` +
      `lease_estimate=${r.leaseEstimate} after_return_shortfall=${r.finalShortfall}`,
  );
}
for (const r of dead) {
  console.log(`leases dead_isolate rate=${r.rate}/s credits=${settings.credits} credits_lost=${r.creditsLost} lease_estimate=${r.leaseEstimate}`);
}

const report = { generatedAt: new Date().toISOString(), machine: { cpus: availableParallelism(), node: process.version }, settings, held, dead };
await mkdir(new URL("results/", import.meta.url), { recursive: true });
await writeFile(new URL("results/leases.json", import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
console.log("wrote bench/results/leases.json");
const errors = [...held, ...dead].reduce((sum, row) => sum + row.errors, 0);
if (errors > 0) {
  console.error(`${errors} answers were neither admitted nor denied`);
  process.exit(1);
}

/**
 * One verify; its outcome.
 * @param {string} edgeUrl
 * @param {object} body
 * @returns {Promise<"valid" | "denied" | "error">}
 */
async function verify(edgeUrl, body) {
  try {
    const res = await fetch(`${edgeUrl}/v1/keys.verifyKey`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answer = /** @type {{ valid?: boolean, code?: string }} */ (await res.json());
    if (!res.ok) return "error";
    if (answer.valid === true) return "valid";
    return answer.code === "RATE_LIMITED" || answer.code === "USAGE_EXCEEDED" ? "denied" : "error";
  } catch {
    return "error";
  }
}

/** @returns {{ valid: number, denied: number, errors: number }} */
function tally() {
  return { valid: 0, denied: 0, errors: 0 };
}

/**
 * `rate` verifies a second for `seconds`, each sent on schedule (not waiting for the one before).
 * @param {string} edgeUrl
 * @param {object} body
 * @param {number} rate
 * @param {number} seconds
 */
async function paced(edgeUrl, body, rate, seconds) {
  const counts = tally();
  const total = rate * seconds;
  const start = performance.now();
  /** @type {Promise<void>[]} */
  const sent = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate - performance.now();
    if (due > 0) await sleep(due);
    sent.push(verify(edgeUrl, body).then((outcome) => add(counts, outcome)));
  }
  await Promise.all(sent);
  return counts;
}

/**
 * Verifies as fast as `burstConcurrency` requests in flight allow, until one is denied (or `max`).
 * @param {string} edgeUrl
 * @param {object} body
 * @param {number} max
 */
async function burst(edgeUrl, body, max) {
  const counts = tally();
  let sent = 0;
  let denied = false;
  const worker = async () => {
    while (!denied && sent < max) {
      sent++;
      const outcome = await verify(edgeUrl, body);
      add(counts, outcome);
      if (outcome !== "valid") denied = true;
    }
  };
  await Promise.all(Array.from({ length: settings.burstConcurrency }, worker));
  return counts;
}

/**
 * @param {{ valid: number, denied: number, errors: number }} counts
 * @param {"valid" | "denied" | "error"} outcome
 */
function add(counts, outcome) {
  if (outcome === "valid") counts.valid++;
  else if (outcome === "denied") counts.denied++;
  else counts.errors++;
}

/**
 * The key's credits as keys.getKey shows them: the object's count plus what isolates were lent and have not returned.
 * @param {string} objectsUrl
 * @param {string} rootKey
 * @param {string} keyId
 * @returns {Promise<number>}
 */
async function remaining(objectsUrl, rootKey, keyId) {
  const res = await fetch(`${objectsUrl}/v1/keys.getKey?keyId=${encodeURIComponent(keyId)}`, { headers: { authorization: `Bearer ${rootKey}` } });
  const answer = /** @type {{ remaining: number }} */ (await res.json());
  if (!res.ok) throw new Error(`keys.getKey answered ${res.status} ${JSON.stringify(answer)}`);
  return answer.remaining;
}

/**
 * @param {string[]} header
 * @param {(string | number)[][]} rows
 */
function table(header, rows) {
  const line = (/** @type {(string | number)[]} */ cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---:")), ...rows.map(line)].join("\n");
}
