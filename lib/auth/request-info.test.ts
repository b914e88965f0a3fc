import { describe, expect, it } from 'vitest';
import { clientIp, loginUrl, safeNextPath } from './request-info';

function withForwardedFor(value?: string): Request {
  return new Request(
    'http://console.example/',
    value ? { headers: { 'x-forwarded-for': value } } : {},
  );
}

// Under `npm start`, lib/auth/forwarded-for.mjs has appended the TCP peer to every header below.
describe('clientIp', () => {
  it('takes the TCP peer when no proxy is trusted, whatever the client claimed before it', () => {
    expect(clientIp(withForwardedFor('203.0.113.9'))).toBe('203.0.113.9');
    expect(clientIp(withForwardedFor('10.9.9.1, 203.0.113.9'))).toBe('203.0.113.9');
    expect(clientIp(withForwardedFor('10.9.9.1, 10.9.9.2, 203.0.113.9'), 0)).toBe('203.0.113.9');
  });

  it('with one trusted proxy (the peer), takes the entry that proxy appended', () => {
    expect(clientIp(withForwardedFor('6.6.6.6, 203.0.113.9, 10.0.0.2'), 1)).toBe('203.0.113.9');
  });

  it('with two trusted proxies, skips both', () => {
    expect(clientIp(withForwardedFor('6.6.6.6, 203.0.113.9, 10.0.0.3, 10.0.0.2'), 2)).toBe(
      '203.0.113.9',
    );
    expect(clientIp(withForwardedFor('203.0.113.9'), 3)).toBe('203.0.113.9');
  });

  it('writes one client one way: an IPv4 peer on a dual-stack socket is plain IPv4', () => {
    expect(clientIp(withForwardedFor('::ffff:127.0.0.1'))).toBe('127.0.0.1');
    expect(clientIp(withForwardedFor('0:0:0:0:0:0:0:1'))).toBe('::1');
    expect(clientIp(withForwardedFor('::1'))).toBe('::1');
  });

  it('says "unknown" without the header and bounds silly values', () => {
    expect(clientIp(withForwardedFor())).toBe('unknown');
    expect(clientIp(withForwardedFor('x'.repeat(500))).length).toBe(64);
  });
});

describe('safeNextPath', () => {
  it('keeps plain paths with their query', () => {
    expect(safeNextPath('/wizards/join?step=2')).toBe('/wizards/join?step=2');
  });

  it('refuses anything that would leave the site or loop back to login', () => {
    for (const raw of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      '/login',
      '/login?next=/',
      '/api/demo/reset',
      '\n/x',
      '',
      null,
      undefined,
    ]) {
      expect(safeNextPath(raw), String(raw)).toBe('/');
    }
  });

  it('leaves encoded characters encoded (they cannot break a Location header)', () => {
    expect(safeNextPath('/%0d%0aSet-Cookie:x')).toBe('/%0d%0aSet-Cookie:x');
  });
});

describe('loginUrl', () => {
  it('says why and where to return, never to another site', () => {
    expect(loginUrl('missing')).toBe('/login');
    expect(loginUrl('expired', '/sizing?replicas=5')).toBe(
      '/login?reason=expired&next=%2Fsizing%3Freplicas%3D5',
    );
    expect(loginUrl('expired', '//evil.example')).toBe('/login?reason=expired');
  });
});
