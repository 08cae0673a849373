// Starts `wrangler dev` the way a user would (schema.sql applied by the project's own script,
// then wrangler on a free loopback port) and stops it together with everything it started.
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const STARTUP_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;
/** Enough of wrangler's log to explain a failure without flooding the terminal. */
const MAX_OUTPUT_CHARS = 64 * 1024;

export async function startDevServer(projectRoot) {
  const persistTo = await mkdtemp(join(tmpdir(), "keygate-bench-"));
  const rootKey = `root_${randomBytes(24).toString("base64url")}`;
  try {
    await promisify(execFile)("node", ["scripts/apply-schema.mjs"], {
      cwd: projectRoot,
      env: { ...process.env, KEYGATE_PERSIST_TO: persistTo },
    });
    const [port, inspectorPort] = [await freePort(), await freePort()];
    const wrangler = await launchWrangler(projectRoot, { port, inspectorPort, persistTo, rootKey });
    return {
      baseUrl: wrangler.baseUrl,
      rootKey,
      output: wrangler.output,
      async stop() {
        await wrangler.stop();
        await rm(persistTo, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(persistTo, { recursive: true, force: true });
    throw err;
  }
}

async function launchWrangler(projectRoot, { port, inspectorPort, persistTo, rootKey }) {
  const baseUrl = `http://127.0.0.1:${port}`;
  const args = [
    "wrangler", "dev",
    "--ip", "127.0.0.1",
    "--port", String(port),
    "--inspector-port", String(inspectorPort),
    "--persist-to", persistTo,
    "--var", `ROOT_KEY:${rootKey}`,
    "--show-interactive-dev-session=false",
    // wrangler logs every request at the default level: measure Keygate, not that log.
    "--log-level", "warn",
  ];
  // Its own process group, so that stopping it also stops npx's and wrangler's children (workerd).
  const child = spawn("npx", args, {
    cwd: projectRoot,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" },
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
  while (!(await isLive(baseUrl))) {
    if (exited || Date.now() > deadline) {
      await stop();
      const reason = exited ? `exited with code ${child.exitCode}` : `did not answer within ${STARTUP_TIMEOUT_MS} ms`;
      throw new Error(`wrangler dev ${reason}. Its output:\n${output}`);
    }
    await sleep(250);
  }
  return { baseUrl, output: () => output, stop };
}

async function isLive(baseUrl) {
  try {
    const res = await fetch(`${baseUrl}/v1/liveness`, { signal: AbortSignal.timeout(2_000) });
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
