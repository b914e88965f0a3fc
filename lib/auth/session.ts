// The signed-in session: an encrypted, expiring cookie (JWE dir + A256GCM via jose).
// Expiry is fixed, not sliding: the live views poll and stream all day, so a sliding session
// would never end while a tab is open. Roles are read from UCP at sign-in and kept until expiry.
import 'server-only';
import { hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { EncryptJWT, errors, jwtDecrypt } from 'jose';
import { z } from 'zod';
import { newCsrfToken } from './csrf';

export interface Session {
  /** Random id, so one session can be revoked (sign-out) without touching the others. */
  id: string;
  username: string;
  isAdmin: boolean;
  /** Epoch milliseconds (whole seconds: JWT times are seconds). */
  issuedAt: number;
  expiresAt: number;
  /** Token the browser must echo in `x-csrf-token` on every mutating request. */
  csrf: string;
}

export interface SessionUser {
  username: string;
  isAdmin: boolean;
}

export const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1000;
export const MIN_SESSION_SECRET_LENGTH = 32;

const ALG = 'dir';
const ENC = 'A256GCM';
const ISSUER = 'dtr-ha-console';

/** Why a live-mode SESSION_SECRET is unusable, or null when it is fine. For lib/config/. */
export function sessionSecretProblem(secret: string | undefined): string | null {
  if (secret === undefined || secret === '') {
    return 'required in live mode: it signs the sign-in cookies (e.g. SESSION_SECRET=$(openssl rand -base64 48))';
  }
  if (secret.length < MIN_SESSION_SECRET_LENGTH) {
    return `must be at least ${MIN_SESSION_SECRET_LENGTH} characters, got ${secret.length} (e.g. SESSION_SECRET=$(openssl rand -base64 48))`;
  }
  return null;
}

/** A fresh secret for demo mode, where sessions need not survive a restart. */
export function generateSessionSecret(): string {
  return randomBytes(48).toString('base64url');
}

let cachedKey: { secret: string; key: Uint8Array } | null = null;

/** 256-bit content key derived from the secret, so any long passphrase works as SESSION_SECRET. */
function keyFor(secret: string): Uint8Array {
  if (cachedKey?.secret === secret) return cachedKey.key;
  if (secret.length < MIN_SESSION_SECRET_LENGTH) {
    throw new Error(`session secret must be at least ${MIN_SESSION_SECRET_LENGTH} characters`);
  }
  const key = new Uint8Array(
    hkdfSync('sha256', secret, 'dtr-ha-console/session', 'A256GCM session cookie v1', 32),
  );
  cachedKey = { secret, key };
  return key;
}

export interface SealOptions {
  secret: string;
  ttlMs: number;
  /** Epoch milliseconds; tests pass a fixed clock. */
  now?: number;
}

export async function sealSession(
  user: SessionUser,
  options: SealOptions,
): Promise<{ token: string; session: Session }> {
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  const expSeconds = nowSeconds + Math.max(1, Math.floor(options.ttlMs / 1000));
  const session: Session = {
    id: randomUUID(),
    username: user.username,
    isAdmin: user.isAdmin,
    issuedAt: nowSeconds * 1000,
    expiresAt: expSeconds * 1000,
    csrf: newCsrfToken(),
  };
  const token = await new EncryptJWT({ adm: session.isAdmin, csrf: session.csrf })
    .setProtectedHeader({ alg: ALG, enc: ENC })
    .setIssuer(ISSUER)
    .setSubject(session.username)
    .setJti(session.id)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(expSeconds)
    .encrypt(keyFor(options.secret));
  return { token, session };
}

export type UnsealResult =
  { ok: true; session: Session } | { ok: false; reason: 'missing' | 'expired' | 'invalid' };

const claimsSchema = z.object({
  sub: z.string().min(1).max(256),
  jti: z.string().min(1).max(64),
  iat: z.number().int(),
  exp: z.number().int(),
  adm: z.boolean(),
  csrf: z.string().min(16).max(128),
});

export interface UnsealOptions {
  secret: string;
  now?: number;
}

/** Never throws: a missing, tampered, foreign, revoked or expired cookie is just "not signed in". */
export async function unsealSession(
  token: string | undefined | null,
  options: UnsealOptions,
): Promise<UnsealResult> {
  if (!token) return { ok: false, reason: 'missing' };
  // A sealed session is a few hundred characters; anything far larger is not ours.
  if (token.length > 4096) return { ok: false, reason: 'invalid' };
  try {
    const { payload } = await jwtDecrypt(token, keyFor(options.secret), {
      issuer: ISSUER,
      keyManagementAlgorithms: [ALG],
      contentEncryptionAlgorithms: [ENC],
      currentDate: new Date(options.now ?? Date.now()),
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return { ok: false, reason: 'invalid' };
    const c = claims.data;
    if (await isRevoked(c.jti, c.exp * 1000, options.now ?? Date.now()))
      return { ok: false, reason: 'invalid' };
    return {
      ok: true,
      session: {
        id: c.jti,
        username: c.sub,
        isAdmin: c.adm,
        issuedAt: c.iat * 1000,
        expiresAt: c.exp * 1000,
        csrf: c.csrf,
      },
    };
  } catch (error) {
    // Expiry is checked after decryption, so an "expired" verdict comes from a genuine cookie.
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    return { ok: false, reason: 'invalid' };
  }
}

// ---------------------------------------------------------------------------
// Revocation: sign-out kills the cookie's session server-side too, in case it was copied.
// Each process remembers what it has seen revoked (bounded: an entry is only needed until its
// session would expire); with a store set (setRevocationStore), revocations are also written to
// the database and looked up there, so a sign-out holds on every console instance sharing it.

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

/** How many revocations this process keeps in memory by default (configureRevocationCache). */
export const DEFAULT_REVOCATION_CACHE_SIZE = 10_000;
const REVOKED = Symbol.for('dtr-ha-console.revoked-sessions');
const REVOCATION_STORE = Symbol.for('dtr-ha-console.revocation-store');
const REVOCATION_CACHE = Symbol.for('dtr-ha-console.revocation-cache');
interface RevocationCacheState {
  maxEntries: number;
  /**
   * True once an unexpired revocation was dropped from memory to respect `maxEntries`: from then
   * on memory is no longer the whole truth, and a session it does not know is checked in the store.
   */
  incomplete: boolean;
}
type RevokedGlobal = typeof globalThis & {
  [REVOKED]?: Map<string, number>;
  [REVOCATION_STORE]?: RevocationStore;
  [REVOCATION_CACHE]?: RevocationCacheState;
};

function revokedSessions(): Map<string, number> {
  const g = globalThis as RevokedGlobal;
  g[REVOKED] ??= new Map();
  return g[REVOKED];
}

function cacheState(): RevocationCacheState {
  const g = globalThis as RevokedGlobal;
  g[REVOCATION_CACHE] ??= { maxEntries: DEFAULT_REVOCATION_CACHE_SIZE, incomplete: false };
  return g[REVOCATION_CACHE];
}

/**
 * Sets how many revocations this process keeps in memory (default 10,000). Past it, expired ones
 * go first; an unexpired one is dropped only when a store holds it (and is then asked about any
 * session memory does not know). Without a store nothing unexpired is ever dropped: a sign-out
 * must hold until the session's own expiry, whatever the volume.
 */
export function configureRevocationCache(options: { maxEntries: number }): void {
  cacheState().maxEntries = Math.max(1, Math.floor(options.maxEntries));
}

function rememberRevoked(id: string, expiresAt: number, now: number): void {
  const revoked = revokedSessions();
  const cache = cacheState();
  revoked.delete(id);
  revoked.set(id, expiresAt);
  if (revoked.size <= cache.maxEntries) return;
  // Oldest first: sessions share one TTL, so insertion order is expiry order (near enough).
  for (const [known, until] of revoked) {
    if (until > now) break;
    revoked.delete(known);
  }
  if (!(globalThis as RevokedGlobal)[REVOCATION_STORE]) return;
  for (const known of revoked.keys()) {
    if (revoked.size <= cache.maxEntries) break;
    revoked.delete(known);
    cache.incomplete = true;
  }
}

/** Remembers revocations read back from the store (at start-up: sign-outs survive a restart). */
export function loadRevocations(
  revoked: readonly { id: string; expiresAt: number }[],
  now = Date.now(),
): void {
  for (const r of revoked) rememberRevoked(r.id, r.expiresAt, now);
}

/** Shares revocations through `store` from now on (null: this process only). */
export function setRevocationStore(store: RevocationStore | null): void {
  const g = globalThis as RevokedGlobal;
  if (store) g[REVOCATION_STORE] = store;
  else delete g[REVOCATION_STORE];
}

let lookupFailureLogged = false;
const NOT_REVOKED_FOR_MS = 1000;
/** Session id → until when its last "not revoked" answer stands (insertion order = age). */
const notRevoked = new Map<string, number>();

/** Revoked here or, with a store, by any instance. A store that cannot answer counts as revoked. */
async function isRevoked(id: string, expiresAt: number, now: number): Promise<boolean> {
  if (revokedSessions().has(id)) return true;
  const store = (globalThis as RevokedGlobal)[REVOCATION_STORE];
  if (!store) return false;
  const ttl = store.notRevokedForMs ?? NOT_REVOKED_FOR_MS;
  // One writer (SQLite): memory knows every sign-out, unless it had to drop some (see above).
  if (ttl === Infinity && !cacheState().incomplete) return false;
  if ((notRevoked.get(id) ?? 0) > now) return false;
  try {
    const revoked = await store.isRevoked(id);
    lookupFailureLogged = false;
    if (revoked) rememberRevoked(id, expiresAt, now);
    else {
      notRevoked.delete(id);
      notRevoked.set(id, now + ttl);
      while (notRevoked.size > cacheState().maxEntries) {
        const oldest = notRevoked.keys().next();
        if (oldest.done) break;
        notRevoked.delete(oldest.value);
      }
    }
    return revoked;
  } catch (error) {
    // Failing closed: a sign-out elsewhere must not be honoured only while the database is up.
    if (!lookupFailureLogged) {
      lookupFailureLogged = true;
      console.warn(
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
export async function sessionHasEnded(
  session: Pick<Session, 'id' | 'expiresAt'>,
  now = Date.now(),
): Promise<boolean> {
  if (now >= session.expiresAt) return true;
  return isRevoked(session.id, session.expiresAt, now);
}

/**
 * Revokes the session here and, with a store, everywhere. False when the store could not take it
 * (logged): the session is then dead on this instance only, and the cookie is still cleared.
 */
export async function revokeSession(
  session: Pick<Session, 'id' | 'expiresAt'>,
  now = Date.now(),
): Promise<boolean> {
  rememberRevoked(session.id, session.expiresAt, now);
  notRevoked.delete(session.id);
  try {
    await (globalThis as RevokedGlobal)[REVOCATION_STORE]?.revoke(session.id, session.expiresAt);
    return true;
  } catch (error) {
    console.warn(
      `session: could not share a sign-out with other instances: ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  }
}

/** Forgets this process's memory of revocations (tests: a second instance starts empty). */
export function forgetLocalRevocations(): void {
  revokedSessions().clear();
  notRevoked.clear();
  cacheState().incomplete = false;
}
