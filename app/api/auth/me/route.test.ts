import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  cookieFrom,
  fakeRuntime,
  jsonPost,
  type FakeRuntime,
  startFakeUcp,
  TEST_PASSWORDS,
} from '@/test/support/auth';
import type { TestServer } from '@/test/support/test-server';

const state = vi.hoisted(() => ({ runtime: null as unknown as FakeRuntime }));
vi.mock('@/lib/server/runtime', () => ({ getRuntime: async () => state.runtime }));

const { POST: login } = await import('../login/route');
const { GET } = await import('./route');

let ucp: TestServer;
beforeAll(async () => {
  ucp = await startFakeUcp();
});
afterAll(() => ucp.close());
beforeEach(() => {
  state.runtime = fakeRuntime(ucp.url);
});

const get = (headers: Record<string, string> = {}) =>
  new Request('http://console.test/api/auth/me', { headers });

describe('GET /api/auth/me', () => {
  it('answers 401 when nobody is signed in', async () => {
    const response = await GET(get(), undefined);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'unauthorized', message: 'Sign in to continue.' },
    });
  });

  it('names the signed-in user and hands out the session’s CSRF token', async () => {
    const signedIn = await login(
      jsonPost('/api/auth/login', { username: 'ada', password: TEST_PASSWORDS.ada }),
    );
    const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
    const response = await GET(get({ cookie: cookieFrom(signedIn) }), undefined);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({
      user: { username: 'ada', isAdmin: true },
      roles: { default: 'admin' },
      csrfToken,
      authEnabled: true,
    });
  });

  it('with AUTH=off reports the local administrator and that sign-in is off', async () => {
    state.runtime = fakeRuntime(ucp.url, { auth: 'off' });
    const response = await GET(get(), undefined);
    expect(await response.json()).toEqual({
      user: { username: 'local', isAdmin: true },
      roles: null,
      csrfToken: null,
      expiresAt: null,
      authEnabled: false,
      execute: null,
    });
  });
});
