import { describe, expect, it } from "vitest";
import { dispatch } from "../helpers/harness";

const root = (headers: Record<string, string>, method = "GET") => dispatch(new Request("http://keygate.test/", { method, headers }));

describe("the operator console's entry", () => {
  it("sends a browser opening / to the console", async () => {
    const res = await root({ accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/console/");
  });

  it.each<Record<string, string>>([{}, { accept: "application/json" }, { accept: "*/*" }])("keeps the JSON 404 for an API client (%j)", async (headers) => {
    const res = await root(headers);
    expect(res.status).toBe(404);
    expect((await res.json()) as any).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("redirects only GET (and HEAD): a POST to / is still the JSON 404", async () => {
    const res = await root({ accept: "text/html" }, "POST");
    expect(res.status).toBe(404);
    expect(res.headers.get("location")).toBeNull();
  });
});
