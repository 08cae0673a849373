import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_QUERY_DEPTH, type PermissionQuery, PermissionQuerySyntaxError, parsePermissionQuery } from "../../src/verify/permissionQuery";
import { fuzzParameters } from "../helpers/fuzz";

/** A query tree as the parser builds it: groups of two or more, never an AND directly inside an AND. */
const permission = fc.stringMatching(/^[a-z][a-z0-9_.:*-]{0,12}$/).filter((name) => name !== "AND" && name !== "OR");
const { tree } = fc.letrec<{ tree: PermissionQuery; and: PermissionQuery; or: PermissionQuery }>((self) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, permission, self("and"), self("or")),
  and: fc.array(fc.oneof({ depthSize: "small" }, permission, self("or")), { minLength: 2, maxLength: 4 }).map((and) => ({ and })),
  or: fc.array(fc.oneof({ depthSize: "small" }, permission, self("and")), { minLength: 2, maxLength: 4 }).map((or) => ({ or })),
}));

/** Writes a tree back as text, with parentheses only where OR sits inside AND. */
function print(query: PermissionQuery): string {
  if (typeof query === "string") return query;
  if ("and" in query) return query.and.map((part) => (typeof part === "object" && "or" in part ? `(${print(part)})` : print(part))).join(" AND ");
  return query.or.map(print).join(" OR ");
}

describe("parsePermissionQuery", () => {
  it("reads what print writes, for any query tree", () => {
    fc.assert(
      fc.property(tree, (query) => {
        expect(parsePermissionQuery(print(query))).toEqual(query);
      }),
      fuzzParameters,
    );
  });

  it("binds AND tighter than OR and keeps redundant parentheses out of the tree", () => {
    expect(parsePermissionQuery("a OR b AND c")).toEqual({ or: ["a", { and: ["b", "c"] }] });
    expect(parsePermissionQuery("(a OR b) AND c")).toEqual({ and: [{ or: ["a", "b"] }, "c"] });
    expect(parsePermissionQuery("  ((a))  ")).toBe("a");
    expect(parsePermissionQuery("a AND b AND c")).toEqual({ and: ["a", "b", "c"] });
  });

  it("names the offending position", () => {
    const failure = (text: string) => {
      try {
        parsePermissionQuery(text);
      } catch (err) {
        if (err instanceof PermissionQuerySyntaxError) return { message: err.message, position: err.position };
        throw err;
      }
      throw new Error(`${text} parsed`);
    };
    expect(failure("a AND")).toEqual({ message: "the query ends early; expected a permission or '('", position: 5 });
    expect(failure("a b")).toEqual({ message: "unexpected 'b' at position 2; expected AND, OR or the end of the query", position: 2 });
    expect(failure(") a")).toMatchObject({ position: 0 });
    expect(failure("")).toMatchObject({ position: 0 });
    expect(failure(`${"(".repeat(MAX_QUERY_DEPTH + 1)}a${")".repeat(MAX_QUERY_DEPTH + 1)}`).message).toContain("nest at most");
  });
});
