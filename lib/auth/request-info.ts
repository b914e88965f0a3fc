// Who is asking and where to send them back: client address and safe post-login paths.

/**
 * The client's address for rate limiting and the audit log.
 *
 * `npm start` (scripts/start.mjs) loads lib/auth/forwarded-for.mjs, which appends the TCP peer's
 * address to X-Forwarded-For on every request, so the last entry is always the address the
 * connection came from, and the entries before it are what the client (or the proxies in front)
 * claimed. Only `trustedProxies` hops (TRUST_PROXY) are believed: with 0, the peer itself; with
 * N proxies in front, each appending, the entry N places left of the peer. Anything further left
 * is the client's own say and is ignored, so a forged header buys neither a fresh rate-limit
 * allowance nor a false address in the audit log.
 */
export function clientIp(request: Request, trustedProxies = 0): string {
  const entries = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const index = entries.length - 1 - Math.max(0, trustedProxies);
  const ip = entries[Math.max(0, index)];
  // Bounded: the value keys rate-limit entries and lands in the audit log.
  return ip ? ip.slice(0, 64) : 'unknown';
}

/** A same-origin path to return to after sign-in; anything else becomes "/". */
export function safeNextPath(raw: string | null | undefined): string {
  if (!raw || raw.length > 512) return '/';
  // Only plain absolute paths: "//host", "/\host" and schemes would leave the site.
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\\]/.test(raw)) return '/';
  try {
    const url = new URL(raw, 'http://console.invalid');
    if (url.origin !== 'http://console.invalid') return '/';
    if (url.pathname === '/login' || url.pathname.startsWith('/api/')) return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}

/** The URL of the sign-in page that explains why and returns to `nextPath` afterwards. */
export function loginUrl(
  reason: 'missing' | 'expired' | 'invalid' | 'signed-out',
  nextPath?: string,
): string {
  const params = new URLSearchParams();
  if (reason !== 'missing') params.set('reason', reason);
  const next = safeNextPath(nextPath);
  if (next !== '/') params.set('next', next);
  const query = params.toString();
  return query ? `/login?${query}` : '/login';
}
