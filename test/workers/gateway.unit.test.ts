import { describe, expect, it } from "vitest";
import { nextRefillBoundary } from "../../src/counters/credits";
import { headerSafe } from "../../src/surfaces/gateway/headers";
import { clientAddress, fromTrustedProxy, isNginxSubrequest, originalMethod, presentedKey } from "../../src/surfaces/gateway/request";

const at = (iso: string) => Date.parse(iso);
const headers = (init: Record<string, string>) => new Headers(init);

describe("headerSafe", () => {
  it("leaves printable ASCII but % alone, and round-trips through decodeURIComponent", () => {
    for (const value of ["plain value", "a\r\nb", "100%", "Zoë", "🔑", "\u0000\u007f", "%E2%82%AC"]) {
      const safe = headerSafe(value);
      expect(safe).toMatch(/^[\x20-\x7e]*$/);
      expect(safe).not.toMatch(/%(?![0-9A-F]{2})/);
      expect(decodeURIComponent(safe)).toBe(value);
    }
    expect(headerSafe("plain value")).toBe("plain value");
  });

  it("turns a lone surrogate into U+FFFD instead of throwing", () => {
    expect(decodeURIComponent(headerSafe("a\ud800b"))).toBe("a\ufffdb");
  });
});

describe("gateway request parsing", () => {
  it("finds the key in X-API-Key, then Authorization: Bearer, or only in the configured header", () => {
    expect(presentedKey(headers({ "x-api-key": " k1 ", authorization: "Bearer k2" }), undefined)).toBe("k1");
    expect(presentedKey(headers({ authorization: "Bearer k2" }), undefined)).toBe("k2");
    expect(presentedKey(headers({ authorization: "Basic k2" }), undefined)).toBeUndefined();
    expect(presentedKey(headers({ "x-api-key": "k1", authorization: "Bearer k2" }), "authorization")).toBe("k2");
    expect(presentedKey(headers({ "x-api-key": "k1" }), "x-other")).toBeUndefined();
  });

  it("reads the original method from X-Forwarded-Method, then X-Original-Method, then the request", () => {
    expect(originalMethod(headers({ "x-forwarded-method": "post", "x-original-method": "GET" }), "GET")).toBe("POST");
    expect(originalMethod(headers({ "x-original-method": "DELETE" }), "GET")).toBe("DELETE");
    expect(originalMethod(headers({}), "put")).toBe("PUT");
  });

  it("reads the client address from X-Real-IP, then the first X-Forwarded-For hop, then CF-Connecting-IP", () => {
    expect(clientAddress(headers({ "x-real-ip": "10.0.0.1", "x-forwarded-for": "10.0.0.2", "cf-connecting-ip": "10.0.0.3" }))).toBe("10.0.0.1");
    expect(clientAddress(headers({ "x-forwarded-for": " 10.0.0.2 , 10.0.0.9", "cf-connecting-ip": "10.0.0.3" }))).toBe("10.0.0.2");
    expect(clientAddress(headers({ "cf-connecting-ip": "10.0.0.3" }))).toBe("10.0.0.3");
    expect(clientAddress(headers({}))).toBeUndefined();
    expect(clientAddress(headers({ "x-real-ip": "1".repeat(100) }))).toBeUndefined();
    expect(clientAddress(headers({ "x-real-ip": "unknown", "cf-connecting-ip": "10.0.0.3" }))).toBeUndefined();
  });

  it("trusts the proxy only when X-Keygate-Proxy-Secret equals the configured secret", () => {
    const secret = "s3cret-value";
    expect(fromTrustedProxy(headers({ "x-keygate-proxy-secret": secret }), secret)).toBe(true);
    for (const sent of ["", "s3cret", `${secret}x`, "S3CRET-VALUE", "s3cret-valuf"]) {
      expect(fromTrustedProxy(headers({ "x-keygate-proxy-secret": sent }), secret), sent).toBe(false);
    }
    expect(fromTrustedProxy(headers({}), secret)).toBe(false);
    // No secret configured: nobody is trusted, whatever they send.
    expect(fromTrustedProxy(headers({ "x-keygate-proxy-secret": "" }), "")).toBe(false);
    expect(fromTrustedProxy(headers({ "x-keygate-proxy-secret": "anything" }), undefined)).toBe(false);
  });

  it("recognises nginx's auth subrequest by X-Original-URI without X-Forwarded-Uri", () => {
    expect(isNginxSubrequest(headers({ "x-original-uri": "/a" }))).toBe(true);
    expect(isNginxSubrequest(headers({ "x-original-uri": "/a", "x-forwarded-uri": "/a" }))).toBe(false);
    expect(isNginxSubrequest(headers({}))).toBe(false);
  });
});

describe("nextRefillBoundary", () => {
  it("is the next UTC midnight for a daily refill", () => {
    expect(nextRefillBoundary({ interval: "daily", amount: 1, refillDay: null }, at("2026-03-10T15:00:00Z"))).toBe(at("2026-03-11T00:00:00Z"));
    expect(nextRefillBoundary({ interval: "daily", amount: 1, refillDay: null }, at("2026-03-10T00:00:00Z"))).toBe(at("2026-03-11T00:00:00Z"));
  });

  it("is the refill day of the next month, or that month's last day when shorter", () => {
    const monthly = (refillDay: number | null) => ({ interval: "monthly" as const, amount: 1, refillDay });
    expect(nextRefillBoundary(monthly(null), at("2026-03-10T00:00:00Z"))).toBe(at("2026-04-01T00:00:00Z"));
    expect(nextRefillBoundary(monthly(15), at("2026-03-10T00:00:00Z"))).toBe(at("2026-03-15T00:00:00Z"));
    expect(nextRefillBoundary(monthly(31), at("2026-01-31T12:00:00Z"))).toBe(at("2026-02-28T00:00:00Z"));
    expect(nextRefillBoundary(monthly(31), at("2026-02-28T12:00:00Z"))).toBe(at("2026-03-31T00:00:00Z"));
    expect(nextRefillBoundary(monthly(5), at("2026-12-20T00:00:00Z"))).toBe(at("2027-01-05T00:00:00Z"));
  });
});
