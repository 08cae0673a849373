// `npm run bench:scale`: does a cold verify slow down when the key table is large? Seeds
// SCALE_KEYS keys (default 1,000,000) and 1,000 keys into two local D1 databases, then compares
// the latency of first verifies of keys never seen before (no in-isolate cache, no KV entry, a
// new Durable Object), interleaved between the two. Then measures what the in-isolate key cache
// weighs at its bound. Raw workerd (workerd.mjs), so that wrangler's proxy adds no noise.
// Writes bench/results/scale.json and its block of docs/performance.md.
import { createHash, randomBytes, randomInt } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { freePort } from "../scripts/dev-server.mjs";
import { schemaStatements } from "../scripts/schema.mjs";
import { writeSection } from "./docs.mjs";
import { connectInspector } from "./inspector.mjs";
import { manage, verifyRequest } from "./seed.mjs";
import { positiveInteger } from "./settings.mjs";
import { median, percentile } from "./stats.mjs";
import { buildWorker, startWorkerd, stateDir } from "./workerd.mjs";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const SMALL_KEYS = 1_000;
/** Seeded keys look like issued ones: prefix, underscore, random characters. */
const KEY_PREFIX = "scale";
const SCALE_KEYS = positiveInteger("SCALE_KEYS", 1_000_000);
/** Cold verifies, and cold lookups, measured in each database. */
const SAMPLES = positiveInteger("SCALE_SAMPLES", 400);
/** An api the keys do not belong to: verify refuses them once found, before any Durable Object. */
const OTHER_API = "api_elsewhere";
/** Cold verifies before measuring, so that the isolate's start and the JIT are not in the figures. */
const WARMUP = 20;
const TARGET_RATIO = 1.2;
const REQUEST_TIMEOUT_MS = 10_000;
/** The secondary indexes on keys, rebuilt by schema.sql after the load. */
const KEY_INDEXES = ["keys_hash", "keys_api", "keys_identity"];
/** D1 refuses statements over 100 KB; a row here is under 160 bytes. */
const ROWS_PER_STATEMENT = 500;
const STATEMENTS_PER_BATCH = 20;
/** Keys cached before the first heap measurement, so that the code it runs is already compiled. */
const FILL_START = 200;

const KEY_CACHE_ENTRIES = await cacheBound();
const keptSmall = WARMUP + 2 * SAMPLES;
const keptBig = keptSmall + 2 * KEY_CACHE_ENTRIES;
if (keptSmall > SMALL_KEYS) throw new Error(`SCALE_SAMPLES must be at most ${(SMALL_KEYS - WARMUP) / 2}`);
if (SCALE_KEYS < keptBig) {
  throw new Error(`SCALE_KEYS must be at least ${keptBig}: the samples, plus twice the cache bound to fill it past its bound`);
}

/**
 * One of the two databases: its local state and, once seeded, its api, the plaintexts of the keys
 * kept to be verified, and how long seeding took.
 * @typedef {{ name: string, count: number, state: { path: string, remove: () => Promise<void> }, apiId: string, keys: string[], seedSeconds: number }} ScaleDatabase
 */
/** @typedef {"verify" | "lookup"} RequestKind */

const bundle = await buildWorker(PROJECT_ROOT);
/** @type {ScaleDatabase} */
const small = { name: `${SMALL_KEYS.toLocaleString("en-US")} keys`, count: SMALL_KEYS, state: await stateDir(), apiId: "", keys: [], seedSeconds: 0 };
/** @type {ScaleDatabase} */
const big = { name: `${SCALE_KEYS.toLocaleString("en-US")} keys`, count: SCALE_KEYS, state: await stateDir(), apiId: "", keys: [], seedSeconds: 0 };
try {
  /** @type {[ScaleDatabase, number][]} */
  const seeding = [
    [small, keptSmall],
    [big, keptBig],
  ];
  for (const [db, keep] of seeding) {
    const started = performance.now();
    Object.assign(db, await seedDatabase(db, keep));
    db.seedSeconds = (performance.now() - started) / 1000;
    console.log(`seeded ${db.name} in ${db.seedSeconds.toFixed(0)} s`);
  }
  const cold = await coldVerifies();
  const cache = await cacheMemory();
  await publish({ cold, cache });
} finally {
  await small.state.remove();
  await big.state.remove();
  await bundle.remove();
}

/** KEY_CACHE_ENTRIES as src/store/keyLookup.ts sets it. */
async function cacheBound() {
  const source = await readFile(new URL("../src/store/keyLookup.ts", import.meta.url), "utf8");
  const match = /export const KEY_CACHE_ENTRIES = ([\d_]+);/.exec(source);
  if (!match) throw new Error("KEY_CACHE_ENTRIES not found in src/store/keyLookup.ts");
  return Number(match[1].replaceAll("_", ""));
}

