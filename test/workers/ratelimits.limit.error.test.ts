import { describe, expect, it } from "vitest";
import { call, post } from "../helpers/harness";
import { uniqueName } from "../helpers/rootKeys";

const valid = () => ({ namespace: uniqueName("ns"), identifier: "u", limit: 10, duration: 60_000 });

describe("ratelimits.limit errors", () => {
  it.each([
    [{ limit: 0 }, "limit"],
    [{ limit: -1 }, "limit"],
    [{ limit: 2.5 }, "limit"],
    [{ limit: "10" }, "limit"],
    [{ duration: 999 }, "duration"],
    [{ duration: 0 }, "duration"],
    [{ duration: -1000 }, "duration"],
    [{ cost: 1.5 }, "cost"],
    [{ cost: -1 }, "cost"],
    [{ identifier: "" }, "identifier"],
    [{ identifier: undefined }, "identifier"],
    [{ namespace: "" }, "namespace"],
    [{ resources: [{ type: "x" }] }, "resources.0.id"],
    [{ surprise: true }, "surprise"],
  ])("rejects %j with a 400 naming %s", async (change, field) => {
    const res = await post("/v1/ratelimits.limit", { ...valid(), ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("BAD_REQUEST");
    expect(res.body.error.message).toContain(field);
  });

  it("rejects a body that is not JSON", async () => {
    const res = await call("POST", "/v1/ratelimits.limit", { rawBody: "{not json" });
    expect(res.status).toBe(400);
  });

  it("does not count a rejected request", async () => {
    const body = { ...valid(), limit: 1 };
    expect((await post("/v1/ratelimits.limit", { ...body, cost: -1 })).status).toBe(400);
    expect((await post("/v1/ratelimits.limit", body)).body.success).toBe(true);
  });

  it("never admits a cost larger than the limit", async () => {
    const res = await post("/v1/ratelimits.limit", { ...valid(), limit: 2, cost: 3 });
    expect(res.body).toMatchObject({ success: false, limit: 2, remaining: 2 });
  });
});
