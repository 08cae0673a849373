import { describe, expect, it } from "vitest";
import { bearer, expireKey, kirim, kombo, konpro } from "../helpers/dialects";
import { apiWithKey, post } from "../helpers/harness";

/** What each entry point says about one key, reduced to "accepted" or the way it refused. */
async function answers(key: string, headers: Record<string, string> = {}) {
  const [unkey, kombos, konpros, kirims] = await Promise.all([
    post("/v1/keys.verifyKey", { key, remaining: { cost: 0 } }, { rootKey: null, headers }),
    kombo({ ...bearer(key), ...headers }),
    konpro({ "x-api-key": key, ...headers }),
    kirim({ ...bearer(key), ...headers }),
  ]);
  return {
    unkey: unkey.body.code,
    kombo: kombos.status === 200 ? "accepted" : kombos.body.error.code,
    konpro: konpros.status === 200 ? (konpros.body.valid ? "accepted" : "invalid") : konpros.body.error.code,
    kirim: kirims.status === 200 ? "accepted" : kirims.body.error.code,
  };
}

const accepted = { unkey: "VALID", kombo: "accepted", konpro: "accepted", kirim: "accepted" };
const refusedAs = (unkey: string) => ({ unkey, kombo: "PLATFORM.AUTHENTICATION_INVALID", konpro: "invalid", kirim: "invalid_api_key" });

describe("every dialect agrees with keys.verifyKey, at once, through warm caches", () => {
  it("after keys.updateKey disables the key", async () => {
    const { key, keyId } = await apiWithKey();
    expect(await answers(key)).toEqual(accepted);
    await post("/v1/keys.updateKey", { keyId, enabled: false });
    expect(await answers(key)).toEqual(refusedAs("DISABLED"));
  });

  it("after keys.deleteKey", async () => {
    const { key, keyId } = await apiWithKey();
    expect(await answers(key)).toEqual(accepted);
    await post("/v1/keys.deleteKey", { keyId });
    expect(await answers(key)).toEqual(refusedAs("NOT_FOUND"));
  });

  it("after the key expires", async () => {
    const { key, keyId } = await apiWithKey({ expires: Date.now() + 60_000 });
    expect(await answers(key)).toEqual(accepted);
    await expireKey(keyId);
    expect(await answers(key)).toEqual(refusedAs("EXPIRED"));
  });

  it("for an address outside the key's allowlist", async () => {
    const { key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8"] });
    expect(await answers(key, { "CF-Connecting-IP": "10.0.0.1" })).toEqual(accepted);
    expect(await answers(key, { "CF-Connecting-IP": "192.168.1.1" })).toEqual({
      unkey: "FORBIDDEN",
      kombo: "PLATFORM.IP_NOT_WHITELISTED",
      konpro: "invalid",
      kirim: "ip_not_allowed",
    });
  });

  it("once the key's rate limit is used, by any of them", async () => {
    const { key } = await apiWithKey({ ratelimit: { limit: 1, duration: 60_000 } });
    expect((await kombo(bearer(key))).status).toBe(200);
    expect(await answers(key)).toEqual({
      unkey: "RATE_LIMITED",
      kombo: "PLATFORM.RATE_LIMIT_EXCEEDED",
      konpro: "too_many_requests",
      kirim: "rate_limit_exceeded",
    });
  });
});
