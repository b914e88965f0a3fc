// Sign-in in a fleet: the password goes to every cluster's UCP at once, and each one's answer is
// the person's role on that cluster. Real HTTP servers on loopback stand in for three UCPs:
// "staging" (ada admin, vic viewer), "prod" (ada viewer, vic has no account) and "dr" (hangs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from './audit';
import { LoginRateLimiter } from './rate-limit';
import { Revocations } from './revocations';
import type { AuthSettings, ClusterLogin } from './settings';
import { unsealSession } from './session';
import { signIn } from './sign-in';
import { cookieFrom, jsonPost, startFakeUcp, TEST_PASSWORDS } from '@/test/support/auth';
import { sendJson, startServer, type TestServer } from '@/test/support/test-server';

const SECRET = 'sign-in-test-session-secret-0123456789-abcdef';
const TIMEOUT_MS = 400;

let staging: TestServer;
let prod: TestServer;
let dr: TestServer;

/** prod's UCP: the same directory password for ada, but she is not an admin there; no vic. */
function startProdUcp(): Promise<TestServer> {
  return startServer((req, res, body) => {
    if (req.method === 'POST' && req.url === '/auth/login') {
      const { username, password } = JSON.parse(body) as { username?: string; password?: string };
      if (username !== 'ada' || password !== TEST_PASSWORDS.ada)
        return sendJson(res, 401, { message: 'invalid username or password' });
      return sendJson(res, 200, { auth_token: 't-prod-ada' });
    }
    if (req.url === '/accounts/ada' && req.headers.authorization === 'Bearer t-prod-ada')
      return sendJson(res, 200, { name: 'ada', isAdmin: false });
    sendJson(res, 401, {});
  });
}

beforeAll(async () => {
  staging = await startFakeUcp();
  prod = await startProdUcp();
  // Accepts the connection and never answers: a UCP behind a hung load balancer.
  dr = await startServer(() => undefined);
});
afterAll(async () => {
  await Promise.all([staging.close(), prod.close(), dr.close()]);
});

function settingsFor(clusters: Record<string, TestServer>) {
  const audit = new MemoryAuditLog();
  const ucp: ClusterLogin[] = Object.entries(clusters).map(([cluster, server]) => ({
    cluster,
    url: server.url,
    insecureTls: false,
  }));
  const settings: AuthSettings = {
    enabled: true,
    sessionSecret: SECRET,
    sessionTtlMs: 3_600_000,
    trustedProxies: 0,
    metricsToken: null,
    ucp,
    loginTimeoutMs: TIMEOUT_MS,
    audit,
    revocations: new Revocations(),
    loginLimiter: new LoginRateLimiter(),
  };
  return { settings, audit };
}

interface Answer {
  user: { username: string; isAdmin: boolean } | null;
  roles: Record<string, string>;
  notices: string[];
}

async function rolesInCookie(response: Response, settings: AuthSettings) {
  const opened = await unsealSession(cookieFrom(response).split('=')[1], {
    secret: SECRET,
    revocations: settings.revocations,
  });
  if (!opened.ok) throw new Error(`no session: ${opened.reason}`);
  return opened.session.roles;
}

describe('sign-in against every cluster of a fleet', () => {
  it('gives the role each UCP grants: admin on staging, viewer on prod', async () => {
    const { settings, audit } = settingsFor({ staging, prod });
    const response = await signIn(
      jsonPost('/api/auth/login', { username: 'ada', password: TEST_PASSWORDS.ada }),
      settings,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as Answer;
    expect(body.roles).toEqual({ staging: 'admin', prod: 'viewer' });
    expect(body.notices).toEqual([]);
    expect(await rolesInCookie(response, settings)).toEqual({ staging: 'admin', prod: 'viewer' });
    // One entry for the whole sign-in, with the role on each cluster.
    const entries = await audit.list({ limit: 10 });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'ada', action: 'sign-in' });
    expect(entries[0]!.detail).toContain('admin on "staging"');
    expect(entries[0]!.detail).toContain('viewer on "prod"');
  });

  it('signs in with no role where the UCP has no such account', async () => {
    const { settings } = settingsFor({ staging, prod });
    const response = await signIn(
      jsonPost('/api/auth/login', { username: 'vic', password: TEST_PASSWORDS.vic }),
      settings,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as Answer;
    expect(body.roles).toEqual({ staging: 'viewer' });
    expect(await rolesInCookie(response, settings)).toEqual({ staging: 'viewer' });
  });

  it('does not wait for a UCP that hangs: signs in with the others and says so', async () => {
    const { settings, audit } = settingsFor({ staging, prod, dr });
    const started = Date.now();
    const response = await signIn(
      jsonPost('/api/auth/login', { username: 'ada', password: TEST_PASSWORDS.ada }),
      settings,
    );
    const took = Date.now() - started;
    expect(response.status).toBe(200);
    // Asked at once, each with its own timeout: about one timeout, not one per cluster.
    expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(took).toBeLessThan(TIMEOUT_MS * 2 + 500);
    const body = (await response.json()) as Answer;
    expect(body.roles).toEqual({ staging: 'admin', prod: 'viewer' });
    expect(body.notices).toEqual([
      'Signed in; the UCP of cluster "dr" did not answer, so you have no access there until you sign in again.',
    ]);
    const [entry] = await audit.list({ limit: 1 });
    expect(entry!.detail).toMatch(/no access on "dr" \(UCP did not answer/);
  });

  it('refuses a wrong password everywhere as before: 401, counted against the limit', async () => {
    const { settings, audit } = settingsFor({ staging, prod });
    const response = await signIn(
      jsonPost('/api/auth/login', { username: 'ada', password: 'not-her-password' }),
      settings,
    );
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      'Wrong username or password.',
    );
    const [entry] = await audit.list({ limit: 1 });
    expect(entry).toMatchObject({ actor: 'ada', action: 'sign-in-failed' });
  });

  it('counts a refused password even while another UCP hangs, and says which could not check', async () => {
    const { settings } = settingsFor({ staging, dr });
    let last: Response | null = null;
    for (let i = 0; i < 5; i += 1) {
      last = await signIn(
        jsonPost('/api/auth/login', { username: 'ada', password: `guess-${i}` }),
        settings,
      );
      if (last.status !== 401) break;
      const message = ((await last.json()) as { error: { message: string } }).error.message;
      expect(message).toMatch(
        /^Wrong username or password\. \(The UCP of cluster "dr" did not answer/,
      );
    }
    // The limiter saw the guesses: a hanging UCP is no way around it.
    expect(last?.status).toBe(429);
  });

  it('answers 503 when no UCP answered at all, and counts nothing', async () => {
    const { settings, audit } = settingsFor({ dr });
    const response = await signIn(
      jsonPost('/api/auth/login', { username: 'ada', password: TEST_PASSWORDS.ada }),
      settings,
    );
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /UCP did not answer/,
    );
    expect(await audit.list({ limit: 1 })).toEqual([]);
  });
});
