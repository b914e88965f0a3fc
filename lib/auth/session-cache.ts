// Sessions opened once: the proxy, the route handler and the page each read the same cookie on
// one request, and a live tab sends it every second. Decrypting and validating it is the same
// work each time, so the verdict is kept per token for a short while in a bounded LRU.
//
// What is kept is only what the cookie itself says (who, role, expiry, CSRF token): a sealed
// token cannot change. Everything that can change is still checked on every use: expiry against
// the clock, and sign-outs through Revocations (memory, or the shared store at most a second old),
// so a sign-out anywhere holds exactly as soon as it did without the cache.
import 'server-only';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Session } from './session';

/** How many sessions a process keeps opened by default (one entry is well under 1 kB). */
export const DEFAULT_SESSION_CACHE_SIZE = 5_000;
/** How long an opened session is kept without being used. */
export const DEFAULT_SESSION_CACHE_TTL_MS = 60_000;

export interface SessionCacheOptions {
  maxEntries?: number;
  ttlMs?: number;
}

export class SessionCache {
  readonly #entries: LRUCache<string, Session>;

  constructor(options: SessionCacheOptions = {}) {
    this.#entries = new LRUCache<string, Session>({
      max: Math.max(1, Math.floor(options.maxEntries ?? DEFAULT_SESSION_CACHE_SIZE)),
      ttl: Math.max(1, options.ttlMs ?? DEFAULT_SESSION_CACHE_TTL_MS),
      // A hit keeps a session that is in use; an idle one goes after the TTL.
      updateAgeOnGet: true,
    });
  }

  /** The session this token was opened as under `secret`, if kept. */
  get(secret: string, token: string): Session | undefined {
    return this.#entries.get(keyOf(secret, token));
  }

  set(secret: string, token: string, session: Session): void {
    this.#entries.set(keyOf(secret, token), session);
  }

  /** Forgets a token (its session expired). */
  delete(secret: string, token: string): void {
    this.#entries.delete(keyOf(secret, token));
  }

  get size(): number {
    return this.#entries.size;
  }
}

// Hashed: a heap dump must not print the cookie, and a token opened under one secret must never
// answer for another (tests and a changed SESSION_SECRET).
function keyOf(secret: string, token: string): string {
  return createHash('sha256').update(secret).update('\0').update(token).digest('base64url');
}
