// Who is asking and where to send them back: client address and safe post-login paths.
import { normaliseAddress } from '@/lib/domain/address';
import { safeNextPath } from './next-path';

/**
 * The client's address for rate limiting and the audit log.
 *
 * `npm start` (scripts/start.mjs) loads lib/auth/forwarded-for.mjs, which appends the TCP peer's
 * address to X-Forwarded-For on every request, so the last entry is always the address the
 * connection came from, and the entries before it are what the client (or the proxies in front)
 * claimed. Only `trustedProxies` hops (TRUST_PROXY) are believed: with 0, the peer itself; with
 * N proxies in front, each appending, the entry N places left of the peer. Anything further left
 * is the client's own say and is ignored, so a forged header buys neither a fresh rate-limit
 * allowance nor a false address in the audit log. Written one way per client (normaliseAddress):
 * `::ffff:127.0.0.1` is `127.0.0.1`.
 */
export function clientIp(request: Request, trustedProxies = 0): string {
  const entries = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const index = entries.length - 1 - Math.max(0, trustedProxies);
  const ip = entries[Math.max(0, index)];
  // Bounded: the value keys rate-limit entries and lands in the audit log.
  return ip ? normaliseAddress(ip.slice(0, 64)) : 'unknown';
}

// The one check of a sign-in's `next=` (lib/auth/next-path.ts) judges the normalised result.
export { safeNextPath };

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

/** The sign-in page saying the person has no role on `cluster`, with the page they asked for. */
export function noAccessUrl(cluster: string, nextPath?: string): string {
  const params = new URLSearchParams({ reason: 'no-access', cluster });
  const next = safeNextPath(nextPath);
  if (next !== '/') params.set('next', next);
  return `/login?${params.toString()}`;
}
