import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF_RULE, describeWait, LoginRateLimiter } from './rate-limit';

const MIN = 60_000;

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Fails `attempt` as soon as the limiter lets it try, `count` times; returns the waits seen. */
function failRepeatedly(
  limiter: LoginRateLimiter,
  clock: ReturnType<typeof fakeClock>,
  attempt: { ip: string; username: string },
  count: number,
): number[] {
  const waits: number[] = [];
  for (let i = 0; i < count; i++) {
    const before = limiter.check(attempt);
    if (!before.allowed) {
      waits.push(before.retryAfterMs);
      clock.advance(before.retryAfterMs);
    } else waits.push(0);
    limiter.recordFailure(attempt);
  }
  return waits;
}

describe('LoginRateLimiter', () => {
  it('backs off exponentially per (user, address): 3 free tries, then 1 s, 2 s, 4 s, 8 s …', () => {
    const clock = fakeClock();
    const limiter = new LoginRateLimiter({ now: clock.now });
    const attempt = { ip: '10.0.0.1', username: 'alice' };
    const waits = failRepeatedly(limiter, clock, attempt, 9);
    expect(waits).toEqual([0, 0, 0, 0, 1000, 2000, 4000, 8000, 16_000]);
    const refused = limiter.check(attempt);
    expect(refused).toMatchObject({ allowed: false, scope: 'user', retryAfterMs: 32_000 });
    expect(!refused.allowed && refused.message).toBe(
      'Too many failed sign-ins for this user from your address. Try again in 32 s.',
    );
  });

  it('caps the back-off and forgets a pair after a quiet window', () => {
    expect(backoffDelay(DEFAULT_BACKOFF_RULE, 100)).toBe(15 * MIN);
    expect(backoffDelay(DEFAULT_BACKOFF_RULE, 3)).toBe(0);
    expect(backoffDelay(DEFAULT_BACKOFF_RULE, 4)).toBe(1000);
    const clock = fakeClock();
    const limiter = new LoginRateLimiter({ now: clock.now });
    const attempt = { ip: '10.0.0.1', username: 'alice' };
    failRepeatedly(limiter, clock, attempt, 6); // the last wait is 4 s
    clock.advance(4000 + 15 * MIN);
    expect(limiter.check(attempt)).toEqual({ allowed: true, remaining: 3 });
  });

  it('never holds a stranger’s failures against the user at another address', () => {
    const clock = fakeClock();
    const limiter = new LoginRateLimiter({ now: clock.now });
    const stranger = { ip: '203.0.113.9', username: 'admin' };
    failRepeatedly(limiter, clock, stranger, 15);
    expect(limiter.check(stranger).allowed).toBe(false);
    expect(limiter.check({ ip: '10.0.0.2', username: 'admin' }).allowed).toBe(true);
  });

  it('past the global per-user rate, refuses addresses with failures but hears clean ones', () => {
    const clock = fakeClock();
    const limiter = new LoginRateLimiter({
      now: clock.now,
      perUser: { maxFailures: 10, windowMs: 15 * MIN },
    });
    // A spray from many addresses, two guesses each, stays under every per-address rule.
    for (let i = 0; i < 10; i++) {
      limiter.recordFailure({ ip: `198.51.100.${i}`, username: 'admin' });
      limiter.recordFailure({ ip: `198.51.100.${i}`, username: 'admin' });
    }
    expect(limiter.check({ ip: '198.51.100.3', username: 'Admin' })).toMatchObject({
      allowed: false,
      scope: 'user',
    });
    expect(limiter.check({ ip: '10.0.0.2', username: 'admin' }).allowed).toBe(true);
    clock.advance(15 * MIN + 1);
    expect(limiter.check({ ip: '198.51.100.3', username: 'admin' }).allowed).toBe(true);
  });

  it('counts the same user however the name is capitalised or padded', () => {
    const clock = fakeClock();
    const limiter = new LoginRateLimiter({ now: clock.now });
    for (const name of ['Alice', 'alice', ' ALICE', 'alicE'])
      limiter.recordFailure({ ip: '10.0.0.1', username: name });
    expect(limiter.check({ ip: '10.0.0.1', username: 'alice' })).toMatchObject({
      allowed: false,
      scope: 'user',
    });
  });

  it('locks an address after 20 failures across many usernames, other addresses unaffected', () => {
    const limiter = new LoginRateLimiter({ now: fakeClock().now });
    for (let i = 0; i < 20; i++) limiter.recordFailure({ ip: '10.0.0.66', username: `user${i}` });
    expect(limiter.check({ ip: '10.0.0.66', username: 'fresh' })).toMatchObject({
      allowed: false,
      scope: 'ip',
    });
    expect(limiter.check({ ip: '10.0.0.7', username: 'fresh' }).allowed).toBe(true);
  });

  it('a successful sign-in clears that pair’s back-off but not the address’s count', () => {
    const clock = fakeClock();
    const limiter = new LoginRateLimiter({
      now: clock.now,
      perIp: { maxFailures: 6, windowMs: 15 * MIN, lockMs: 15 * MIN },
    });
    const attempt = { ip: '10.0.0.1', username: 'alice' };
    failRepeatedly(limiter, clock, attempt, 4);
    limiter.recordSuccess(attempt);
    expect(limiter.check(attempt)).toEqual({ allowed: true, remaining: 2 });
    expect(limiter.recordFailure(attempt).allowed).toBe(true);
    expect(limiter.recordFailure(attempt)).toMatchObject({ allowed: false, scope: 'ip' });
  });

  it('keeps memory bounded, forgetting idle keys first', () => {
    const clock = fakeClock();
    const limiter = new LoginRateLimiter({ now: clock.now, maxKeys: 100 });
    for (let i = 0; i < 5; i++) limiter.recordFailure({ ip: '10.0.0.1', username: 'victim' });
    clock.advance(16 * MIN);
    for (let i = 0; i < 1000; i++)
      limiter.recordFailure({ ip: `10.1.${i >> 8}.${i & 255}`, username: `spray${i}` });
    expect(limiter.size.user).toBeLessThanOrEqual(100);
    expect(limiter.size.ip).toBeLessThanOrEqual(100);
    expect(limiter.size.pair).toBeLessThanOrEqual(100);
  });
});

describe('describeWait', () => {
  it('rounds up to whole minutes, seconds under a minute', () => {
    expect(describeWait(7 * MIN)).toBe('7 min');
    expect(describeWait(6 * MIN + 1)).toBe('7 min');
    expect(describeWait(45_000)).toBe('45 s');
    expect(describeWait(1)).toBe('1 s');
  });
});
