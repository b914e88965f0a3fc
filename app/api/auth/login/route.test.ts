import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendPeerAddress } from '@/lib/auth/forwarded-for.mjs';
import { unsealSession } from '@/lib/auth/session';
import {
  cookieFrom,
  fakeRuntime,
  jsonPost,
  type FakeRuntime,
  startFakeUcp,
  TEST_PASSWORDS,
  TEST_SESSION_SECRET,
} from '@/test/support/auth';
import type { TestServer } from '@/test/support/test-server';

const state = vi.hoisted(() => ({ runtime: null as unknown as FakeRuntime }));
vi.mock('@/lib/server/runtime', () => ({ getRuntime: async () => state.runtime }));

const { POST } = await import('./route');

let ucp: TestServer;
beforeAll(async () => {
  ucp = await startFakeUcp();
});
afterAll(() => ucp.close());
beforeEach(() => {
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
    const session = await unsealSession(token, {
      secret: TEST_SESSION_SECRET,
      revocations: state.runtime.auth.revocations,
    });
    expect(session).toMatchObject({
      ok: true,
      session: { username: 'ada', roles: { default: 'admin' }, csrf: body.csrfToken },
    });
    expect(JSON.stringify(body)).not.toContain(TEST_PASSWORDS.ada);
    const [last] = await state.runtime.audit.list({ limit: 1 });
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
    const [last] = await state.runtime.audit.list({ limit: 1 });
    expect(last).toMatchObject({ actor: 'ada', action: 'sign-in-failed' });
  });

  it('backs off per (user, address): 429 with Retry-After after 3 free tries, doubling', async () => {
    const statuses: number[] = [];
    let response: Response | undefined;
    for (let i = 0; i < 4; i++) {
      response = await POST(
        jsonPost('/api/auth/login', { username: 'ada', password: `guess-${i}` }),
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(response?.headers.get('retry-after')).toBe('1');
    // From that address, even the right password waits out the back-off (it is not checked).
    const waiting = await POST(
      jsonPost('/api/auth/login', { username: 'ada', password: TEST_PASSWORDS.ada }),
    );
    expect(waiting.status).toBe(429);
    expect(await errorOf(waiting)).toEqual({
      code: 'rate_limited',
      message: 'Too many failed sign-ins for this user from your address. Try again in 1 s.',
    });
  });

  it('never lets a stranger lock the admin out: the right password from another address works', async () => {
    const stranger = { 'x-forwarded-for': '203.0.113.66' };
    let refused = 0;
    for (let i = 0; i < 12; i++) {
      const response = await POST(
        jsonPost('/api/auth/login', { username: 'ada', password: `guess-${i}` }, stranger),
      );
      if (response.status === 429) refused += 1;
    }
    expect(refused).toBeGreaterThan(0);
    const admin = await POST(
      jsonPost(
        '/api/auth/login',
        { username: 'ada', password: TEST_PASSWORDS.ada },
        { 'x-forwarded-for': '198.51.100.77' },
      ),
    );
    expect(admin.status).toBe(200);
  });

  it('warns when few attempts are left', async () => {
    for (let i = 0; i < 2; i++)
      await POST(jsonPost('/api/auth/login', { username: 'vic', password: `guess-${i}` }));
    const third = await POST(jsonPost('/api/auth/login', { username: 'vic', password: 'guess-3' }));
    expect((await errorOf(third)).message).toBe(
      'Wrong username or password. 0 attempts left before sign-in from here slows down.',
    );
  });

  it('over a real socket, a forged X-Forwarded-For neither resets the address limit nor reaches the audit log', async () => {
    // The route behind a real server with the hook scripts/start.mjs loads (TRUST_PROXY=0).
    const server = http.createServer((req, res) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers))
          if (typeof value === 'string') headers.set(name, value);
        const response = await POST(
          new Request(`http://console.test${req.url}`, {
            method: req.method,
            headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(await response.text());
      })();
    });
    server.prependListener('request', (req) => appendPeerAddress(req));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const post = (username: string, forged?: string) =>
      fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(forged ? { 'x-forwarded-for': forged } : {}),
        },
        body: JSON.stringify({ username, password: 'wrong' }),
      });
    try {
      for (let i = 0; i < 20; i++) await post(`user${i}`);
      expect((await post('fresh')).status).toBe(429);
      for (let n = 1; n <= 5; n++) expect((await post('fresh', `10.9.9.${n}`)).status).toBe(429);
      const log = JSON.stringify(await state.runtime.audit.list({ limit: 100 }));
      expect(log).not.toContain('10.9.9.');
      expect(log).toContain('127.0.0.1');
    } finally {
      server.close();
    }
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
    expect(JSON.stringify(await state.runtime.audit.list({ limit: 10 }))).not.toContain(
      'sign-in-failed',
    );
  });

  it('answers 409 with AUTH=off', async () => {
    state.runtime = fakeRuntime(ucp.url, { auth: 'off' });
    const response = await POST(
      jsonPost('/api/auth/login', { username: 'ada', password: TEST_PASSWORDS.ada }),
    );
    expect(response.status).toBe(409);
  });
});
