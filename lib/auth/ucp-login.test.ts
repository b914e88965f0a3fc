import { afterEach, describe, expect, it } from 'vitest';
import { sendJson, startServer, type Handler, type TestServer } from '@/test/support/test-server';
import { verifyUcpLogin } from './ucp-login';

const PASSWORD = 'correct horse battery staple';
const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A tiny UCP on 127.0.0.1: alice is an admin, victor a viewer. */
const ucp: Handler = (req, res, body) => {
  if (req.method === 'POST' && req.url === '/auth/login') {
    const { username, password } = JSON.parse(body) as Record<string, string>;
    if (password !== PASSWORD || !['alice', 'victor'].includes(username ?? '')) {
      return sendJson(res, 401, {
        errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }],
      });
    }
    return sendJson(res, 200, { auth_token: `token-${username}` });
  }
  const account = /^\/accounts\/([^/]+)$/.exec(req.url ?? '');
  if (req.method === 'GET' && account) {
    const name = decodeURIComponent(account[1] ?? '');
    if (req.headers.authorization !== `Bearer token-${name}`) return sendJson(res, 401, {});
    return sendJson(res, 200, { name, isAdmin: name === 'alice', isActive: true, fullName: name });
  }
  sendJson(res, 404, {});
};

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

describe('verifyUcpLogin', () => {
  it('signs in an admin', async () => {
    const server = await serve(ucp);
    expect(
      await verifyUcpLogin('alice', PASSWORD, { url: server.url, insecureTls: false }),
    ).toEqual({
      ok: true,
      user: { username: 'alice', isAdmin: true },
    });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /auth/login',
      'GET /accounts/alice',
    ]);
  });

  it('signs in a viewer', async () => {
    const server = await serve(ucp);
    expect(
      await verifyUcpLogin('victor', PASSWORD, { url: server.url, insecureTls: false }),
    ).toEqual({
      ok: true,
      user: { username: 'victor', isAdmin: false },
    });
  });

  it('maps UCP’s 401 to invalid credentials without echoing the password', async () => {
    const server = await serve(ucp);
    const result = await verifyUcpLogin('alice', 'wrong-password-123', {
      url: server.url,
      insecureTls: false,
    });
    expect(result).toMatchObject({
      ok: false,
      reason: 'invalid',
      message: 'Wrong username or password.',
    });
    expect(JSON.stringify(result)).not.toContain('wrong-password-123');
  });

  it('says UCP did not answer when it hangs past the timeout', async () => {
    const server = await serve(() => {
      /* accept, never answer */
    });
    const started = Date.now();
    const result = await verifyUcpLogin(
      'alice',
      PASSWORD,
      { url: server.url, insecureTls: false },
      300,
    );
    expect(result).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(!result.ok && result.message).toMatch(/UCP did not answer/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('says UCP did not answer when the connection is refused', async () => {
    const server = await serve(ucp);
    const url = server.url;
    await servers.splice(0)[0]?.close();
    const result = await verifyUcpLogin('alice', PASSWORD, { url, insecureTls: false }, 1000);
    expect(result).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it('grants no admin rights when UCP will not show the account', async () => {
    const server = await serve((req, res) =>
      req.url === '/auth/login' ? sendJson(res, 200, { auth_token: 't' }) : sendJson(res, 403, {}),
    );
    expect(
      await verifyUcpLogin('carol', PASSWORD, { url: server.url, insecureTls: false }),
    ).toEqual({
      ok: true,
      user: { username: 'carol', isAdmin: false },
    });
  });

  it('refuses a login that UCP answers without a token or without isAdmin', async () => {
    const noToken = await serve((_req, res) => sendJson(res, 200, { ok: true }));
    expect(
      await verifyUcpLogin('alice', PASSWORD, { url: noToken.url, insecureTls: false }),
    ).toMatchObject({
      ok: false,
      reason: 'upstream',
    });
    const noFlag = await serve((req, res) =>
      req.url === '/auth/login'
        ? sendJson(res, 200, { auth_token: 't' })
        : sendJson(res, 200, { name: 'alice' }),
    );
    expect(
      await verifyUcpLogin('alice', PASSWORD, { url: noFlag.url, insecureTls: false }),
    ).toMatchObject({
      ok: false,
      reason: 'upstream',
    });
  });

  it('refuses an inactive account', async () => {
    const server = await serve((req, res) =>
      req.url === '/auth/login'
        ? sendJson(res, 200, { auth_token: 't' })
        : sendJson(res, 200, { name: 'alice', isAdmin: true, isActive: false }),
    );
    expect(
      await verifyUcpLogin('alice', PASSWORD, { url: server.url, insecureTls: false }),
    ).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });
});
