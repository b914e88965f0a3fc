// One spelling per client address, so the audit log's "From" column and the sign-in limits see
// one client as one: an IPv4 client on a dual-stack socket (`::ffff:127.0.0.1`) is `127.0.0.1`,
// an IPv6 address is written the short, lower-case way (`0:0:0:0:0:0:0:1` is `::1`).

const IPV4_MAPPED = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/** The canonical form of an IP address; anything that is not an IPv6 literal comes back trimmed. */
export function normaliseAddress(address: string): string {
  const trimmed = address.trim();
  const bare = trimmed.replace(/^\[(.*)\]$/, '$1');
  // IPv4, a host name, "unknown": nothing to do. A zone (fe80::1%eth0) is not valid in a URL.
  if (!bare.includes(':') || bare.includes('%')) return trimmed;
  let host: string;
  try {
    // The WHATWG URL parser writes IPv6 the RFC 5952 way; an IPv4 tail becomes two hex groups.
    host = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return trimmed;
  }
  const mapped = IPV4_MAPPED.exec(host);
  if (!mapped) return host;
  const high = Number.parseInt(mapped[1]!, 16);
  const low = Number.parseInt(mapped[2]!, 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}
