// Who is asking and where to send them back: client address and safe post-login paths.

/**
 * The client's address for rate limiting and the audit log.
 *
 * `next start` fills X-Forwarded-For with the socket address only when the request has none, and
 * never appends. So with `trustedProxies` = 0 the header is the socket address (if the server
 * strips client-sent X-Forwarded-* first, see INTEGRATION.md) and with N proxies in front, each
 * appending, the client is the Nth entry from the right.
 */
export function clientIp(request: Request, trustedProxies = 0): string {
  const entries = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const index = entries.length - Math.max(1, trustedProxies);
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
