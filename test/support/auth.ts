// Test support for the auth routes: a fake UCP on 127.0.0.1 and the runtime fields auth reads.
import { MemoryAuditLog } from '@/lib/auth/audit';
import { LoginRateLimiter } from '@/lib/auth/rate-limit';
import { Revocations } from '@/lib/auth/revocations';
import type { ClusterRoles } from '@/lib/domain/access';
import type { AuthSettings } from '@/lib/auth/settings';
import { DEFAULT_CLUSTER } from '@/lib/domain/cluster-path';
import { sendJson, startServer, type TestServer } from '@/test/support/test-server';

export const TEST_SESSION_SECRET = 'route-test-session-secret-0123456789-abcdef';
export const TEST_PASSWORDS = { ada: 'ada-Pa55word-0123', vic: 'vic-Pa55word-4567' } as const;

/** ada is a UCP admin, vic a viewer; anything else is refused with 401. */
export async function startFakeUcp(): Promise<TestServer> {
  return startServer((req, res, body) => {
    if (req.method === 'POST' && req.url === '/auth/login') {
      const { username, password } = JSON.parse(body) as { username?: string; password?: string };
      const known = username === 'ada' || username === 'vic' ? TEST_PASSWORDS[username] : undefined;
      if (!known || password !== known)
        return sendJson(res, 401, { message: 'invalid username or password' });
      return sendJson(res, 200, { auth_token: `t-${username}` });
    }
    const account = /^\/accounts\/(ada|vic)$/.exec(req.url ?? '');
    if (account && req.headers.authorization === `Bearer t-${account[1]}`) {
      return sendJson(res, 200, { name: account[1], isAdmin: account[1] === 'ada' });
    }
    sendJson(res, 401, {});
  });
}

/**
 * The slice of lib/server/runtime's Runtime the auth routes read: its auth settings, with a fresh
 * audit log, sign-out memory and login limiter, as after a restart.
 */
export function fakeRuntime(
  ucpUrl: string,
  overrides: { auth?: 'on' | 'off'; metricsToken?: string } = {},
) {
  const audit = new MemoryAuditLog();
  const auth: AuthSettings = {
    enabled: (overrides.auth ?? 'on') === 'on',
    sessionSecret: TEST_SESSION_SECRET,
    sessionTtlMs: 8 * 3_600_000,
    trustedProxies: 0,
    metricsToken: overrides.metricsToken ?? null,
    ucp: [{ cluster: DEFAULT_CLUSTER, url: ucpUrl, insecureTls: false }],
    audit,
    revocations: new Revocations(),
    loginLimiter: new LoginRateLimiter(),
  };
  // A one-cluster console's: today's URLs, and route.ts decides by the role on `cluster`.
  return {
    cluster: DEFAULT_CLUSTER,
    base: '',
    fleet: { multi: false },
    sessionSecret: TEST_SESSION_SECRET,
    auth,
    audit,
  };
}

export type FakeRuntime = ReturnType<typeof fakeRuntime>;

export function jsonPost(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Request {
  return new Request(`http://console.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.4', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** "name=value" of the first Set-Cookie, ready for a Cookie header. */
export function cookieFrom(response: Response): string {
  const [first] = response.headers.getSetCookie();
  return first?.split(';')[0] ?? '';
}

/**
 * Headers that make a test request come from a signed-in user: session cookie + CSRF token.
 * `{ username, isAdmin }` is that role on the one cluster of a one-cluster console ("default");
 * `{ username, roles }` names the role per cluster.
 */
export async function signedInHeaders(
  user: { username: string; isAdmin: boolean } | { username: string; roles: ClusterRoles },
  secret: string = TEST_SESSION_SECRET,
): Promise<Record<string, string>> {
  const { sealSession } = await import('@/lib/auth/session');
  const { SESSION_COOKIE } = await import('@/lib/auth/session-cookie');
  const grant =
    'roles' in user
      ? user
      : {
          username: user.username,
          roles: { [DEFAULT_CLUSTER]: user.isAdmin ? ('admin' as const) : ('viewer' as const) },
        };
  const { token, session } = await sealSession(grant, { secret, ttlMs: 3_600_000 });
  return { cookie: `${SESSION_COOKIE}=${token}`, 'x-csrf-token': session.csrf };
}

export const ADMIN = { username: 'ada', isAdmin: true } as const;
export const VIEWER = { username: 'vic', isAdmin: false } as const;
