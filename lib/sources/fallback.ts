// Asking one member directly when the cluster's front door (load balancer URL) does not answer.
import 'server-only';
import type { ProbeKind, ProbeResult } from '@/lib/domain/types';
import { SourceError, worthTryingElsewhere } from './errors';
import { sanitizeReason } from './upstream-values';

/**
 * Tries origins[0]; if it failed in a way another member might not (refused, timeout, 50x from
 * an LB), tries every remaining origin at once and takes the first success. Bounded by two
 * request timeouts. Rejects with the first origin's error, noting the others failed too.
 */
export async function withFallback<T>(
  origins: string[],
  attempt: (origin: string) => Promise<T>,
): Promise<{ value: T; origin: string }> {
  const [first, ...rest] = origins;
  if (first === undefined) throw new SourceError('network', 'no address to ask');
  try {
    return { value: await attempt(first), origin: first };
  } catch (err) {
    if (rest.length === 0 || !worthTryingElsewhere(err)) throw err;
    try {
      return await Promise.any(
        rest.map(async (origin) => ({ value: await attempt(origin), origin })),
      );
    } catch {
      const e = err as SourceError;
      const noun = rest.length === 1 ? 'address' : 'addresses';
      throw new SourceError(
        e.kind,
        `${e.message}; ${rest.length} direct member ${noun} failed too`,
        e.status,
      );
    }
  }
}

/** Origins in the order to try: the one that last worked, the configured URL, then members. */
export function originOrder(
  preferred: string | null,
  primary: string,
  members: string[],
): string[] {
  return [...new Set([...(preferred ? [preferred] : []), primary, ...members])];
}

/** A probe that failed before any HTTP answer: unreachable, or unknown when TLS stopped us judging. */
export function probeFailure(err: unknown, checkedAt: string): ProbeResult {
  const e = err instanceof SourceError ? err : new SourceError('network', 'probe failed');
  const kind: ProbeKind =
    e.kind === 'tls'
      ? 'tls'
      : e.kind === 'refused' || e.kind === 'timeout'
        ? e.kind
        : e.kind === 'dns' || e.kind === 'network'
          ? 'network'
          : 'garbage';
  const status = kind === 'tls' ? 'unknown' : kind === 'garbage' ? 'unhealthy' : 'unreachable';
  return { status, kind, error: e.message, latencyMs: null, checkedAt };
}

/**
 * First line of a non-JSON error body as a short status reason: markup and control characters
 * dropped, at most 120 characters. Never more of a member's reply than that reaches a viewer.
 */
export function bodySnippet(body: string): string {
  const line = body.slice(0, 4096).trim().split('\n', 1)[0] ?? '';
  return sanitizeReason(line.replace(/<[^>]*>?/g, ' '), 120);
}
