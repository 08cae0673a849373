import { describe, expect, it } from "vitest";
import { useDevServer } from "./helpers/devServer";

/** The three introspection dialects as their clients call them: plain fetch against wrangler dev. */
describe("introspection dialects against wrangler dev", () => {
  const server = useDevServer();

  async function manage(path: string, body: unknown) {
    const res = await fetch(`${server().baseUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${server().rootKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return res.json() as Promise<any>;
  }

  const kombo = (key: string) => fetch(`${server().baseUrl}/v1/check-api-key`, { headers: { authorization: `Bearer ${key}` } });
  const konpro = (key: string) =>
    fetch(`${server().baseUrl}/v1/api-keys/validate`, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" } });
  const kirim = (key: string) => fetch(`${server().baseUrl}/v1/me`, { headers: { authorization: `Bearer ${key}` } });

  it("answers each dialect's success shape, then refuses the key in all three right after it is revoked", async () => {
    const { apiId } = await manage("/v1/apis.createApi", { name: "dialects" });
    const { keyId, key } = await manage("/v1/keys.createKey", {
      apiId,
      name: "ops script",
      environment: "production",
      permissions: ["read", "write"],
      meta: { project: "support" },
      ratelimits: [{ name: "read", limit: 120, duration: 60_000 }],
    });

    const check = await kombo(key);
    expect(check.status).toBe(200);
    const checked: any = await check.json();
    expect(checked).toEqual({ status: "success", data: { environment_id: expect.stringMatching(/^env_/), customer_id: checked.data.environment_id } });

    const validate = await konpro(key);
    expect(await validate.json()).toEqual({ valid: true, key_id: keyId, scopes: ["read", "write"], metadata: { project: "support" }, expires_at: null });

    const me: any = await (await kirim(key)).json();
    expect(me.data).toEqual({
      organization: { id: "ws_default", object: "organization", name: "default" },
      api_key: { id: keyId, object: "api_key", label: "ops script", last4: key.slice(-4) },
      rate_limits: { tier: "default", read_per_minute: 120, write_per_minute: expect.any(Number) },
    });
    expect(me.request_id).toMatch(/^req_/);

    await manage("/v1/keys.revokeKey", { keyId, reason: "rotated" });
    const refusedKombo = await kombo(key);
    expect(refusedKombo.status).toBe(401);
    expect(((await refusedKombo.json()) as any).error.code).toBe("PLATFORM.AUTHENTICATION_INVALID");
    expect(await (await konpro(key)).json()).toEqual({ valid: false, key_id: null, scopes: [], metadata: {}, expires_at: null });
    const refusedKirim = await kirim(key);
    expect(refusedKirim.status).toBe(401);
    expect(((await refusedKirim.json()) as any).error.type).toBe("authentication_error");
  });

  it("gives each dialect's 4xx for malformed headers, never a 5xx", async () => {
    for (const authorization of ["", "Bearer", "Bearer ", "Basic abc", "k".repeat(10_000), `Bearer ${"k".repeat(10_000)}`]) {
      const a = await fetch(`${server().baseUrl}/v1/check-api-key`, { headers: { authorization } });
      const b = await fetch(`${server().baseUrl}/v1/me`, { headers: { authorization } });
      expect([a.status, b.status]).toEqual([401, 401]);
    }
    expect((await fetch(`${server().baseUrl}/v1/api-keys/validate`, { method: "POST" })).status).toBe(400);
  });
});
