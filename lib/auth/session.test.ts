import { describe, expect, it } from 'vitest';
import { Revocations } from './revocations';
import { EncryptJWT } from 'jose';
import { hkdfSync } from 'node:crypto';
import {
  sealSession,
  sessionSecretProblem,
  unsealSession,
  userIn,
  type SessionGrant,
} from './session';

const SECRET = 'a-session-secret-that-is-long-enough-0123456789';
const OTHER_SECRET = 'another-session-secret-that-is-long-enough-9876';
const T0 = Date.parse('2030-01-01T08:00:00Z');
const HOUR = 3_600_000;
/** No sign-outs: these tests are about the cookie itself. */
const NONE = new Revocations();

async function seal(
  now = T0,
  user: SessionGrant = { username: 'alice', roles: { default: 'admin' } },
) {
  return sealSession(user, { secret: SECRET, ttlMs: 8 * HOUR, now });
}

describe('sealSession / unsealSession', () => {
  it('round-trips who the user is, when it expires and the CSRF token', async () => {
    const { token, session } = await seal();
    expect(session).toMatchObject({
      username: 'alice',
      roles: { default: 'admin' },
      issuedAt: T0,
      expiresAt: T0 + 8 * HOUR,
    });
    expect(session.csrf.length).toBeGreaterThanOrEqual(32);
    const opened = await unsealSession(token, {
      secret: SECRET,
      revocations: NONE,
      now: T0 + HOUR,
    });
    expect(opened).toEqual({ ok: true, session });
  });

  it('keeps the contents unreadable in the cookie (encrypted, not just signed)', async () => {
    const { token, session } = await seal();
    const decoded = token
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
      .join(' ');
    expect(decoded).not.toContain('alice');
    expect(decoded).not.toContain(session.csrf);
  });

  it('says "expired" once the fixed lifetime is over, even if the user was active', async () => {
    const { token } = await seal();
    expect(
      (await unsealSession(token, { secret: SECRET, revocations: NONE, now: T0 + 8 * HOUR - 1000 }))
        .ok,
    ).toBe(true);
    expect(
      await unsealSession(token, { secret: SECRET, revocations: NONE, now: T0 + 8 * HOUR + 1000 }),
    ).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses a tampered cookie', async () => {
    const { token } = await seal();
    const parts = token.split('.');
    const ciphertext = parts[3] ?? '';
    const flipped = `${ciphertext[0] === 'A' ? 'B' : 'A'}${ciphertext.slice(1)}`;
    const tampered = [...parts.slice(0, 3), flipped, ...parts.slice(4)].join('.');
    expect(await unsealSession(tampered, { secret: SECRET, revocations: NONE, now: T0 })).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(
      await unsealSession(`${token}x`, { secret: SECRET, revocations: NONE, now: T0 }),
    ).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses a cookie sealed with another secret (e.g. before a restart in demo mode)', async () => {
    const { token } = await seal();
    expect(
      await unsealSession(token, { secret: OTHER_SECRET, revocations: NONE, now: T0 }),
    ).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses garbage, unsigned JWTs and oversize values; reports a missing cookie as missing', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"admin","adm":true}').toString('base64url')}.`;
    for (const token of ['nonsense', unsigned, 'a'.repeat(5000)]) {
      expect(await unsealSession(token, { secret: SECRET, revocations: NONE, now: T0 })).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
    expect(await unsealSession(undefined, { secret: SECRET, revocations: NONE })).toEqual({
      ok: false,
      reason: 'missing',
    });
    expect(await unsealSession('', { secret: SECRET, revocations: NONE })).toEqual({
      ok: false,
      reason: 'missing',
    });
  });

  it('refuses a session after sign-out revoked it, and only that one', async () => {
    const revocations = new Revocations();
    const first = await seal(Date.now());
    const second = await seal(Date.now());
    await revocations.revoke(first.session);
    expect(await unsealSession(first.token, { secret: SECRET, revocations })).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect((await unsealSession(second.token, { secret: SECRET, revocations })).ok).toBe(true);
  });

  it('asks the shared store about a live session at most once a second, and never after its own sign-out', async () => {
    const shared = new Map<string, number>();
    let lookups = 0;
    const revocations = new Revocations({
      store: {
        revoke: async (id, expiresAt) => void shared.set(id, expiresAt),
        isRevoked: async (id) => {
          lookups += 1;
          return shared.has(id);
        },
      },
    });
    const open = (token: string, now: number) =>
      unsealSession(token, { secret: SECRET, revocations, now });
    const t0 = Date.now();
    const live = await seal(t0);
    for (let i = 0; i < 5; i += 1) expect((await open(live.token, t0 + i * 100)).ok).toBe(true);
    expect(lookups).toBe(1);
    shared.set(live.session.id, live.session.expiresAt); // signed out on another instance
    expect((await open(live.token, t0 + 500)).ok).toBe(true);
    expect((await open(live.token, t0 + 1001)).ok).toBe(false);
    expect(lookups).toBe(2);
  });

  it('honours a sign-out made on another instance through the shared store, failing closed', async () => {
    const shared = new Map<string, number>();
    let down = false;
    let lookups = 0;
    const store = {
      revoke: async (id: string, expiresAt: number) => void shared.set(id, expiresAt),
      isRevoked: async (id: string) => {
        lookups += 1;
        if (down) throw new Error('connection refused');
        return shared.has(id);
      },
      notRevokedForMs: 0, // ask every time: this test is about what the store says
    };
    const logged: string[] = [];
    const here = new Revocations({ store });
    // A second instance, which never saw the sign-out.
    const there = new Revocations({ store, log: (line) => logged.push(line) });
    const open = (token: string) => unsealSession(token, { secret: SECRET, revocations: there });
    const mine = await seal(Date.now());
    const other = await seal(Date.now());
    expect(await here.revoke(mine.session)).toBe(true);
    expect((await open(mine.token)).ok).toBe(false);
    expect((await open(other.token)).ok).toBe(true);
    down = true;
    expect((await open(other.token)).ok).toBe(false);
    expect(logged).toEqual([expect.stringMatching(/cannot check revoked sessions/)]);
    down = false;
    expect((await open(other.token)).ok).toBe(true);
    expect(lookups).toBeGreaterThanOrEqual(4);
  });

  describe('a flood of sign-outs (cache scaled down to 10 by configuration)', () => {
    const flood = async (revocations: Revocations, count: number) => {
      for (let i = 0; i < count; i += 1) await revocations.revoke((await seal(Date.now())).session);
    };

    it('keeps a revocation past the cache size with one SQLite writer: the store is asked', async () => {
      const shared = new Map<string, number>();
      const revocations = new Revocations({
        maxEntries: 10,
        store: {
          revoke: async (id, expiresAt) => void shared.set(id, expiresAt),
          isRevoked: async (id) => shared.has(id),
          notRevokedForMs: Infinity, // as lib/server/runtime.ts sets it for SQLite
        },
      });
      const victim = await seal(Date.now());
      const bystander = await seal(Date.now());
      await revocations.revoke(victim.session);
      await flood(revocations, 25);
      expect(await unsealSession(victim.token, { secret: SECRET, revocations })).toEqual({
        ok: false,
        reason: 'invalid',
      });
      expect((await unsealSession(bystander.token, { secret: SECRET, revocations })).ok).toBe(true);
    });

    it('never drops an unexpired revocation when there is no store to ask', async () => {
      const revocations = new Revocations({ maxEntries: 10 });
      const victim = await seal(Date.now());
      await revocations.revoke(victim.session);
      await flood(revocations, 25);
      expect((await unsealSession(victim.token, { secret: SECRET, revocations })).ok).toBe(false);
    });

    it('still forgets expired revocations first', async () => {
      const revocations = new Revocations({ maxEntries: 3 });
      const t0 = Date.now();
      for (let i = 0; i < 3; i += 1)
        await revocations.revoke({ id: `old-${i}`, expiresAt: t0 - 1000 }, t0);
      const victim = await seal(t0);
      await revocations.revoke(victim.session, t0);
      expect((await unsealSession(victim.token, { secret: SECRET, revocations })).ok).toBe(false);
    });
  });

  it('gives every sign-in its own id and CSRF token', async () => {
    const a = await seal();
    const b = await seal();
    expect(a.session.id).not.toBe(b.session.id);
    expect(a.session.csrf).not.toBe(b.session.csrf);
  });

  it('will not seal with a short secret', async () => {
    await expect(
      sealSession({ username: 'a', roles: {} }, { secret: 'short', ttlMs: HOUR }),
    ).rejects.toThrow(/32/);
  });
});

describe('roles per cluster', () => {
  it('round-trips a different role on each cluster, and none on the clusters not listed', async () => {
    const { token } = await seal(T0, {
      username: 'olga',
      roles: { staging: 'admin', prod: 'viewer' },
    });
    const opened = await unsealSession(token, { secret: SECRET, revocations: NONE, now: T0 });
    if (!opened.ok) throw new Error(`expected a session, got ${opened.reason}`);
    expect(opened.session.roles).toEqual({ staging: 'admin', prod: 'viewer' });
    expect(userIn(opened.session, 'staging')).toEqual({ username: 'olga', isAdmin: true });
    expect(userIn(opened.session, 'prod')).toEqual({ username: 'olga', isAdmin: false });
    expect(userIn(opened.session, 'dr')).toBeNull();
    // A fleet's console-wide pages: a role anywhere lets one in, never as an administrator.
    expect(userIn(opened.session, null)).toEqual({ username: 'olga', isAdmin: false });
    expect(userIn({ username: 'nobody', roles: {} }, null)).toBeNull();
  });

  it('keeps the cookie small in a fleet of 30 clusters', async () => {
    const roles = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`cluster-number-${i}`, i % 2 ? 'admin' : 'viewer']),
    ) as SessionGrant['roles'];
    const { token } = await seal(T0, { username: 'olga', roles });
    expect(token.length).toBeLessThan(2048);
    const opened = await unsealSession(token, { secret: SECRET, revocations: NONE, now: T0 });
    expect(opened.ok && opened.session.roles).toEqual(roles);
  });

  it('reads a cookie from before roles per cluster (one "adm" flag) as invalid: sign in again', async () => {
    const key = new Uint8Array(
      hkdfSync('sha256', SECRET, 'dtr-ha-console/session', 'A256GCM session cookie v1', 32),
    );
    const now = Math.floor(T0 / 1000);
    const craft = (claims: Record<string, unknown>) =>
      new EncryptJWT({ csrf: 'c'.repeat(43), ...claims })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuer('dtr-ha-console')
        .setSubject('alice')
        .setJti('0f7c1d52-5a1e-4c59-9a53-5d2b9b0d6a11')
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .encrypt(key);
    const open = async (token: string) =>
      unsealSession(token, { secret: SECRET, revocations: NONE, now: T0 });
    // Crafted like the console seals: with a roles claim it opens, so the refusal is the claim's.
    expect(await open(await craft({ rol: { default: 'a' } }))).toMatchObject({
      ok: true,
      session: { username: 'alice', roles: { default: 'admin' } },
    });
    expect(await open(await craft({ adm: true }))).toEqual({ ok: false, reason: 'invalid' });
    // A cluster name that could not be one, or a role that is not one, is not ours either.
    expect(await open(await craft({ rol: { 'Prod/x': 'a' } }))).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await open(await craft({ rol: { prod: 'root' } }))).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });
});

describe('sessionSecretProblem', () => {
  it('asks for a secret of at least 32 characters', () => {
    expect(sessionSecretProblem(undefined)).toMatch(/required/);
    expect(sessionSecretProblem('x'.repeat(31))).toMatch(/at least 32 characters, got 31/);
    expect(sessionSecretProblem('x'.repeat(32))).toBeNull();
  });
});
