import { BadRequestErrorResponse, NotFoundErrorResponse } from "@unkey/api-v2/models/errors";
import { describe, expect, it } from "vitest";
import { call, post } from "../helpers/harness";
import { uniqueName } from "../helpers/rootKeys";
import { errorLocations, expectV2Error, unkeyV2 } from "../helpers/unkeyV2Sdk";

const check = (extra: Record<string, unknown> = {}) => ({ namespace: uniqueName("ns"), identifier: "u", limit: 1, duration: 60_000, ...extra });

describe("v2 ratelimit.limit errors", () => {
  it.each([
    ["a missing namespace", { namespace: undefined }, "body.namespace"],
    ["an empty identifier", { identifier: "" }, "body.identifier"],
    ["a limit of 0", { limit: 0 }, "body.limit"],
    ["a fractional limit", { limit: 1.5 }, "body.limit"],
    ["a duration under a second", { duration: 999 }, "body.duration"],
    ["a negative cost", { cost: -1 }, "body.cost"],
    ["a namespace with a control character", { namespace: "a\nb" }, "body.namespace"],
    ["a namespace longer than 512", { namespace: "n".repeat(513) }, "body.namespace"],
  ])("refuses %s with a 400 naming the field", async (_, extra, location) => {
    const res = await post("/v2/ratelimit.limit", check(extra));
    expectV2Error(res, 400);
    expect(errorLocations(res)).toEqual([location]);
    expect(res.body.error.detail).toContain(location);
  });

  it("refuses an unknown field and lists every invalid one", async () => {
    const unknown = await post("/v2/ratelimit.limit", check({ window: 5 }));
    expectV2Error(unknown, 400);
    expect(errorLocations(unknown)).toEqual(["body"]);
    const several = await post("/v2/ratelimit.limit", { namespace: "x", identifier: "u", limit: -1, duration: 0 });
    expect(errorLocations(several)).toEqual(["body.limit", "body.duration"]);
  });

  it("refuses a body that is not JSON", async () => {
    expectV2Error(await call("POST", "/v2/ratelimit.limit", { rawBody: "{not json" }), 400);
  });

  it("answers another method with a 405 in the v2 envelope", async () => {
    const res = await call("GET", "/v2/ratelimit.limit");
    expectV2Error(res, 405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("raises the SDK's typed BadRequestErrorResponse", async () => {
    const refused = unkeyV2().ratelimit.limit({ namespace: uniqueName("ns"), identifier: "u", limit: 0, duration: 60_000 });
    await expect(refused).rejects.toBeInstanceOf(BadRequestErrorResponse);
    await expect(refused).rejects.toMatchObject({ error: { status: 400, errors: [{ location: "body.limit" }] } });
  });
});

describe("v2 ratelimit.multiLimit errors", () => {
  it("refuses an empty list, a non-list and more than 100 checks", async () => {
    for (const body of [[], check(), Array.from({ length: 101 }, () => check())]) {
      const res = await post("/v2/ratelimit.multiLimit", body);
      expectV2Error(res, 400);
      expect(errorLocations(res)).toEqual(["body"]);
    }
  });

  it("names the invalid check by its index, and counts none of them", async () => {
    const valid = check();
    const res = await post("/v2/ratelimit.multiLimit", [valid, check({ limit: 0 }), check({ duration: "1m" })]);
    expectV2Error(res, 400);
    expect(errorLocations(res)).toEqual(["body[1].limit", "body[2].duration"]);
    expect((await post("/v2/ratelimit.limit", valid)).body.data).toMatchObject({ success: true, remaining: 0 });
  });
});

describe("v2 ratelimit override errors", () => {
  it("answers 404 for a namespace that does not exist, in the SDK's NotFoundErrorResponse", async () => {
    const namespace = uniqueName("missing");
    for (const [path, body] of [
      ["/v2/ratelimit.setOverride", { namespace, identifier: "u", limit: 1, duration: 1000 }],
      ["/v2/ratelimit.getOverride", { namespace, identifier: "u" }],
      ["/v2/ratelimit.listOverrides", { namespace }],
      ["/v2/ratelimit.deleteOverride", { namespace, identifier: "u" }],
    ] as const) {
      const res = await post(path, body);
      expectV2Error(res, 404);
      expect(res.body.error.detail).toContain(namespace);
    }
    await expect(unkeyV2().ratelimit.getOverride({ namespace, identifier: "u" })).rejects.toBeInstanceOf(NotFoundErrorResponse);
  });

  it("answers 404 for an identifier without an override", async () => {
    const namespace = uniqueName("ns");
    await post("/v2/ratelimit.limit", check({ namespace }));
    expectV2Error(await post("/v2/ratelimit.getOverride", { namespace, identifier: "nobody" }), 404);
    expectV2Error(await post("/v2/ratelimit.deleteOverride", { namespace, identifier: "nobody" }), 404);
  });

  it.each([
    ["/v2/ratelimit.setOverride", { identifier: "u", limit: -1, duration: 1000 }, ["body.limit"]],
    ["/v2/ratelimit.setOverride", { identifier: "u", limit: 1, duration: 10 }, ["body.duration"]],
    ["/v2/ratelimit.setOverride", { identifier: "", limit: 1 }, ["body.identifier", "body.duration"]],
    ["/v2/ratelimit.setOverride", { identifier: "u", limit: 1, duration: 1000, async: true }, ["body"]],
    ["/v2/ratelimit.listOverrides", { limit: 101 }, ["body.limit"]],
    ["/v2/ratelimit.listOverrides", { limit: 0 }, ["body.limit"]],
    ["/v2/ratelimit.getOverride", {}, ["body.identifier"]],
    ["/v2/ratelimit.deleteOverride", { identifier: 7 }, ["body.identifier"]],
  ])("%s refuses %j with a 400", async (path, body, locations) => {
    const res = await post(path, { namespace: "default", ...body });
    expectV2Error(res, 400);
    expect(errorLocations(res)).toEqual(locations);
  });
});
