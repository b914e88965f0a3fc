import { describe, expect, it, vi } from 'vitest';
import {
  configureRevocationCache,
  DEFAULT_REVOCATION_CACHE_SIZE,
  forgetLocalRevocations,
  revokeSession,
  sealSession,
  sessionSecretProblem,
  setRevocationStore,
  unsealSession,
} from './session';

const SECRET = 'a-session-secret-that-is-long-enough-0123456789';
const OTHER_SECRET = 'another-session-secret-that-is-long-enough-9876';
const T0 = Date.parse('2030-01-01T08:00:00Z');
const HOUR = 3_600_000;

async function seal(now = T0, user = { username: 'alice', isAdmin: true }) {
  return sealSession(user, { secret: SECRET, ttlMs: 8 * HOUR, now });
}

describe('sealSession / unsealSession', () => {
  it('round-trips who the user is, when it expires and the CSRF token', async () => {
    const { token, session } = await seal();
    expect(session).toMatchObject({
      username: 'alice',
      isAdmin: true,
      issuedAt: T0,
      expiresAt: T0 + 8 * HOUR,
    });
    expect(session.csrf.length).toBeGreaterThanOrEqual(32);
    const opened = await unsealSession(token, { secret: SECRET, now: T0 + HOUR });
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
    expect((await unsealSession(token, { secret: SECRET, now: T0 + 8 * HOUR - 1000 })).ok).toBe(
      true,
    );
    expect(await unsealSession(token, { secret: SECRET, now: T0 + 8 * HOUR + 1000 })).toEqual({
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
    expect(await unsealSession(tampered, { secret: SECRET, now: T0 })).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await unsealSession(`${token}x`, { secret: SECRET, now: T0 })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses a cookie sealed with another secret (e.g. before a restart in demo mode)', async () => {
    const { token } = await seal();
    expect(await unsealSession(token, { secret: OTHER_SECRET, now: T0 })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses garbage, unsigned JWTs and oversize values; reports a missing cookie as missing', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"admin","adm":true}').toString('base64url')}.`;
    for (const token of ['nonsense', unsigned, 'a'.repeat(5000)]) {
      expect(await unsealSession(token, { secret: SECRET, now: T0 })).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
    expect(await unsealSession(undefined, { secret: SECRET })).toEqual({
      ok: false,
      reason: 'missing',
    });
    expect(await unsealSession('', { secret: SECRET })).toEqual({ ok: false, reason: 'missing' });
  });

  it('refuses a session after sign-out revoked it, and only that one', async () => {
    const first = await seal(Date.now());
    const second = await seal(Date.now());
    await revokeSession(first.session);
    expect(await unsealSession(first.token, { secret: SECRET })).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect((await unsealSession(second.token, { secret: SECRET })).ok).toBe(true);
  });

  it('asks the shared store about a live session at most once a second, and never after its own sign-out', async () => {
    const shared = new Map<string, number>();
    let lookups = 0;
    setRevocationStore({
      revoke: async (id, expiresAt) => void shared.set(id, expiresAt),
      isRevoked: async (id) => {
        lookups += 1;
        return shared.has(id);
      },
    });
    try {
      const t0 = Date.now();
      const live = await seal(t0);
      for (let i = 0; i < 5; i += 1)
        expect((await unsealSession(live.token, { secret: SECRET, now: t0 + i * 100 })).ok).toBe(
          true,
        );
      expect(lookups).toBe(1);
      shared.set(live.session.id, live.session.expiresAt); // signed out on another instance
      expect((await unsealSession(live.token, { secret: SECRET, now: t0 + 500 })).ok).toBe(true);
      expect((await unsealSession(live.token, { secret: SECRET, now: t0 + 1001 })).ok).toBe(false);
      expect(lookups).toBe(2);
    } finally {
      setRevocationStore(null);
      forgetLocalRevocations();
    }
  });

  it('honours a sign-out made on another instance through the shared store, failing closed', async () => {
    const shared = new Map<string, number>();
    let down = false;
    let lookups = 0;
    setRevocationStore({
      revoke: async (id, expiresAt) => void shared.set(id, expiresAt),
      isRevoked: async (id) => {
        lookups += 1;
        if (down) throw new Error('connection refused');
        return shared.has(id);
      },
      notRevokedForMs: 0, // ask every time: this test is about what the store says
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const mine = await seal(Date.now());
      const other = await seal(Date.now());
      expect(await revokeSession(mine.session)).toBe(true);
      forgetLocalRevocations(); // as seen from a second instance, which never saw the sign-out
      expect((await unsealSession(mine.token, { secret: SECRET })).ok).toBe(false);
      expect((await unsealSession(other.token, { secret: SECRET })).ok).toBe(true);
      down = true;
      expect((await unsealSession(other.token, { secret: SECRET })).ok).toBe(false);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/cannot check revoked sessions/));
      down = false;
      expect((await unsealSession(other.token, { secret: SECRET })).ok).toBe(true);
      expect(lookups).toBeGreaterThanOrEqual(4);
    } finally {
      setRevocationStore(null);
      warn.mockRestore();
    }
  });

  describe('a flood of sign-outs (cache scaled down to 10 by configuration)', () => {
    const flood = async (count: number) => {
      for (let i = 0; i < count; i += 1) await revokeSession((await seal(Date.now())).session);
    };

    it('keeps a revocation past the cache size with one SQLite writer: the store is asked', async () => {
      const shared = new Map<string, number>();
      configureRevocationCache({ maxEntries: 10 });
      setRevocationStore({
        revoke: async (id, expiresAt) => void shared.set(id, expiresAt),
        isRevoked: async (id) => shared.has(id),
        notRevokedForMs: Infinity, // as lib/server/runtime.ts sets it for SQLite
      });
      try {
        const victim = await seal(Date.now());
        const bystander = await seal(Date.now());
        await revokeSession(victim.session);
        await flood(25);
        expect(await unsealSession(victim.token, { secret: SECRET })).toEqual({
          ok: false,
          reason: 'invalid',
        });
        expect((await unsealSession(bystander.token, { secret: SECRET })).ok).toBe(true);
      } finally {
        setRevocationStore(null);
        forgetLocalRevocations();
        configureRevocationCache({ maxEntries: DEFAULT_REVOCATION_CACHE_SIZE });
      }
    });

    it('never drops an unexpired revocation when there is no store to ask', async () => {
      configureRevocationCache({ maxEntries: 10 });
      try {
        const victim = await seal(Date.now());
        await revokeSession(victim.session);
        await flood(25);
        expect((await unsealSession(victim.token, { secret: SECRET })).ok).toBe(false);
      } finally {
        forgetLocalRevocations();
        configureRevocationCache({ maxEntries: DEFAULT_REVOCATION_CACHE_SIZE });
      }
    });

    it('still forgets expired revocations first', async () => {
      configureRevocationCache({ maxEntries: 3 });
      try {
        const t0 = Date.now();
        for (let i = 0; i < 3; i += 1)
          await revokeSession({ id: `old-${i}`, expiresAt: t0 - 1000 }, t0);
        const victim = await seal(t0);
        await revokeSession(victim.session, t0);
        expect((await unsealSession(victim.token, { secret: SECRET })).ok).toBe(false);
      } finally {
        forgetLocalRevocations();
        configureRevocationCache({ maxEntries: DEFAULT_REVOCATION_CACHE_SIZE });
      }
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
      sealSession({ username: 'a', isAdmin: false }, { secret: 'short', ttlMs: HOUR }),
    ).rejects.toThrow(/32/);
  });
});

describe('sessionSecretProblem', () => {
  it('asks for a secret of at least 32 characters', () => {
    expect(sessionSecretProblem(undefined)).toMatch(/required/);
    expect(sessionSecretProblem('x'.repeat(31))).toMatch(/at least 32 characters, got 31/);
    expect(sessionSecretProblem('x'.repeat(32))).toBeNull();
  });
});
