import { describe, expect, it } from 'vitest';
import { checkCsrf, checkSameOrigin, CSRF_HEADER, isSafeMethod, newCsrfToken } from './csrf';

const URL_ = 'http://console.example:3000/api/demo/faults';
const TOKEN = newCsrfToken();

function post(headers: Record<string, string>): Request {
  return new Request(URL_, { method: 'POST', headers });
}

describe('checkCsrf', () => {
  it('accepts a same-origin request carrying the session token', () => {
    const request = post({
      origin: 'http://console.example:3000',
      'sec-fetch-site': 'same-origin',
      [CSRF_HEADER]: TOKEN,
    });
    expect(checkCsrf(request, TOKEN)).toEqual({ ok: true });
  });

  it('refuses a request without the token', () => {
    const verdict = checkCsrf(post({ origin: 'http://console.example:3000' }), TOKEN);
    expect(verdict).toMatchObject({ ok: false, reason: 'missing-token' });
  });

  it('refuses a wrong token, including one of another length', () => {
    expect(checkCsrf(post({ [CSRF_HEADER]: newCsrfToken() }), TOKEN)).toMatchObject({
      ok: false,
      reason: 'wrong-token',
    });
    expect(checkCsrf(post({ [CSRF_HEADER]: 'x' }), TOKEN)).toMatchObject({
      ok: false,
      reason: 'wrong-token',
    });
  });

  it('refuses a cross-site POST even when it somehow carries the right token', () => {
    const request = post({ origin: 'https://evil.example', [CSRF_HEADER]: TOKEN });
    expect(checkCsrf(request, TOKEN)).toMatchObject({ ok: false, reason: 'cross-site' });
  });
});

describe('checkSameOrigin', () => {
  it('refuses what the browser labels cross-site or same-site (a sibling subdomain)', () => {
    expect(checkSameOrigin(post({ 'sec-fetch-site': 'cross-site' })).ok).toBe(false);
    expect(checkSameOrigin(post({ 'sec-fetch-site': 'same-site' })).ok).toBe(false);
    expect(checkSameOrigin(post({ 'sec-fetch-site': 'same-origin' })).ok).toBe(true);
  });

  it('refuses an Origin naming another host, another port or the opaque "null" origin', () => {
    expect(checkSameOrigin(post({ origin: 'https://evil.example' })).ok).toBe(false);
    expect(checkSameOrigin(post({ origin: 'http://console.example:4000' })).ok).toBe(false);
    expect(checkSameOrigin(post({ origin: 'null' })).ok).toBe(false);
  });

  it('accepts the page origin behind a TLS proxy that forwards the public host', () => {
    const request = new Request('http://127.0.0.1:3000/api/demo/reset', {
      method: 'POST',
      headers: {
        origin: 'https://console.example',
        host: '127.0.0.1:3000',
        'x-forwarded-host': 'console.example',
      },
    });
    expect(checkSameOrigin(request).ok).toBe(true);
  });

  it('accepts configured extra origins', () => {
    const request = post({ origin: 'https://console.public.example' });
    expect(
      checkSameOrigin(request, { allowedOrigins: ['https://console.public.example'] }).ok,
    ).toBe(true);
  });

  it('trusts Sec-Fetch-Site: same-origin over an "Origin: null" some referrer policies cause', () => {
    expect(checkSameOrigin(post({ origin: 'null', 'sec-fetch-site': 'same-origin' })).ok).toBe(
      true,
    );
  });

  it('lets non-browser clients through (no Origin, no Sec-Fetch-Site): the token still applies', () => {
    expect(checkSameOrigin(post({})).ok).toBe(true);
  });
});

describe('isSafeMethod', () => {
  it('treats only GET, HEAD and OPTIONS as safe', () => {
    expect(['GET', 'head', 'OPTIONS'].every(isSafeMethod)).toBe(true);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].some(isSafeMethod)).toBe(false);
  });
});
