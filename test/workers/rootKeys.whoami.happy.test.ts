import { describe, expect, it } from "vitest";
import { get, post } from "../helpers/harness";
import { otherWorkspaceRootKey, uniqueName } from "../helpers/rootKeys";

const whoami = (rootKey?: string) => get("/v1/rootKeys.whoami", {}, rootKey === undefined ? {} : { rootKey });

describe("rootKeys.whoami happy paths", () => {
  it("describes the bootstrap ROOT_KEY: every permission in the default workspace, no name, no expiry", async () => {
    const res = await whoami();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: "root_bootstrap", workspaceId: "ws_default", permissions: ["*"] });
  });

  it("describes a created root key as it was created", async () => {
    const name = uniqueName("console operator");
    const permissions = ["api.*.read_api", "api.*.read_key", "audit.*.read_logs"];
    const expires = Date.now() + 3_600_000;
    const created = await post("/v1/rootKeys.createRootKey", { name, permissions, expires });
    expect(created.status).toBe(200);

    const res = await whoami(created.body.key);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: created.body.keyId, name, workspaceId: "ws_default", permissions, expires });
  });

  it("answers a root key that holds no permission at all", async () => {
    const created = await post("/v1/rootKeys.createRootKey", { name: uniqueName("powerless"), permissions: [] });
    const res = await whoami(created.body.key);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.keyId, permissions: [] });
    expect(res.body.expires).toBeUndefined();
  });

  it("names the workspace of a root key from another workspace", async () => {
    const rootKey = await otherWorkspaceRootKey();
    const res = await whoami(rootKey);
    expect(res.status).toBe(200);
    expect(res.body.workspaceId).toMatch(/^ws_/);
    expect(res.body.workspaceId).not.toBe("ws_default");
    expect(res.body.permissions).toEqual(["*"]);
  });

  it("is documented in /openapi.json as a GET that takes a root key", async () => {
    const doc = (await get("/openapi.json", {}, { rootKey: null })).body;
    const operation = doc.paths["/v1/rootKeys.whoami"].get;
    expect(operation.security).toEqual([{ rootKey: [] }]);
    expect(Object.keys(operation.responses["200"].content["application/json"].schema.properties).sort()).toEqual(
      ["expires", "id", "name", "permissions", "workspaceId"].sort(),
    );
  });
});
