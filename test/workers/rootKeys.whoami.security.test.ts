import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { get, post } from "../helpers/harness";
import { rootKeyWith, uniqueName } from "../helpers/rootKeys";

const whoami = (rootKey: string) => get("/v1/rootKeys.whoami", {}, { rootKey });

describe("rootKeys.whoami security", () => {
  it("tells a root key about itself only, never its secret, hash or start", async () => {
    const first = await post("/v1/rootKeys.createRootKey", { name: uniqueName("first"), permissions: ["api.*.read_key"] });
    const second = await post("/v1/rootKeys.createRootKey", { name: uniqueName("second"), permissions: ["audit.*.read_logs"] });

    const res = await whoami(first.body.key);
    expect(res.body.id).toBe(first.body.keyId);
    expect(res.body.permissions).toEqual(["api.*.read_key"]);
    expect(Object.keys(res.body).sort()).toEqual(["id", "name", "permissions", "workspaceId"]);
    const text = JSON.stringify(res.body);
    const row = await env.DB.prepare("SELECT hash, start FROM root_keys WHERE id = ?").bind(first.body.keyId).first<{ hash: string; start: string }>();
    for (const secret of [first.body.key, row!.hash, row!.start, second.body.keyId]) expect(text).not.toContain(secret);
    expect((await whoami(second.body.key)).body.id).toBe(second.body.keyId);
  });

  it("reports what the key holds, not what its creator holds", async () => {
    const creator = await rootKeyWith(["root_key.*.create_root_key", "api.*.read_api", "api.*.read_key"]);
    const created = await post("/v1/rootKeys.createRootKey", { name: uniqueName("narrow"), permissions: ["api.*.read_api"] }, { rootKey: creator });
    expect(created.status).toBe(200);
    expect((await whoami(created.body.key)).body.permissions).toEqual(["api.*.read_api"]);
  });

  it("refuses a deleted root key on the very next call", async () => {
    const created = await post("/v1/rootKeys.createRootKey", { name: uniqueName("deleted"), permissions: ["*"] });
    expect((await whoami(created.body.key)).status).toBe(200);
    expect((await post("/v1/rootKeys.deleteRootKey", { keyId: created.body.keyId })).status).toBe(200);
    const res = await whoami(created.body.key);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHORIZED");
  });

  it("changes nothing: no audit entry is written", async () => {
    const created = await post("/v1/rootKeys.createRootKey", { name: uniqueName("reader"), permissions: [] });
    const count = () => env.DB.prepare("SELECT COUNT(*) AS n FROM audit_logs WHERE actor LIKE ?").bind(`%"${created.body.keyId}"%`).first<{ n: number }>();
    expect((await count())!.n).toBe(0);
    await whoami(created.body.key);
    expect((await count())!.n).toBe(0);
  });
});
