import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { handleProxy, type ProxySettings } from './proxy-handler';
import { Revocations } from './revocations';
import { sealSession } from './session';
import { SESSION_COOKIE } from './session-cookie';

const SECRET = 'proxy-test-session-secret-0123456789-abcdef';
const settings: ProxySettings = {
  enabled: true,
  sessionSecret: SECRET,
  metricsToken: null,
  revocations: new Revocations(),
};

async function cookie(isAdmin: boolean, ttlMs = 3_600_000, now = Date.now()) {
  const { token } = await sealSession(
    { username: isAdmin ? 'ada' : 'vic', roles: { default: isAdmin ? 'admin' : 'viewer' } },
    { secret: SECRET, ttlMs, now },
  );
  return `${SESSION_COOKIE}=${token}`;
}

function req(method: string, path: string, headers: Record<string, string> = {}): NextRequest {
  return new NextRequest(`http://console.test${path}`, { method, headers });
}

describe('handleProxy', () => {
  it('sends a signed-out visitor of a page to /login, remembering where they were going', async () => {
    const response = await handleProxy(req('GET', '/sizing?replicas=5'), settings);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      'http://console.test/login?next=%2Fsizing%3Freplicas%3D5',
    );
  });

  it('says the session expired when it did', async () => {
    const expired = await cookie(false, 1000, Date.now() - 60_000);
    const response = await handleProxy(req('GET', '/', { cookie: expired }), settings);
    expect(response.headers.get('location')).toBe('http://console.test/login?reason=expired');
  });

  it('answers the API with 401/403 in the one error shape instead of redirecting', async () => {
    const anonymous = await handleProxy(req('GET', '/api/status'), settings);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      error: { code: 'unauthorized', message: 'Sign in to continue.' },
    });
    const viewer = await handleProxy(
      req('POST', '/api/demo/reset', { cookie: await cookie(false) }),
      settings,
    );
    expect(viewer.status).toBe(403);
  });

  it('never redirects a refused POST to a page (no 307 loops onto /login)', async () => {
    const response = await handleProxy(req('POST', '/'), settings);
    expect(response.status).toBe(401);
  });

  it('lets a viewer read pages with a nonce CSP on both the request (for Next) and the response', async () => {
    const response = await handleProxy(req('GET', '/', { cookie: await cookie(false) }), settings);
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(response.headers.get('x-middleware-request-x-nonce')).toBe(nonce);
    expect(response.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('keeps /login, static files and sign-in open, with security headers', async () => {
    for (const [method, path] of [
      ['GET', '/login'],
      ['GET', '/_next/static/chunks/app.js'],
      ['POST', '/api/auth/login'],
    ] as const) {
      const response = await handleProxy(req(method, path), settings);
      expect(response.status, `${method} ${path}`).toBe(200);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('guards /api/metrics with the token, and refuses anonymous scrapes when none is configured', async () => {
    const withToken = { ...settings, metricsToken: 'metrics-token-0123456789' };
    // The series name replicas and nodes: no token configured is not "open".
    expect((await handleProxy(req('GET', '/api/metrics'), settings)).status).toBe(401);
    expect(
      (
        await handleProxy(
          req('GET', '/api/metrics', { authorization: 'Bearer anything' }),
          settings,
        )
      ).status,
    ).toBe(401);
    // /api/healthz stays open for load-balancer probes when no token is configured.
    expect((await handleProxy(req('GET', '/api/healthz'), settings)).status).toBe(200);
    expect((await handleProxy(req('GET', '/api/metrics'), withToken)).status).toBe(401);
    const scraped = await handleProxy(
      req('GET', '/api/metrics', { authorization: 'Bearer metrics-token-0123456789' }),
      withToken,
    );
    expect(scraped.status).toBe(200);
  });

  it('with AUTH=off lets everything through, still with headers', async () => {
    const response = await handleProxy(req('POST', '/api/demo/reset'), {
      ...settings,
      enabled: false,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('adds HSTS when the console is reached over HTTPS', async () => {
    const response = await handleProxy(
      req('GET', '/login', { 'x-forwarded-proto': 'https' }),
      settings,
    );
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age/);
  });
});
