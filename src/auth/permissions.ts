/**
 * Root-key permissions follow Unkey's strings: `api.<apiId>.create_key`, `rbac.*.create_role`,
 * `identity.*.read_identity`, … A granted string may use `*` as a wildcard; `*` alone grants all.
 */
export function grants(granted: readonly string[], required: string): boolean {
  return granted.some((pattern) => pattern === "*" || pattern === required || globMatches(pattern, required));
}

function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes("*")) return false;
  const parts = pattern.split("*");
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === 0) {
      if (!value.startsWith(part)) return false;
      at = part.length;
    } else if (i === parts.length - 1) {
      return value.length - part.length >= at && value.endsWith(part);
    } else {
      const found = value.indexOf(part, at);
      if (found < 0) return false;
      at = found + part.length;
    }
  }
  return at === value.length;
}
