/** Unkey's permission query language: a name, or nested and/or groups of queries. */
export type PermissionQuery = string | { and: PermissionQuery[] } | { or: PermissionQuery[] };

export const MAX_QUERY_DEPTH = 16;
const MAX_QUERY_NODES = 1000;

/**
 * Checks an untrusted value against the grammar without recursing through zod, so a deeply
 * nested body is a 400 and never a stack overflow. Returns an error message, or undefined.
 */
export function permissionQueryError(value: unknown): string | undefined {
  let nodes = 0;
  const visit = (node: unknown, depth: number): string | undefined => {
    if (++nodes > MAX_QUERY_NODES) return `a permission query may hold at most ${MAX_QUERY_NODES} terms`;
    if (depth > MAX_QUERY_DEPTH) return `a permission query may nest at most ${MAX_QUERY_DEPTH} levels`;
    if (typeof node === "string") return node.length > 0 ? undefined : "a permission name must not be empty";
    if (typeof node !== "object" || node === null || Array.isArray(node)) {
      return "a permission query is a name, {and: [...]} or {or: [...]}";
    }
    const keys = Object.keys(node);
    if (keys.length !== 1 || (keys[0] !== "and" && keys[0] !== "or")) {
      return "a permission query object has exactly one field, `and` or `or`";
    }
    const children = (node as Record<string, unknown>)[keys[0]!];
    if (!Array.isArray(children) || children.length === 0) return `\`${keys[0]}\` takes a non-empty array of queries`;
    for (const child of children) {
      const error = visit(child, depth + 1);
      if (error) return error;
    }
    return undefined;
  };
  return visit(value, 1);
}

export function evaluatePermissionQuery(query: PermissionQuery, granted: ReadonlySet<string>): boolean {
  if (typeof query === "string") return granted.has(query);
  if ("and" in query) return query.and.every((q) => evaluatePermissionQuery(q, granted));
  return query.or.some((q) => evaluatePermissionQuery(q, granted));
}
