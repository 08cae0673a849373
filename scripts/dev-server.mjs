// Starts `wrangler dev` the way a user would and stops it with everything it started; shared by
// the end-to-end tests (test/e2e/helpers/devServer.ts) and the benchmarks (bench/).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
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

/** A fresh directory for local state; whoever asks for it removes it (see removePersistDir). */
export function newPersistDir() {
  return mkdtemp(join(tmpdir(), "keygate-dev-"));
}

export function removePersistDir(dir) {
  return rm(dir, { recursive: true, force: true });
}

/**
 * Starts the service the way a user does, `npm run dev -- <wrangler options>`: its predev step
 * applies the D1 migrations to the state directory, then wrangler serves on a free loopback port.
 * ROOT_KEY and `options.secrets` reach the Worker through a file (wrangler's --env-file, which
 * also keeps the project's .dev.vars out), never on a command line, where `ps` and npm's echo of
 * the command would show them. Resolves once /v1/liveness answers.
 */
export async function startDevServer(options = {}) {
  const ownsPersistDir = options.persistTo === undefined;
  const persistTo = options.persistTo ?? (await newPersistDir());
  const rootKey = options.rootKey ?? `root_${randomBytes(24).toString("base64url")}`;
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
        await secretsFile.remove();
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

function launchWrangler(config) {
  const args = ["run", "dev", "--", ...serveArgs(config), "--env-file", config.envFile, ...config.extraArgs];
  return launch("npm", args, {
    baseUrl: `http://127.0.0.1:${config.port}`,
    livePath: "/v1/liveness",
    env: { KEYGATE_PERSIST_TO: config.persistTo },
  });
}

/** Loopback only, on the given ports, with state under persistTo, and no interactive prompt. */
function serveArgs({ port, inspectorPort, persistTo }) {
  return [
    "--ip", "127.0.0.1",
    "--port", String(port),
    "--inspector-port", String(inspectorPort),
    "--persist-to", persistTo,
    "--show-interactive-dev-session=false",
  ];
}

async function launch(command, args, { baseUrl, livePath, env }) {
  // Its own process group, so that stopping it also stops npm's and wrangler's children (workerd).
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false", ...env },
  });
  const groupId = child.pid;

  let output = "";
  const capture = (chunk) => {
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

async function isLive(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
}

function signalGroup(groupId, signal) {
  try {
    process.kill(-groupId, signal);
  } catch {
    // Already gone.
  }
}

/** Waits until no process of the group is left, so its files and ports are released. */
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

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
