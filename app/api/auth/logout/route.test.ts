import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CSRF_HEADER } from '@/lib/auth/csrf';
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
const { POST: logout } = await import('./route');
const { GET: me } = await import('../me/route');

let ucp: TestServer;
beforeAll(async () => {
  ucp = await startFakeUcp();
});
afterAll(() => ucp.close());
beforeEach(() => {
  state.runtime = fakeRuntime(ucp.url);
});

async function signIn() {
  const response = await login(
    jsonPost('/api/auth/login', { username: 'vic', password: TEST_PASSWORDS.vic }),
  );
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: cookieFrom(response), csrfToken };
}

describe('POST /api/auth/logout', () => {
  it('clears the cookie and kills the session server-side, so a copied cookie stops working', async () => {
    const { cookie, csrfToken } = await signIn();
    const response = await logout(
      jsonPost('/api/auth/logout', {}, { cookie, [CSRF_HEADER]: csrfToken }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()[0]).toMatch(/^dtrc_session=; .*Max-Age=0/);
    const after = await me(
      new Request('http://console.test/api/auth/me', { headers: { cookie } }),
      undefined,
    );
    expect(after.status).toBe(401);
    const [last] = await state.runtime.audit.list({ limit: 1 });
    expect(last).toMatchObject({ actor: 'vic', action: 'sign-out' });
  });

  it('refuses to end a live session without its CSRF token', async () => {
    const { cookie } = await signIn();
    expect((await logout(jsonPost('/api/auth/logout', {}, { cookie }))).status).toBe(403);
    expect(
      (await logout(jsonPost('/api/auth/logout', {}, { cookie, origin: 'https://evil.example' })))
        .status,
    ).toBe(403);
  });

  it('still clears the cookie when the session is already gone', async () => {
    const response = await logout(
      jsonPost('/api/auth/logout', {}, { cookie: 'dtrc_session=stale' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toHaveLength(1);
  });
});
