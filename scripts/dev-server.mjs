// Starts `wrangler dev` the way a user would and stops it with everything it started; shared by
// the end-to-end tests (test/e2e/helpers/devServer.ts) and the benchmarks (bench/).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { rmSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const STARTUP_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;
/** Enough of wrangler's log to explain a failure without flooding the report. */
const MAX_OUTPUT_CHARS = 64 * 1024;
/** What a dotenv file gives back verbatim: wrangler unquotes values and expands `$` in them. */
const SECRET_NAME = /^[A-Z_][A-Z0-9_]*$/;
const SECRET_VALUE = /^[\x21-\x7e]+$/;
const SECRET_VALUE_SPECIALS = /["'`\\$]/;

/**
 * @typedef {object} DevServer
 * @property {string} baseUrl e.g. http://127.0.0.1:41234, without a trailing slash.
 * @property {string} rootKey
 * @property {string} persistTo Where local D1, KV and Durable Object state lives; pass it to a later server to resume it.
 * @property {() => string} output The last part of wrangler's stdout and stderr.
 * @property {() => Promise<void>} stop Stops wrangler and everything it started; removes `persistTo` if this server created it.
 */

/**
 * @typedef {object} DevServerOptions
 * @property {string} [persistTo] Reuse this state directory (it is kept on stop). Default: a fresh temporary one.
 * @property {string} [rootKey] Default: a random one.
 * @property {Record<string, string>} [secrets] More secret variables for the Worker, e.g. `{ GATEWAY_PROXY_SECRET: "…" }`.
 *   Like ROOT_KEY they reach wrangler in a file that only this user can read, never on its command line.
 * @property {string[]} [extraArgs] More arguments for `wrangler dev`.
 */

/**
 * @typedef {object} OtherWorker
 * @property {string} baseUrl
 * @property {() => string} output
 * @property {() => Promise<void>} stop Stops wrangler and removes the Worker's local state.
 */

/**
 * A running `wrangler dev`: where it answers, its recent output, and how to stop it.
 * @typedef {{ baseUrl: string, output: () => string, stop: () => Promise<void> }} Launched
 */

/**
 * A fresh directory for local state; whoever asks for it removes it (see removePersistDir).
 * @returns {Promise<string>}
 */
export function newPersistDir() {
  return mkdtemp(join(tmpdir(), "keygate-dev-"));
}

/**
 * @param {string} dir
 * @returns {Promise<void>}
 */
export function removePersistDir(dir) {
  return rm(dir, { recursive: true, force: true });
}

/**
 * Starts the service the way a user does, `npm run dev -- <wrangler options>`: its predev step
 * applies the D1 migrations to the state directory, then wrangler serves on a free loopback port.
 * ROOT_KEY and `options.secrets` reach the Worker through a file (wrangler's --env-file, which
 * also keeps the project's .dev.vars out), never on a command line, where `ps` and npm's echo of
 * the command would show them. Resolves once /v1/liveness answers.
 * @param {DevServerOptions} [options]
 * @returns {Promise<DevServer>}
 */
export async function startDevServer(options = {}) {
  const ownsPersistDir = options.persistTo === undefined;
  const persistTo = options.persistTo ?? (await newPersistDir());
  const rootKey = options.rootKey ?? `root_${randomBytes(24).toString("base64url")}`;
  /** @type {Awaited<ReturnType<typeof writeSecretsFile>> | undefined} */
  let secretsFile;
  try {
    secretsFile = await writeSecretsFile({ ...options.secrets, ROOT_KEY: rootKey });
    const [port, inspectorPort] = [await freePort(), await freePort()];
    const wrangler = await launchWrangler({ port, inspectorPort, persistTo, envFile: secretsFile.path, extraArgs: options.extraArgs ?? [] });
    return {
      baseUrl: wrangler.baseUrl,
      rootKey,
      persistTo,
      output: wrangler.output,
      async stop() {
        await wrangler.stop();
        await secretsFile?.remove();
        if (ownsPersistDir) await removePersistDir(persistTo);
      },
    };
  } catch (err) {
    await secretsFile?.remove();
    if (ownsPersistDir) await removePersistDir(persistTo);
    throw err;
  }
}

/**
 * The secrets as a dotenv file, readable by this user only, in a fresh directory of its own that
 * remove() deletes, as does an exit before that.
 * @param {Record<string, string>} secrets
 */
async function writeSecretsFile(secrets) {
  for (const [name, value] of Object.entries(secrets)) {
    if (!SECRET_NAME.test(name)) throw new Error(`secret name ${JSON.stringify(name)}: use A-Z, 0-9 and _`);
    if (!SECRET_VALUE.test(value) || SECRET_VALUE_SPECIALS.test(value)) {
      throw new Error(`secret ${name}: use printable ASCII without spaces, quotes, backslashes or $`);
    }
  }
  const dir = await mkdtemp(join(tmpdir(), "keygate-secrets-"));
  const removeOnExit = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", removeOnExit);
  const path = join(dir, "dev.vars");
  const lines = Object.entries(secrets).map(([name, value]) => `${name}="${value}"\n`);
  await writeFile(path, lines.join(""), { mode: 0o600 });
  return {
    path,
    async remove() {
      process.off("exit", removeOnExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `wrangler dev` on another Worker's config, with nothing of Keygate's own setup: the bench's floor
 * Worker (bench/floor/). Resolves once `livePath` answers; stop() also removes its local state.
 * @param {{ config: string, livePath: string, extraArgs?: string[] }} options
 * @returns {Promise<OtherWorker>}
 */
export async function startOtherWorker({ config, livePath, extraArgs = [] }) {
  const persistTo = await newPersistDir();
  try {
    const [port, inspectorPort] = [await freePort(), await freePort()];
    const wrangler = await launch("npx", ["wrangler", "dev", "--config", config, ...serveArgs({ port, inspectorPort, persistTo }), ...extraArgs], {
      baseUrl: `http://127.0.0.1:${port}`,
      livePath,
      env: {},
    });
    return {
      baseUrl: wrangler.baseUrl,
      output: wrangler.output,
      async stop() {
        await wrangler.stop();
        await removePersistDir(persistTo);
      },
    };
  } catch (err) {
    await removePersistDir(persistTo);
    throw err;
  }
}

/**
 * @param {ServeOptions & { envFile: string, extraArgs: string[] }} config
 * @returns {Promise<Launched>}
 */
function launchWrangler(config) {
  const args = ["run", "dev", "--", ...serveArgs(config), "--env-file", config.envFile, ...config.extraArgs];
  return launch("npm", args, {
    baseUrl: `http://127.0.0.1:${config.port}`,
    livePath: "/v1/liveness",
    env: { KEYGATE_PERSIST_TO: config.persistTo },
  });
}

/**
 * @typedef {{ port: number, inspectorPort: number, persistTo: string }} ServeOptions
 */

/**
 * Loopback only, on the given ports, with state under persistTo, and no interactive prompt.
 * @param {ServeOptions} options
 */
function serveArgs({ port, inspectorPort, persistTo }) {
  return ["--ip=127.0.0.1", `--port=${port}`, `--inspector-port=${inspectorPort}`, `--persist-to=${persistTo}`, "--show-interactive-dev-session=false"];
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ baseUrl: string, livePath: string, env: Record<string, string> }} options
 * @returns {Promise<Launched>}
 */
async function launch(command, args, { baseUrl, livePath, env }) {
  // Its own process group, so that stopping it also stops npm's and wrangler's children (workerd).
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false", ...env },
  });
  if (child.pid === undefined) {
    const [err] = await once(child, "error");
    throw new Error(`${command} could not be started`, { cause: err });
  }
  const groupId = child.pid;

  let output = "";
  const capture = (/** @type {Buffer} */ chunk) => {
    output = (output + chunk.toString()).slice(-MAX_OUTPUT_CHARS);
  };
  child.stdout.on("data", capture);
  child.stderr.on("data", capture);

  let exited = false;
  child.on("exit", () => (exited = true));
  // An aborted run must not leave a server holding its port.
  const killOnExit = () => signalGroup(groupId, "SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.off("exit", killOnExit);
    signalGroup(groupId, "SIGTERM");
    if (!(await groupGone(groupId, STOP_TIMEOUT_MS))) {
      signalGroup(groupId, "SIGKILL");
      await groupGone(groupId, STOP_TIMEOUT_MS);
    }
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await isLive(`${baseUrl}${livePath}`))) {
    if (exited || Date.now() > deadline) {
      await stop();
      const reason = exited ? `exited with code ${child.exitCode}` : `did not answer within ${STARTUP_TIMEOUT_MS} ms`;
      throw new Error(`wrangler dev ${reason}. Its output:\n${output}`);
    }
    await sleep(250);
  }
  return { baseUrl, output: () => output, stop };
}

/** @param {string} url */
async function isLive(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * @param {number} groupId
 * @param {NodeJS.Signals | 0} signal
 */
function signalGroup(groupId, signal) {
  try {
    process.kill(-groupId, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Waits until no process of the group is left, so its files and ports are released.
 * @param {number} groupId
 * @param {number} timeoutMs
 */
async function groupGone(groupId, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-groupId, 0);
    } catch {
      return true;
    }
    await sleep(100);
  }
  return false;
}

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** @type {(ms: number) => Promise<void>} */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
