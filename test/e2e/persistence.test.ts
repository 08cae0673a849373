import { Unkey } from "@unkey/api";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { type DevServer, newPersistDir, printOutput, removePersistDir, startDevServer } from "./helpers/devServer";

describe("state across a restart of wrangler dev", () => {
  let persistTo: string;
  let server: DevServer | undefined;

  beforeAll(async () => {
    persistTo = await newPersistDir();
  });
  afterAll(async () => {
    await server?.stop();
    await removePersistDir(persistTo);
  });

  const sdk = (s: DevServer) => new Unkey({ rootKey: s.rootKey, baseUrl: s.baseUrl, disableTelemetry: true });

  it("keeps a key and continues its credits where they were", async () => {
    onTestFailed(() => printOutput(server));
    server = await startDevServer({ persistTo });
    const before = sdk(server);

    const { result: api } = await before.apis.create({ name: "persistence" });
    const { result: created } = await before.keys.create({ apiId: api!.apiId, remaining: 10 });
    const { key, keyId } = created!;
    for (const expected of [9, 8, 7]) {
      expect((await before.keys.verify({ key })).result).toMatchObject({ valid: true, remaining: expected });
    }

    await server.stop();
    server = await startDevServer({ persistTo });
    const after = sdk(server);

    expect((await after.keys.verify({ key })).result).toMatchObject({ keyId, valid: true, remaining: 6 });
    expect((await after.keys.get({ keyId })).result).toMatchObject({ id: keyId, remaining: 6 });
  });
});
