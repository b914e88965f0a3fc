import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getAuditLog } from '@/lib/auth/audit';
import { unsealSession } from '@/lib/auth/session';
import {
  cookieFrom,
  fakeRuntime,
  jsonPost,
  resetAuthState,
  startFakeUcp,
  TEST_PASSWORDS,
  TEST_SESSION_SECRET,
} from '@/lib/auth/test-support';
import type { TestServer } from '@/lib/sources/test-server';

const state = vi.hoisted(() => ({ runtime: null as unknown }));
vi.mock('@/lib/server/runtime', () => ({ getRuntime: async () => state.runtime }));

const { POST } = await import('./route');

let ucp: TestServer;
beforeAll(async () => {
  ucp = await startFakeUcp();
});
afterAll(() => ucp.close());
beforeEach(() => {
  resetAuthState();
  state.runtime = fakeRuntime(ucp.url);
});

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe('POST /api/auth/login', () => {
  it('signs in an admin: httpOnly session cookie, user and CSRF token in the body', async () => {
    const response = await POST(
      jsonPost('/api/auth/login', { username: 'ada', password: TEST_PASSWORDS.ada }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { user: unknown; csrfToken: string };
    expect(body.user).toEqual({ username: 'ada', isAdmin: true });
    const [setCookie] = response.headers.getSetCookie();
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const token = cookieFrom(response).split('=')[1];
    const session = await unsealSession(token, { secret: TEST_SESSION_SECRET });
    expect(session).toMatchObject({
      ok: true,
      session: { username: 'ada', isAdmin: true, csrf: body.csrfToken },
    });
    expect(JSON.stringify(body)).not.toContain(TEST_PASSWORDS.ada);
    const [last] = await getAuditLog().list({ limit: 1 });
    expect(last).toMatchObject({ actor: 'ada', action: 'sign-in', ip: '198.51.100.4' });
  });

  it('signs in a viewer as a viewer', async () => {
    const response = await POST(
      jsonPost('/api/auth/login', { username: 'vic', password: TEST_PASSWORDS.vic }),
    );
    expect(await response.json()).toMatchObject({ user: { username: 'vic', isAdmin: false } });
  });

  it('sets a Secure, __Host- cookie when the console is reached over HTTPS', async () => {
    const response = await POST(
      jsonPost(
        '/api/auth/login',
        { username: 'vic', password: TEST_PASSWORDS.vic },
        { 'x-forwarded-proto': 'https' },
      ),
    );
    expect(response.headers.getSetCookie()[0]).toMatch(/^__Host-dtrc_session=.*; Secure$/);
  });

  it('answers 400 with a message for a body without a password, 415 for a form post', async () => {
    const missing = await POST(jsonPost('/api/auth/login', { username: 'ada' }));
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).message).toMatch(/^password:/);
    const form = new Request('http://console.test/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=ada&password=x',
    });
    expect((await POST(form)).status).toBe(415);
  });

  it('answers 401 for a wrong password and records the failure', async () => {
    const response = await POST(
      jsonPost('/api/auth/login', { username: 'ada', password: 'guess-1' }),
    );
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual({
      code: 'unauthorized',
      message: 'Wrong username or password.',
    });
    expect(response.headers.getSetCookie()).toEqual([]);
    const [last] = await getAuditLog().list({ limit: 1 });
    expect(last).toMatchObject({ actor: 'ada', action: 'sign-in-failed' });
  });

  it('locks a user out after 5 wrong passwords: 429, Retry-After, and why — even for the right password', async () => {
    let response: Response | undefined;
    for (let i = 0; i < 5; i++)
      response = await POST(
        jsonPost('/api/auth/login', { username: 'ada', password: `guess-${i}` }),
      );
    expect(response?.status).toBe(429);
    expect(Number(response?.headers.get('retry-after'))).toBeGreaterThan(800);
    const locked = await POST(
      jsonPost('/api/auth/login', { username: 'ada', password: TEST_PASSWORDS.ada }),
    );
    expect(locked.status).toBe(429);
    expect(await errorOf(locked)).toEqual({
      code: 'rate_limited',
      message: 'Too many failed sign-ins for this user: locked out. Try again in 15 min.',
    });
    // Another user from another address is unaffected.
    const other = await POST(
      jsonPost(
        '/api/auth/login',
        { username: 'vic', password: TEST_PASSWORDS.vic },
        { 'x-forwarded-for': '203.0.113.50' },
      ),
    );
    expect(other.status).toBe(200);
  });

  it('warns when few attempts are left', async () => {
    for (let i = 0; i < 3; i++)
      await POST(jsonPost('/api/auth/login', { username: 'vic', password: `guess-${i}` }));
    const fourth = await POST(
      jsonPost('/api/auth/login', { username: 'vic', password: 'guess-4' }),
    );
    expect((await errorOf(fourth)).message).toBe(
      'Wrong username or password. 1 attempt left before sign-in is locked for a while.',
    );
  });

  it('refuses a cross-site sign-in (login CSRF)', async () => {
    const response = await POST(
      jsonPost(
        '/api/auth/login',
        { username: 'ada', password: TEST_PASSWORDS.ada },
        { origin: 'https://evil.example' },
      ),
    );
    expect(response.status).toBe(403);
  });

  it('answers 503 when UCP does not answer, without counting a failure', async () => {
    state.runtime = fakeRuntime('http://127.0.0.1:9');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const response = await POST(
      jsonPost('/api/auth/login', { username: 'ada', password: TEST_PASSWORDS.ada }),
    );
    expect(response.status).toBe(503);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('connection refused'));
    expect(JSON.stringify(warn.mock.calls)).not.toContain(TEST_PASSWORDS.ada);
    warn.mockRestore();
    expect((await errorOf(response)).message).toMatch(/UCP did not answer/);
    expect(JSON.stringify(await getAuditLog().list({ limit: 10 }))).not.toContain('sign-in-failed');
  });

  it('answers 409 with AUTH=off', async () => {
    state.runtime = fakeRuntime(ucp.url, { auth: 'off' });
    const response = await POST(
      jsonPost('/api/auth/login', { username: 'ada', password: TEST_PASSWORDS.ada }),
    );
    expect(response.status).toBe(409);
  });
});
