import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce, securityHeaders } from './security-headers';

function directives(policy: string): Map<string, string> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  it('allows scripts only with the nonce, never inline or eval in production', () => {
    const csp = directives(contentSecurityPolicy('abc123'));
    expect(csp.get('script-src')).toBe("'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp.get('script-src')).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp.get('style-src')).toBe("'self' 'nonce-abc123'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
  });

  it('adds eval only for the dev server, and upgrades requests over HTTPS', () => {
    expect(directives(contentSecurityPolicy('n', { dev: true })).get('script-src')).toContain(
      "'unsafe-eval'",
    );
    expect(
      directives(contentSecurityPolicy('n', { https: true })).has('upgrade-insecure-requests'),
    ).toBe(true);
  });
});

describe('newNonce', () => {
  it('is fresh and unguessable each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    expect(Buffer.from([...nonces][0] ?? '', 'base64')).toHaveLength(16);
  });
});

describe('securityHeaders', () => {
  it('sets nosniff, a referrer policy that keeps our own Origin header, and no framing', () => {
    const headers = securityHeaders({ https: false });
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['strict-transport-security']).toBeUndefined();
  });

  it('adds HSTS over HTTPS only', () => {
    expect(securityHeaders({ https: true })['strict-transport-security']).toMatch(/^max-age=\d+/);
  });
});
