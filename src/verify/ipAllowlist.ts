import ipaddr from "ipaddr.js";

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses an allowlist entry (an address or a CIDR range); undefined when it is neither. */
export function parseAllowlistEntry(entry: string): Range | undefined {
  try {
    if (entry.includes("/")) {
      if (!ipaddr.isValidCIDR(entry)) return undefined;
      return ipaddr.parseCIDR(entry);
    }
    if (!ipaddr.isValid(entry)) return undefined;
    const address = ipaddr.parse(entry);
    return [address, address.kind() === "ipv4" ? 32 : 128];
  } catch {
    return undefined;
  }
}

/** The entries that are not valid addresses or ranges, so a 400 can name them. */
export function invalidAllowlistEntries(entries: string[]): string[] {
  return entries.filter((entry) => parseAllowlistEntry(entry) === undefined);
}

/**
 * True when `clientIp` is in every non-empty list. An IPv4-mapped IPv6 address
 * (::ffff:10.0.0.1) matches the IPv4 ranges too. Without a known client address, a
 * restricted key is refused.
 */
export function ipAllowed(lists: string[][], clientIp: string | undefined): boolean {
  if (lists.length === 0) return true;
  if (!clientIp || !ipaddr.isValid(clientIp)) return false;
  const address = ipaddr.process(clientIp);
  return lists.every((list) =>
    list.some((entry) => {
      const range = parseAllowlistEntry(entry);
      return range !== undefined && range[0].kind() === address.kind() && address.match(range);
    }),
  );
}