/**
 * Fills a fresh database with `count` plain keys, as keys.createKey would have written them, and
 * keeps the plaintexts of `keep` of them, chosen at random, in random order.
 * @param {ScaleDatabase} db
 * @param {number} keep
 */
async function seedDatabase({ name, count, state }, keep) {
  const server = await startWorkerd(bundle, { persistTo: state.path });
  try {
    const { apiId } = await manage(server.baseUrl, server.rootKey, "apis.createApi", { name: "scale" });
    const { workspace_id: workspaceId } = await server.db.prepare("SELECT workspace_id FROM apis WHERE id = ?").bind(apiId).first();

    // Rows go in in id order and the indexes are built after the load: random inserts into
    // B-trees larger than SQLite's page cache are several times slower. Same rows, same indexes.
    for (const index of KEY_INDEXES) await server.db.prepare(`DROP INDEX ${index}`).run();
    const ids = Array.from({ length: count }, () => `key_${randomBytes(12).toString("base64url")}`).sort();
    const kept = new Set();
    while (kept.size < keep) kept.add(randomInt(count));
    /** @type {string[]} */
    const plaintexts = [];
    const now = Date.now();
    const progress = progressBar(`seeding ${name}`, count);
    const row = (/** @type {number} */ i) => {
      const plaintext = `${KEY_PREFIX}_${randomBytes(16).toString("base64url")}`;
      if (kept.has(i)) plaintexts.push(plaintext);
      const hash = createHash("sha256").update(plaintext).digest("base64");
      return `('${ids[i]}','${workspaceId}','${apiId}','${hash}','${plaintext.slice(0, KEY_PREFIX.length + 5)}','${plaintext.slice(-4)}',${now},${now})`;
    };
    const inFlight = new Set();
    for (let next = 0; next < count; ) {
      const statements = [];
      for (let s = 0; s < STATEMENTS_PER_BATCH && next < count; s++) {
        const rows = [];
        for (const end = Math.min(count, next + ROWS_PER_STATEMENT); next < end; next++) rows.push(row(next));
        statements.push(
          server.db.prepare(`INSERT INTO keys (id, workspace_id, api_id, hash, start, last4, credits_set_at, created_at) VALUES ${rows.join(",")}`),
        );
      }
      const done = next;
      // Two batches in flight: the next is generated while D1 writes the last.
      const batch = server.db.batch(statements).then(() => {
        inFlight.delete(batch);
        progress(done);
      });
      inFlight.add(batch);
      if (inFlight.size >= 2) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await server.db.batch(schemaStatements().map((statement) => server.db.prepare(statement)));
    const { rows } = await server.db.prepare("SELECT COUNT(*) AS rows FROM keys").first();
    if (rows !== count) throw new Error(`${name}: ${rows} rows after seeding`);
    return { apiId, keys: shuffle(plaintexts) };
  } finally {
    await server.stop();
  }
}

/**
 * First verifies of keys never verified, alternating between the two databases so that whatever
 * else the machine does falls on both alike. Both servers are restarted first: cold isolates.
 * Each round also times a cold lookup alone: a verify naming another api, refused once the key
 * is found, so that the part of a verify that reads the key table is measured without the rest.
 */
async function coldVerifies() {
  const dbs = [small, big];
  /** @type {Awaited<ReturnType<typeof startWorkerd>>[]} */
  const servers = [];
  try {
    for (const db of dbs) servers.push(await startWorkerd(bundle, { persistTo: db.state.path }));
    /** @type {(d: number, key: string, apiId: string, expected: string) => Promise<number>} */
    const timeOnce = async (d, key, apiId, expected) => {
      const { url, method, headers, body } = verifyRequest(servers[d].baseUrl, { apiId, key });
      const start = performance.now();
      const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const answer = /** @type {{ code?: string }} */ (await res.json());
      const ms = performance.now() - start;
      if (answer.code !== expected) throw new Error(`${dbs[d].name}: a seeded key answered ${res.status} ${JSON.stringify(answer)}`);
      return ms;
    };
    /** @type {(d: number, i: number) => Promise<number>} */
    const verify = (d, i) => timeOnce(d, dbs[d].keys[i], dbs[d].apiId, "VALID");
    /** @type {(d: number, i: number) => Promise<number>} */
    const lookup = (d, i) => timeOnce(d, dbs[d].keys[SAMPLES + i], OTHER_API, "FORBIDDEN");
    for (let i = 0; i < WARMUP; i++) for (const d of [0, 1]) await verify(d, i);
    /** @type {Record<RequestKind, number[]>[]} */
    const timings = dbs.map(() => ({ verify: [], lookup: [] }));
    const progress = progressBar("cold verifies", SAMPLES);
    for (let i = WARMUP; i < WARMUP + SAMPLES; i++) {
      for (const d of i % 2 === 0 ? [0, 1] : [1, 0]) {
        timings[d].verify.push(await verify(d, i));
        timings[d].lookup.push(await lookup(d, i));
      }
      progress(i - WARMUP + 1);
    }
    const [smallStats, bigStats] = timings.map(({ verify, lookup }) => ({ verify: percentiles(verify), lookup: percentiles(lookup) }));
    const ratios = (/** @type {RequestKind} */ kind) => ({ p50: bigStats[kind].p50 / smallStats[kind].p50, p99: bigStats[kind].p99 / smallStats[kind].p99 });
    return { small: smallStats, big: bigStats, verifyRatio: ratios("verify"), lookupRatio: ratios("lookup") };
  } finally {
    for (const server of servers) await server.stop();
  }
}

/**
 * The key cache's weight, read from the Worker isolate's heap through the V8 inspector: a heap
 * snapshot collects garbage first, so its total is what is still reachable. The cache is filled
 * with verifies naming another api: the key is looked up and cached, then refused before its
 * Durable Object is called, so no object's memory is counted with the cache's.
 */
async function cacheMemory() {
  const inspectorPort = await freePort();
  const server = await startWorkerd(bundle, { persistTo: big.state.path, inspectorPort });
  let inspector;
  try {
    inspector = await connectInspector(inspectorPort, "core:user:keygate");
    const keys = big.keys.slice(keptSmall);
    const fill = async (/** @type {number} */ from, /** @type {number} */ to) => {
      const progress = progressBar(`filling the key cache (${from}–${to})`, to - from);
      let next = from;
      let answered = 0;
      const worker = async () => {
        while (next < to) {
          const { url, method, headers, body } = verifyRequest(server.baseUrl, { apiId: OTHER_API, key: keys[next++] });
          const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
          const answer = /** @type {{ code?: string }} */ (await res.json());
          if (answer.code !== "FORBIDDEN") throw new Error(`a key of another api answered ${JSON.stringify(answer)}`);
          progress(++answered);
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
    };
    await fill(0, FILL_START);
    const heapAtStart = await inspector.liveHeapBytes();
    await fill(FILL_START, KEY_CACHE_ENTRIES);
    const heapAtBound = await inspector.liveHeapBytes();
    await fill(KEY_CACHE_ENTRIES, 2 * KEY_CACHE_ENTRIES);
    const heapPastBound = await inspector.liveHeapBytes();
    const bytesPerEntry = (heapAtBound - heapAtStart) / (KEY_CACHE_ENTRIES - FILL_START);
    return {
      entries: KEY_CACHE_ENTRIES,
      bytesPerEntry,
      atBoundBytes: bytesPerEntry * KEY_CACHE_ENTRIES,
      heapAtBound,
      growthPastBoundBytes: heapPastBound - heapAtBound,
    };
  } finally {
    inspector?.close();
    await server.stop();
  }
}

/** @param {number[]} values */
function percentiles(values) {
  return { count: values.length, p50: median(values), p90: percentile(values, 0.9), p99: percentile(values, 0.99) };
}

/**
 * @template T
 * @param {T[]} items shuffled in place
 */
function shuffle(items) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * A progress bar on stderr; one line every tenth when stderr is not a terminal.
 * @param {string} label
 * @param {number} total
 * @returns {(done: number) => void}
 */
function progressBar(label, total) {
  const started = performance.now();
  let shownTenth = -1;
  return (done) => {
    const tenth = Math.floor((done / total) * 10);
    if (!process.stderr.isTTY && tenth === shownTenth) return;
    shownTenth = tenth;
    const perSecond = done / ((performance.now() - started) / 1000);
    const bar = "#".repeat(Math.round((done / total) * 30)).padEnd(30, ".");
    const line = `${label} [${bar}] ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} (${perSecond.toFixed(0)}/s)`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}${done === total ? "\n" : ""}` : `${line}\n`);
  };
}

/**
 * @param {{ cold: Awaited<ReturnType<typeof coldVerifies>>, cache: Awaited<ReturnType<typeof cacheMemory>> }} results
 */
async function publish({ cold, cache }) {
  const ms = (/** @type {number} */ value) => `${value.toFixed(2)} ms`;
  const mb = (/** @type {number} */ bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
  const times = (/** @type {number} */ value) => `${value.toFixed(2)}×`;
  const met = cold.verifyRatio.p50 <= TARGET_RATIO;
  const command = [process.env.SCALE_KEYS && `SCALE_KEYS=${SCALE_KEYS}`, process.env.SCALE_SAMPLES && `SCALE_SAMPLES=${SAMPLES}`, "npm run bench:scale"]
    .filter(Boolean)
    .join(" ");
  const result = { generatedAt: new Date().toISOString(), command, cpus: availableParallelism(), small, big, cold, cache };
  console.log(`\ncold verify p50: ${small.name} ${ms(cold.small.verify.p50)}, ${big.name} ${ms(cold.big.verify.p50)}: ${times(cold.verifyRatio.p50)}`);
  console.log(`cold lookup p50: ${small.name} ${ms(cold.small.lookup.p50)}, ${big.name} ${ms(cold.big.lookup.p50)}: ${times(cold.lookupRatio.p50)}`);
  console.log(`key cache: ${cache.bytesPerEntry.toFixed(0)} bytes an entry, ${mb(cache.atBoundBytes)} at ${cache.entries} entries`);
  await mkdir(new URL("results/", import.meta.url), { recursive: true });
  await writeFile(
    new URL("results/scale.json", import.meta.url),
    `${JSON.stringify(result, (key, value) => (key === "state" || key === "keys" ? undefined : value), 2)}\n`,
  );
  const row = (/** @type {string} */ label, /** @type {"small" | "big"} */ db, /** @type {RequestKind} */ kind) => {
    const { count, p50, p90, p99 } = cold[db][kind];
    return `| ${label} | ${(db === "small" ? small : big).name} | ${count} | ${ms(p50)} | ${ms(p90)} | ${ms(p99)} |`;
  };
  await writeSection(
    new URL("../docs/performance.md", import.meta.url),
    "scale",
    `## ${big.name} against ${small.name}

Command: \`${command}\` (bench/scale.mjs). Last run: ${result.generatedAt.slice(0, 10)}, ${result.cpus} cores, raw workerd
(bench/workerd.mjs). Seeding took ${big.seedSeconds.toFixed(0)} s for ${big.name}.

Two local D1 databases, seeded straight through the D1 binding with rows as \`keys.createKey\`
writes them (in id order, with the indexes built after the load: the same rows and indexes,
packed more densely than one insert at a time would leave them), then two freshly started
servers. Every measured request names a key never verified before, is sent alone, and
alternates between the two servers:

- **cold verify**: the key misses the in-isolate cache and KV, is found through D1's index on
  the hash, and its Durable Object starts and loads the key's policy from D1 by id.
- **cold lookup**: the same request naming another api: answered \`FORBIDDEN\` as soon as the key
  is found, so it times the part of a verify that reads the key table, without the Durable Object.

${WARMUP} cold verifies on each server came first, unmeasured.

| request | database | requests | p50 | p90 | p99 |
| --- | --- | ---: | ---: | ---: | ---: |
${row("cold verify", "small", "verify")}
${row("cold verify", "big", "verify")}
${row("cold lookup", "small", "lookup")}
${row("cold lookup", "big", "lookup")}

Cold verify p50 with ${big.name} / with ${small.name}: **${times(cold.verifyRatio.p50)}** (target ≤ ${TARGET_RATIO}×: ${met ? "met" : "**missed**"}); p99: ${times(cold.verifyRatio.p99)}.
Cold lookup p50: ${times(cold.lookupRatio.p50)}; p99: ${times(cold.lookupRatio.p99)}.

### The in-isolate key cache at its bound

\`KEY_CACHE_ENTRIES\` = ${cache.entries.toLocaleString("en-US")} (src/store/keyLookup.ts).

Estimate, from what an entry holds under V8's compressed pointers (workerd's build): the
44-character base64 hash as the Map key (56 bytes), the entry object and its expiry time
(32), the \`{keyId, apiId, workspaceId}\` object (24) and its three strings (about 90), and the
entry's slots in the Map's table (about 25 at this size): **about 230 bytes an entry, 2.3 MB at
the bound**.

Measured in the same run, on the ${big.name} server restarted with the V8 inspector: the summed
size of everything a heap snapshot of the Worker's isolate finds reachable, with ${FILL_START} keys
cached and again at the bound. The cache was filled with cold lookups as above, which cache the
key and touch no Durable Object, so that no object's memory is counted with the cache's.

- **${cache.bytesPerEntry.toFixed(0)} bytes an entry**, so **${mb(cache.atBoundBytes)}** at the bound (the whole isolate heap then: ${mb(cache.heapAtBound)}).
- ${cache.entries.toLocaleString("en-US")} more distinct keys past the bound changed the heap by ${mb(cache.growthPastBoundBytes)}: the least recently used entries make way.
`,
  );
  console.log("wrote bench/results/scale.json, docs/performance.md");
}
