// The signed-in session: an encrypted, expiring cookie (JWE dir + A256GCM via jose).
// Expiry is fixed, not sliding: the live views poll and stream all day, so a sliding session
// would never end while a tab is open. Roles are read from each cluster's UCP at sign-in and kept
// until expiry: one role per cluster (lib/domain/access.ts), so admin on staging can be a viewer on
// production. A cookie from before roles per cluster (an "adm" claim, no "rol") opens as invalid:
// it was checked against one UCP only, and which cluster that was is not in it. Its owner signs
// in again, once.
import 'server-only';
import { hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { EncryptJWT, errors, jwtDecrypt } from 'jose';
import { z } from 'zod';
import { CLUSTER_NAME } from '@/lib/domain/cluster-path';
import { newCsrfToken } from './csrf';
import { roleIn, type AccessScope, type ClusterRole, type ClusterRoles } from '@/lib/domain/access';
import type { Revocations } from './revocations';
import type { SessionCache } from './session-cache';

export interface Session {
  /** Random id, so one session can be revoked (sign-out) without touching the others. */
  id: string;
  username: string;
  /** The role on each cluster whose UCP accepted the sign-in; other clusters: no access. */
  roles: ClusterRoles;
  /** Epoch milliseconds (whole seconds: JWT times are seconds). */
  issuedAt: number;
  expiresAt: number;
  /** Token the browser must echo in `x-csrf-token` on every mutating request. */
  csrf: string;
}

/** Who is asking, as one request sees them: `isAdmin` is about the request's cluster. */
export interface SessionUser {
  username: string;
  isAdmin: boolean;
}

/** What a sign-in grants: the name UCP knows, and the role per cluster. */
export interface SessionGrant {
  username: string;
  roles: ClusterRoles;
}

/** The session's user as a request for `scope` sees them, or null: no role there. */
export function userIn(session: SessionGrant, scope: AccessScope): SessionUser | null {
  const role = roleIn(session.roles, scope);
  return role === null ? null : { username: session.username, isAdmin: role === 'admin' };
}

export const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1000;
export const MIN_SESSION_SECRET_LENGTH = 32;

/** One letter per cluster keeps the cookie small in a large fleet. */
const ROLE_CODE: Record<ClusterRole, 'a' | 'v'> = { admin: 'a', viewer: 'v' };
const ROLE_OF_CODE: Record<'a' | 'v', ClusterRole> = { a: 'admin', v: 'viewer' };

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
  user: SessionGrant,
  options: SealOptions,
): Promise<{ token: string; session: Session }> {
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  const expSeconds = nowSeconds + Math.max(1, Math.floor(options.ttlMs / 1000));
  const session: Session = {
    id: randomUUID(),
    username: user.username,
    roles: { ...user.roles },
    issuedAt: nowSeconds * 1000,
    expiresAt: expSeconds * 1000,
    csrf: newCsrfToken(),
  };
  const rol = Object.fromEntries(
    Object.entries(session.roles).map(([cluster, role]) => [cluster, ROLE_CODE[role]]),
  );
  const token = await new EncryptJWT({ rol, csrf: session.csrf })
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
  rol: z.record(z.string().regex(CLUSTER_NAME), z.enum(['a', 'v'])),
  csrf: z.string().min(16).max(128),
});

export interface UnsealOptions {
  secret: string;
  /** Sign-outs: a revoked session unseals as "invalid" (lib/auth/revocations.ts). */
  revocations: Pick<Revocations, 'isRevoked'>;
  /** Tokens already opened (lib/auth/session-cache.ts); none: every call decrypts. */
  cache?: SessionCache;
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
  const now = options.now ?? Date.now();
  const cached = options.cache?.get(options.secret, token);
  if (cached) {
    if (now >= cached.expiresAt) {
      options.cache?.delete(options.secret, token);
      return { ok: false, reason: 'expired' };
    }
    return (await options.revocations.isRevoked(cached.id, cached.expiresAt, now))
      ? { ok: false, reason: 'invalid' }
      : { ok: true, session: cached };
  }
  try {
    const { payload } = await jwtDecrypt(token, keyFor(options.secret), {
      issuer: ISSUER,
      keyManagementAlgorithms: [ALG],
      contentEncryptionAlgorithms: [ENC],
      currentDate: new Date(now),
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return { ok: false, reason: 'invalid' };
    const c = claims.data;
    const session: Session = {
      id: c.jti,
      username: c.sub,
      roles: Object.fromEntries(
        Object.entries(c.rol).map(([cluster, code]) => [cluster, ROLE_OF_CODE[code]]),
      ),
      issuedAt: c.iat * 1000,
      expiresAt: c.exp * 1000,
      csrf: c.csrf,
    };
    // What the cookie says is kept; sign-outs are checked on every use (above and below).
    options.cache?.set(options.secret, token, Object.freeze(session));
    if (await options.revocations.isRevoked(session.id, session.expiresAt, now))
      return { ok: false, reason: 'invalid' };
    return { ok: true, session };
  } catch (error) {
    // Expiry is checked after decryption, so an "expired" verdict comes from a genuine cookie.
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    return { ok: false, reason: 'invalid' };
  }
}
