import { describe, expect, it } from 'vitest';
import { Revocations } from './revocations';
import { sealSession, unsealSession } from './session';
import { SessionCache } from './session-cache';

const SECRET = 'a-session-secret-that-is-long-enough-0123456789';
const OTHER_SECRET = 'another-session-secret-that-is-long-enough-9876';
const HOUR = 3_600_000;

async function seal(now: number, username = 'alice') {
  return sealSession(
    { username, roles: { default: 'viewer' } },
    { secret: SECRET, ttlMs: 8 * HOUR, now },
  );
}

describe('SessionCache with unsealSession', () => {
  it('opens a cookie once: later requests get the same session without decrypting again', async () => {
    const cache = new SessionCache();
    const revocations = new Revocations();
    const t0 = Date.now();
    const { token, session } = await seal(t0);
    const first = await unsealSession(token, { secret: SECRET, revocations, cache, now: t0 });
    const second = await unsealSession(token, { secret: SECRET, revocations, cache, now: t0 + 1 });
    expect(first).toEqual({ ok: true, session });
    // The very object kept by the first call: the second did not decrypt.
    expect(second.ok && first.ok && second.session === first.session).toBe(true);
    expect(cache.size).toBe(1);
  });

  it('honours a sign-out on this instance at once, though the cookie was opened before', async () => {
    const cache = new SessionCache();
    const revocations = new Revocations();
    const live = await seal(Date.now());
    const open = () => unsealSession(live.token, { secret: SECRET, revocations, cache });
    expect((await open()).ok).toBe(true);
    await revocations.revoke(live.session);
    expect(await open()).toEqual({ ok: false, reason: 'invalid' });
  });

  it('honours a sign-out on another instance within the shared store’s second', async () => {
    const shared = new Set<string>();
    const store = {
      revoke: async (id: string) => void shared.add(id),
      isRevoked: async (id: string) => shared.has(id),
    };
    const here = new Revocations({ store });
    const there = new Revocations({ store });
    const cache = new SessionCache();
    const t0 = Date.now();
    const live = await seal(t0);
    const open = (now: number) =>
      unsealSession(live.token, { secret: SECRET, revocations: there, cache, now });
    expect((await open(t0)).ok).toBe(true);
    await here.revoke(live.session, t0 + 10);
    expect((await open(t0 + 500)).ok).toBe(true); // "not revoked" stands for up to 1 s, as before
    expect(await open(t0 + 1001)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('says "expired" once the session runs out, even when it was opened while valid', async () => {
    const cache = new SessionCache();
    const revocations = new Revocations();
    const t0 = Date.now();
    const live = await seal(t0);
    const open = (now: number) =>
      unsealSession(live.token, { secret: SECRET, revocations, cache, now });
    expect((await open(t0)).ok).toBe(true);
    expect(await open(t0 + 8 * HOUR)).toEqual({ ok: false, reason: 'expired' });
    expect(cache.size).toBe(0);
  });

  it('never answers for a token under another secret, nor for a token it has not opened', async () => {
    const cache = new SessionCache();
    const revocations = new Revocations();
    const live = await seal(Date.now());
    expect((await unsealSession(live.token, { secret: SECRET, revocations, cache })).ok).toBe(true);
    expect(await unsealSession(live.token, { secret: OTHER_SECRET, revocations, cache })).toEqual({
      ok: false,
      reason: 'invalid',
    });
    const tampered = `${live.token.slice(0, -2)}AA`;
    expect(await unsealSession(tampered, { secret: SECRET, revocations, cache })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('stays bounded: past its size the least recently used sessions go, and still open again', async () => {
    const cache = new SessionCache({ maxEntries: 3 });
    const revocations = new Revocations();
    const now = Date.now();
    const sealed = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((name) => seal(now, name)));
    for (const { token } of sealed)
      expect((await unsealSession(token, { secret: SECRET, revocations, cache })).ok).toBe(true);
    expect(cache.size).toBe(3);
    const again = await unsealSession(sealed[0]!.token, { secret: SECRET, revocations, cache });
    expect(again.ok && again.session.username).toBe('a');
  });
});
