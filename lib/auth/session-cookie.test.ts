import { describe, expect, it } from 'vitest';
import { sealSession } from './session';
import {
  clearSessionSetCookies,
  readSessionToken,
  requestIsHttps,
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  sessionSetCookie,
} from './session-cookie';

const SECRET = 'a-session-secret-that-is-long-enough-0123456789';
const T0 = Date.parse('2030-01-01T08:00:00Z');
const HOUR = 3_600_000;

function seal() {
  return sealSession(
    { username: 'alice', roles: { default: 'admin' } },
    { secret: SECRET, ttlMs: 8 * HOUR, now: T0 },
  );
}

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/ with a Max-Age, not Secure over plain HTTP', async () => {
    const { token, session } = await seal();
    const cookie = sessionSetCookie(token, session, false, T0);
    expect(cookie.startsWith(`${SESSION_COOKIE}=${token};`)).toBe(true);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toMatch(/Max-Age=\d+/);
    expect(cookie).not.toContain('Secure');
  });

  it('over HTTPS is Secure and __Host- prefixed', async () => {
    const { token, session } = await seal();
    const cookie = sessionSetCookie(token, session, true, T0);
    expect(cookie.startsWith(`${SECURE_SESSION_COOKIE}=`)).toBe(true);
    expect(cookie).toContain('; Secure');
    expect(cookie).not.toContain('Domain');
  });

  it('outlives the session a little, so an expired visit can be told apart from a first one', async () => {
    const { token, session } = await seal();
    const maxAge = Number(/Max-Age=(\d+)/.exec(sessionSetCookie(token, session, false, T0))?.[1]);
    expect(maxAge).toBeGreaterThan(8 * 3600);
    expect(maxAge).toBeLessThanOrEqual(24 * 3600);
  });

  it('is cleared under both names over HTTPS', () => {
    const cleared = clearSessionSetCookies(true);
    expect(cleared).toHaveLength(2);
    for (const cookie of cleared) expect(cookie).toContain('Max-Age=0');
    expect(clearSessionSetCookies(false)).toEqual([
      expect.stringMatching(/^dtrc_session=; .*Max-Age=0/),
    ]);
  });

  it('is read from a Cookie header among others, preferring the __Host- one', () => {
    expect(readSessionToken(`theme=dark; ${SESSION_COOKIE}=plain`)).toBe('plain');
    expect(readSessionToken(`${SESSION_COOKIE}=plain; ${SECURE_SESSION_COOKIE}=secure`)).toBe(
      'secure',
    );
    expect(readSessionToken(null)).toBeUndefined();
  });

  it('counts a request as HTTPS by its URL or a proxy’s X-Forwarded-Proto', () => {
    expect(requestIsHttps(new Request('https://console.example/'))).toBe(true);
    expect(requestIsHttps(new Request('http://console.example/'))).toBe(false);
    expect(
      requestIsHttps(
        new Request('http://127.0.0.1:3000/', { headers: { 'x-forwarded-proto': 'https' } }),
      ),
    ).toBe(true);
  });
});
