// Revocation: sign-out kills the cookie's session server-side too, in case it was copied.
// The runtime owns one Revocations per process. It remembers what it has seen revoked (bounded:
// an entry is only needed until its session would expire); with a store, revocations are also
// written to the database and looked up there, so a sign-out holds on every console instance
// sharing it.
import 'server-only';
import type { Session } from './session';

/** Where revocations are shared (lib/store's revokedSessions). */
export interface RevocationStore {
  revoke(id: string, expiresAt: number): Promise<void>;
  isRevoked(id: string): Promise<boolean>;
  /**
   * How long a "not revoked" answer stands before the store is asked again (default 1 s: a
   * sign-out on another instance holds here within a second, without a query on every request).
   * Infinity when no other process writes the store (one console on SQLite).
   */
  notRevokedForMs?: number;
}

/** How many revocations a process keeps in memory by default. */
export const DEFAULT_REVOCATION_CACHE_SIZE = 10_000;
const NOT_REVOKED_FOR_MS = 1000;

export interface RevocationOptions {
  /** Shares revocations with other instances; none: this process only. */
  store?: RevocationStore | null;
  /**
   * How many revocations to keep in memory (default 10,000). Past it, expired ones go first; an
   * unexpired one is dropped only when a store holds it (and is then asked about any session
   * memory does not know). Without a store nothing unexpired is ever dropped: a sign-out must
   * hold until the session's own expiry, whatever the volume.
   */
  maxEntries?: number;
  log?: (line: string) => void;
}

export class Revocations {
  readonly #store: RevocationStore | null;
  readonly #maxEntries: number;
  readonly #log: (line: string) => void;
  /** Session id → its expiry, for sessions seen revoked. */
  readonly #revoked = new Map<string, number>();
  /** Session id → until when its last "not revoked" answer stands (insertion order = age). */
  readonly #notRevoked = new Map<string, number>();
  /**
   * True once an unexpired revocation was dropped from memory to respect `maxEntries`: from then
   * on memory is no longer the whole truth, and a session it does not know is checked in the store.
   */
  #incomplete = false;
  #lookupFailureLogged = false;

  constructor(options: RevocationOptions = {}) {
    this.#store = options.store ?? null;
    this.#maxEntries = Math.max(1, Math.floor(options.maxEntries ?? DEFAULT_REVOCATION_CACHE_SIZE));
    this.#log = options.log ?? ((line) => console.warn(line));
  }

  /** Remembers revocations read back from the store (at start-up: sign-outs survive a restart). */
  load(revoked: readonly { id: string; expiresAt: number }[], now = Date.now()): void {
    for (const r of revoked) this.#remember(r.id, r.expiresAt, now);
  }

  /** Revoked here or, with a store, by any instance. A store that cannot answer counts as revoked. */
  async isRevoked(id: string, expiresAt: number, now = Date.now()): Promise<boolean> {
    if (this.#revoked.has(id)) return true;
    const store = this.#store;
    if (!store) return false;
    const ttl = store.notRevokedForMs ?? NOT_REVOKED_FOR_MS;
    // One writer (SQLite): memory knows every sign-out, unless it had to drop some (see above).
    if (ttl === Infinity && !this.#incomplete) return false;
    if ((this.#notRevoked.get(id) ?? 0) > now) return false;
    try {
      const revoked = await store.isRevoked(id);
      this.#lookupFailureLogged = false;
      if (revoked) this.#remember(id, expiresAt, now);
      else {
        this.#notRevoked.delete(id);
        this.#notRevoked.set(id, now + ttl);
        while (this.#notRevoked.size > this.#maxEntries) {
          const oldest = this.#notRevoked.keys().next();
          if (oldest.done) break;
          this.#notRevoked.delete(oldest.value);
        }
      }
      return revoked;
    } catch (error) {
      // Failing closed: a sign-out elsewhere must not be honoured only while the database is up.
      if (!this.#lookupFailureLogged) {
        this.#lookupFailureLogged = true;
        this.#log(
          `session: cannot check revoked sessions (${error instanceof Error ? error.message : String(error)}); treating sessions as signed out until it answers`,
        );
      }
      return true;
    }
  }

  /**
   * Whether a session that was valid when a long request began (an event stream) has since been
   * signed out or run out. Same rules as unsealSession: a store that cannot answer counts as revoked.
   */
  async hasEnded(session: Pick<Session, 'id' | 'expiresAt'>, now = Date.now()): Promise<boolean> {
    if (now >= session.expiresAt) return true;
    return this.isRevoked(session.id, session.expiresAt, now);
  }

  /**
   * Revokes the session here and, with a store, everywhere. False when the store could not take
   * it (logged): the session is then dead on this instance only, and the cookie is still cleared.
   */
  async revoke(session: Pick<Session, 'id' | 'expiresAt'>, now = Date.now()): Promise<boolean> {
    this.#remember(session.id, session.expiresAt, now);
    this.#notRevoked.delete(session.id);
    try {
      await this.#store?.revoke(session.id, session.expiresAt);
      return true;
    } catch (error) {
      this.#log(
        `session: could not share a sign-out with other instances: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
  }

  #remember(id: string, expiresAt: number, now: number): void {
    const revoked = this.#revoked;
    revoked.delete(id);
    revoked.set(id, expiresAt);
    if (revoked.size <= this.#maxEntries) return;
    // Oldest first: sessions share one TTL, so insertion order is expiry order (near enough).
    for (const [known, until] of revoked) {
      if (until > now) break;
      revoked.delete(known);
    }
    if (!this.#store) return;
    for (const known of revoked.keys()) {
      if (revoked.size <= this.#maxEntries) break;
      revoked.delete(known);
      this.#incomplete = true;
    }
  }
}
