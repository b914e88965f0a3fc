// Anonymous / viewer / admin × every route handler and method under app/, and every page:
// each cell must answer what the permission table says (401 / 403 / allowed). Routes are found
// on disk, so a new route is in the matrix the moment it exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, requiredAccess, type Role } from '@/lib/auth/permissions';
import { sealSession } from '@/lib/auth/session';
import { SESSION_COOKIE } from '@/lib/auth/session-cookie';
import { signedInHeaders } from '@/test/support/auth';
import { getRuntime, shutdownRuntime } from '@/lib/server/runtime';
import { DEFAULT_CLUSTER } from '@/lib/domain/cluster-path';
import { pagePaths, routeContext, routeFiles, routeHandlers } from '@/test/support/routes';

/** 'signed-out': an admin's cookie after sign-out revoked it, which must fare as anonymous. */
type Caller = Role | 'signed-out';
const ROLES: Caller[] = ['anonymous', 'viewer', 'admin', 'signed-out'];

const routes = routeFiles();
const pages = pagePaths();

let sessionSecret: string;

beforeAll(async () => {
  sessionSecret = (await getRuntime()).sessionSecret;
});

/** A fresh session per request: the sign-out cell revokes the session it is sent with. */
async function headersFor(role: Caller): Promise<Record<string, string>> {
  if (role === 'anonymous') return {};
  if (role === 'signed-out') {
    const { token, session } = await sealSession(
      { username: 'ada', roles: { [DEFAULT_CLUSTER]: 'admin' } },
      { secret: sessionSecret, ttlMs: 3_600_000 },
    );
    await (await getRuntime()).auth.revocations.revoke(session);
    return { cookie: `${SESSION_COOKIE}=${token}`, 'x-csrf-token': session.csrf };
  }
  return signedInHeaders(
    { username: role === 'admin' ? 'ada' : 'vic', isAdmin: role === 'admin' },
    sessionSecret,
  );
}

afterAll(async () => {
  await shutdownRuntime();
});

function expected(
  caller: Caller,
  method: string,
  urlPath: string,
): 'refused-401' | 'refused-403' | 'allowed' {
  const role: Role = caller === 'signed-out' ? 'anonymous' : caller;
  const decision = authorize(role, method, urlPath, { scrapeAllowed: true });
  if (decision === 'unauthenticated') return 'refused-401';
  if (decision === 'forbidden') return 'refused-403';
  return 'allowed';
}

describe('authorization matrix: route handlers', () => {
  it('finds the routes', () => {
    expect(routes.map((r) => r.urlPath)).toEqual(
      expect.arrayContaining(['/api/status', '/api/demo/faults']),
    );
  });

  for (const { file, urlPath } of routes) {
    for (const role of ROLES) {
      it(`${urlPath} as ${role}`, async () => {
        for (const { method, handler } of await routeHandlers(file)) {
          const unsafe = method !== 'GET';
          const request = new Request(`http://console.test${urlPath}`, {
            method,
            headers: {
              ...(await headersFor(role)),
              ...(unsafe ? { 'content-type': 'application/json' } : {}),
            },
            ...(unsafe ? { body: '{}' } : {}),
          });
          const response = await handler(request, routeContext());
          await response.body?.cancel().catch(() => undefined);
          const cell = `${method} ${urlPath} as ${role} (${requiredAccess(method, urlPath)})`;
          const want = expected(role, method, urlPath);
          if (want === 'refused-401') expect(response.status, cell).toBe(401);
          else if (want === 'refused-403') expect(response.status, cell).toBe(403);
          else {
            expect(response.status, cell).not.toBe(401);
            expect(response.status, cell).not.toBe(403);
            expect(response.status, cell).toBeLessThan(500);
          }
        }
      });
    }
  }
});

describe('authorization matrix: /api/metrics', () => {
  // The series name replicas and nodes: never anonymous, token configured or not.
  it('refuses anonymous scrapes with no METRICS_TOKEN configured; a session may read', async () => {
    const { GET } = (await import('./api/metrics/route')) as {
      GET: (request: Request, context: unknown) => Promise<Response>;
    };
    const anonymous = await GET(new Request('http://console.test/api/metrics'), {});
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('dtr_console_');
    const guessed = await GET(
      new Request('http://console.test/api/metrics', {
        headers: { authorization: 'Bearer some-token-nobody-configured' },
      }),
      {},
    );
    expect(guessed.status).toBe(401);
    const viewer = await GET(
      new Request('http://console.test/api/metrics', { headers: await headersFor('viewer') }),
      {},
    );
    expect(viewer.status).toBe(200);
    expect(await viewer.text()).toContain('dtr_console_');
  });
});

describe('authorization matrix: pages', () => {
  it('sends anonymous visitors to sign in, lets viewers open every page', () => {
    // Admin-only pages (/audit) say so themselves, inside the console's header and navigation;
    // the data behind them comes only to administrators (their API routes, the page's own check).
    expect(pages).toEqual(expect.arrayContaining(['/', '/login', '/audit']));
    for (const page of pages) {
      const publicPage = page === '/login';
      expect(authorize('anonymous', 'GET', page), page).toBe(
        publicPage ? 'allow' : 'unauthenticated',
      );
      expect(authorize('viewer', 'GET', page), page).toBe('allow');
      expect(authorize('admin', 'GET', page), page).toBe('allow');
    }
  });
});
