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

/** A query string that does not parse: `position` is the 0-based offset of the offending token. */
export class PermissionQuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = "PermissionQuerySyntaxError";
  }
}

const TOKEN = /\s*(?:(\()|(\))|([^\s()]+))/y;

/**
 * Parses Unkey v2's permission query string, e.g. `a.read AND (b.write OR admin)`, into the
 * query tree: AND binds tighter than OR, parentheses group, and any other word is a permission.
 * Within the same bounds on size and nesting as the tree form.
 */
export function parsePermissionQuery(text: string): PermissionQuery {
  const tokens: { text: string; at: number }[] = [];
  TOKEN.lastIndex = 0;
  // Every character is whitespace, a parenthesis or part of a word: only trailing space stops this.
  for (let match = TOKEN.exec(text); match; match = TOKEN.exec(text)) {
    const token = match[1] ?? match[2] ?? match[3]!;
    tokens.push({ text: token, at: TOKEN.lastIndex - token.length });
  }
  let next = 0;
  let depth = 0;
  const peek = () => tokens[next];
  const unexpected = (token: { text: string; at: number } | undefined, expected: string) =>
    token
      ? new PermissionQuerySyntaxError(`unexpected '${token.text}' at position ${token.at}; expected ${expected}`, token.at)
      : new PermissionQuerySyntaxError(`the query ends early; expected ${expected}`, text.length);

  const group = (operator: "AND" | "OR", operand: () => PermissionQuery): PermissionQuery => {
    const operands = [operand()];
    while (peek()?.text === operator) {
      next++;
      operands.push(operand());
    }
    if (operands.length === 1) return operands[0]!;
    return operator === "AND" ? { and: operands } : { or: operands };
  };
  const either = (): PermissionQuery => group("OR", both);
  const both = (): PermissionQuery => group("AND", single);
  const single = (): PermissionQuery => {
    const token = peek();
    if (token?.text === "(") {
      next++;
      if (++depth > MAX_QUERY_DEPTH) throw new PermissionQuerySyntaxError(`a permission query may nest at most ${MAX_QUERY_DEPTH} levels`, token.at);
      const inner = either();
      if (peek()?.text !== ")") throw unexpected(peek(), "')'");
      next++;
      depth--;
      return inner;
    }
    if (!token || token.text === ")" || token.text === "AND" || token.text === "OR") throw unexpected(token, "a permission or '('");
    next++;
    return token.text;
  };

  if (tokens.length === 0) throw unexpected(undefined, "a permission");
  const query = either();
  if (next < tokens.length) throw unexpected(peek(), "AND, OR or the end of the query");
  const tooBig = permissionQueryError(query);
  if (tooBig) throw new PermissionQuerySyntaxError(tooBig, 0);
  return query;
}
