import { describe, expect, it } from 'vitest';
import { describeWait, LoginRateLimiter } from './rate-limit';

const MIN = 60_000;

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('LoginRateLimiter', () => {
  it('locks a user after 5 failures in 15 min and says how long to wait', () => {
    const clock = fakeClock();
    const limiter = new LoginRateLimiter({ now: clock.now });
    const attempt = { ip: '10.0.0.1', username: 'alice' };
    for (let i = 0; i < 4; i++) expect(limiter.recordFailure(attempt).allowed).toBe(true);
    const fifth = limiter.recordFailure(attempt);
    expect(fifth).toMatchObject({ allowed: false, scope: 'user', retryAfterMs: 15 * MIN });
    clock.advance(8 * MIN);
    const later = limiter.check(attempt);
    expect(later).toMatchObject({ allowed: false, scope: 'user' });
    expect(!later.allowed && later.message).toBe(
      'Too many failed sign-ins for this user: locked out. Try again in 7 min.',
    );
  });

  it('lets the user in again once the lock lifts', () => {
    const clock = fakeClock();
    const limiter = new LoginRateLimiter({ now: clock.now });
    const attempt = { ip: '10.0.0.1', username: 'alice' };
    for (let i = 0; i < 5; i++) limiter.recordFailure(attempt);
    clock.advance(15 * MIN + 1);
    expect(limiter.check(attempt)).toEqual({ allowed: true, remaining: 5 });
  });

  it('forgets failures older than the window (sliding, not fixed)', () => {
    const clock = fakeClock();
    const limiter = new LoginRateLimiter({ now: clock.now });
    const attempt = { ip: '10.0.0.1', username: 'alice' };
    for (let i = 0; i < 4; i++) {
      limiter.recordFailure(attempt);
      clock.advance(5 * MIN);
    }
    // Failures at 0, 5, 10 and 15 min: at 20 min only those at 10 and 15 are still in the window.
    expect(limiter.check(attempt)).toEqual({ allowed: true, remaining: 3 });
    expect(limiter.recordFailure(attempt)).toEqual({ allowed: true, remaining: 2 });
  });

  it('locks the same user however the name is capitalised or padded', () => {
    const limiter = new LoginRateLimiter({ now: fakeClock().now });
    for (const name of ['Alice', 'alice', ' ALICE', 'alicE', 'alice '])
      limiter.recordFailure({ ip: '10.0.0.1', username: name });
    expect(limiter.check({ ip: '10.9.9.9', username: 'alice' })).toMatchObject({
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

  it('a successful sign-in clears the user’s count but not the address’s', () => {
    const limiter = new LoginRateLimiter({
      now: fakeClock().now,
      perIp: { maxFailures: 6, windowMs: 15 * MIN, lockMs: 15 * MIN },
    });
    const attempt = { ip: '10.0.0.1', username: 'alice' };
    for (let i = 0; i < 4; i++) limiter.recordFailure(attempt);
    limiter.recordSuccess(attempt);
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
