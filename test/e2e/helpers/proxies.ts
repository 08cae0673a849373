/// <reference types="node" />
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./devServer";

const PROJECT_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const STARTUP_TIMEOUT_MS = 15_000;
const MAX_OUTPUT_CHARS = 32 * 1024;

/** A shipped example's text with its placeholders replaced, e.g. the ports of this run. */
export async function renderExample(path: string, replacements: Record<string, string>): Promise<string> {
  let text = await readFile(join(PROJECT_ROOT, path), "utf8");
  for (const [placeholder, value] of Object.entries(replacements)) {
    if (!text.includes(placeholder)) throw new Error(`${path} no longer contains ${placeholder}`);
    text = text.replaceAll(placeholder, value);
  }
  return text;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The API behind the gateway: answers 200 to anything and records what reached it. */
export async function startUpstream() {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(200, { "content-type": "application/json" }).end('{"upstream":true}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    received,
    last: () => received.at(-1),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface RunningProxy {
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * nginx as a child process, in the foreground, with everything it writes (pid, logs, temp
 * files) in a fresh directory, so it needs no root. `config` must listen on `port` of 127.0.0.1.
 */
export async function startNginx(config: string, port: number): Promise<RunningProxy> {
  const dir = await mkdtemp(join(tmpdir(), "keygate-nginx-"));
  await mkdir(join(dir, "logs"));
  const paths = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => `${kind}_temp_path ${join(dir, kind)};`);
  const local = `http {\n    access_log ${join(dir, "logs", "access.log")};\n    ${paths.join("\n    ")}\n`;
  // The configuration holds the gateway's proxy secret.
  await writeFile(join(dir, "nginx.conf"), config.replace(/^http \{\n/m, local), { mode: 0o600 });
  const directives = `daemon off; pid ${join(dir, "nginx.pid")}; error_log ${join(dir, "logs", "error.log")} info;`;
  const child = spawn("nginx", ["-p", dir, "-c", join(dir, "nginx.conf"), "-e", join(dir, "logs", "error.log"), "-g", directives], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return started(child, port, dir, async () => readFile(join(dir, "logs", "error.log"), "utf8").catch(() => ""));
}

/** Caddy as a child process, its state and config kept in a fresh directory. */
export async function startCaddy(caddyfile: string, port: number): Promise<RunningProxy> {
  const dir = await mkdtemp(join(tmpdir(), "keygate-caddy-"));
  // The configuration holds the gateway's proxy secret.
  await writeFile(join(dir, "Caddyfile"), caddyfile, { mode: 0o600 });
  const child = spawn("caddy", ["run", "--config", join(dir, "Caddyfile"), "--adapter", "caddyfile"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, "data"), XDG_CONFIG_HOME: join(dir, "config") },
  });
  return started(child, port, dir, async () => "");
}

async function started(child: ChildProcess, port: number, dir: string, logFile: () => Promise<string>): Promise<RunningProxy> {
  let output = "";
  const capture = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-MAX_OUTPUT_CHARS));
  child.stdout!.on("data", capture);
  child.stderr!.on("data", capture);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", () => {
      exited = true;
      resolve();
    }),
  );
  // An aborted run must not leave a proxy holding its port.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.off("exit", killOnExit);
    if (!exited) {
      child.kill("SIGTERM");
      await Promise.race([exit, sleep(5_000)]);
      if (!exited) child.kill("SIGKILL");
      await exit;
    }
    await rm(dir, { recursive: true, force: true });
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await answers(baseUrl))) {
    if (exited || Date.now() > deadline) {
      const log = await logFile();
      await stop();
      throw new Error(`${child.spawnfile} did not start on ${baseUrl}:\n${output}\n${log}`);
    }
    await sleep(100);
  }
  return { baseUrl, output: () => output, stop };
}

async function answers(baseUrl: string): Promise<boolean> {
  try {
    await fetch(baseUrl, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
