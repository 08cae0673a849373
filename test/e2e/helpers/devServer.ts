import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { type DevServer, type DevServerOptions, startDevServer } from "../../../scripts/dev-server.mjs";

export { type DevServer, type DevServerOptions, freePort, newPersistDir, removePersistDir, startDevServer } from "../../../scripts/dev-server.mjs";

/**
 * One server for the whole file, started before its tests and stopped after them;
 * wrangler's output is printed under any test that fails.
 */
export function useDevServer(options: DevServerOptions = {}): () => DevServer {
  let server: DevServer | undefined;
  beforeAll(async () => {
    server = await startDevServer(options);
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => printOutput(server));
  });
  return () => {
    if (!server) throw new Error("The dev server is not running (did beforeAll fail?).");
    return server;
  };
}

export function printOutput(server: DevServer | undefined) {
  if (server) process.stderr.write(`\n----- wrangler dev output (${server.baseUrl}) -----\n${server.output()}\n-----\n`);
}

/** POSTs JSON to the server (with its root key unless `rootKey` is null), expects a 200 and answers the body. */
export function jsonPoster(server: () => DevServer) {
  return async (path: string, body: unknown, rootKey: string | null = server().rootKey) => {
    const res = await fetch(`${server().baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(rootKey ? { authorization: `Bearer ${rootKey}` } : {}) },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return res.json() as Promise<any>;
  };
}
