import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { MemoryAuditLog } from './audit';
import { CSRF_HEADER } from './csrf';
import {
  checkScrapeAccess,
  guards,
  type AuthedHandler,
  type GuardOptions,
  type GuardSettings,
  type ScrapeSettings,
} from './guard';
import { Revocations } from './revocations';
import type { AccessScope } from '@/lib/domain/access';
import { sealSession } from './session';
import { SESSION_COOKIE } from './session-cookie';

const SECRET = 'guard-test-secret-guard-test-secret-0123456789';
const auditLog = new MemoryAuditLog();
const revocations = new Revocations();
const settings = {
  enabled: true,
  sessionSecret: SECRET,
  trustedProxies: 0,
  metricsToken: null,
  audit: auditLog,
  revocations,
};
type Settings = GuardSettings & ScrapeSettings;
const loadSettings = async (): Promise<Settings> => settings;

/** The wrappers as lib/server/route.ts binds them, bound here to `load`. */
function withAuth<Ctx = unknown>(
  handler: AuthedHandler<Ctx, null>,
  options: GuardOptions,
  load: () => Promise<Settings>,
  scope: AccessScope = 'default',
) {
  return guards(async () => ({ settings: await load(), env: null, scope })).withAuth(
    handler,
    options,
  );
}
function withMetricsAccess(
  handler: () => Response,
  load: () => Promise<Settings>,
  scope: AccessScope = 'default',
) {
  return guards(async () => ({ settings: await load(), env: null, scope })).withMetricsAccess(
    handler,
  );
}
const ORIGIN = 'http://console.example';

async function cookieFor(isAdmin: boolean, ttlMs = 3_600_000, now = Date.now()) {
  const { token, session } = await sealSession(
    { username: isAdmin ? 'ada' : 'vic', roles: { default: isAdmin ? 'admin' : 'viewer' } },
    { secret: SECRET, ttlMs, now },
  );
  return { cookie: `${SESSION_COOKIE}=${token}`, csrf: session.csrf };
}

function request(method: string, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}/api/demo/reset`, {
    method,
    headers: { 'x-forwarded-for': '192.0.2.7', ...headers },
  });
}

const adminRoute = withAuth(
  async (_req, { user, ip }) => Response.json({ ran: true, user, ip }),
  { need: 'admin' },
  loadSettings,
);
const viewerRoute = withAuth(
  async (_req, { user }) => Response.json({ user }),
  { need: 'viewer' },
  loadSettings,
);

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe('withAuth', () => {
  it('answers 401 in the one error shape when nobody is signed in', async () => {
    const response = await viewerRoute(request('GET'), undefined);
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual({
      code: 'unauthorized',
      message: 'Sign in to continue.',
    });
  });

  it('tells an expired session apart from none', async () => {
    const { cookie } = await cookieFor(false, 1000, Date.now() - 10_000);
    const response = await viewerRoute(request('GET', { cookie }), undefined);
    expect(response.status).toBe(401);
    expect((await errorOf(response)).message).toBe('Your session expired. Sign in again.');
  });

  it('passes the user to the handler', async () => {
    const { cookie } = await cookieFor(false);
    const response = await viewerRoute(request('GET', { cookie }), undefined);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: { username: 'vic', isAdmin: false } });
  });

  it('refuses a viewer on an admin route with 403 and records it', async () => {
    const { cookie, csrf } = await cookieFor(false);
    const response = await adminRoute(request('POST', { cookie, [CSRF_HEADER]: csrf }), undefined);
    expect(response.status).toBe(403);
    expect((await errorOf(response)).message).toMatch(/administrators/);
    const [last] = await auditLog.list({ limit: 1 });
    expect(last).toMatchObject({ actor: 'vic', action: 'access-denied', ip: '192.0.2.7' });
  });

  it('runs an admin’s POST that carries the CSRF token', async () => {
    const { cookie, csrf } = await cookieFor(true);
    const response = await adminRoute(
      request('POST', { cookie, [CSRF_HEADER]: csrf, origin: ORIGIN }),
      undefined,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      ran: true,
      user: { username: 'ada', isAdmin: true },
      ip: '192.0.2.7',
    });
  });

  it('refuses an admin’s POST without the token, or with another session’s', async () => {
    const { cookie } = await cookieFor(true);
    const other = await cookieFor(true);
    expect((await adminRoute(request('POST', { cookie }), undefined)).status).toBe(403);
    expect(
      (await adminRoute(request('POST', { cookie, [CSRF_HEADER]: other.csrf }), undefined)).status,
    ).toBe(403);
  });

  it('refuses a cross-site POST before looking at the session', async () => {
    const { cookie, csrf } = await cookieFor(true);
    const response = await adminRoute(
      request('POST', {
        cookie,
        [CSRF_HEADER]: csrf,
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      }),
      undefined,
    );
    expect(response.status).toBe(403);
    expect((await errorOf(response)).message).toMatch(/another site/);
  });

  it('with AUTH=off lets everyone act as the local admin, but still refuses cross-site POSTs', async () => {
    const off = withAuth(
      async (_req, { user }) => Response.json({ user }),
      { need: 'admin' },
      async () => ({ ...settings, enabled: false }),
    );
    const ok = await off(request('POST'), undefined);
    expect(await ok.json()).toEqual({ user: { username: 'local', isAdmin: true } });
    expect((await off(request('POST', { origin: 'https://evil.example' }), undefined)).status).toBe(
      403,
    );
  });

  it('passes Next’s route context through', async () => {
    const { cookie } = await cookieFor(false);
    const route = withAuth<{ params: Promise<{ id: string }> }>(
      async (_req, _auth, { params }) => Response.json(await params),
      { need: 'viewer' },
      loadSettings,
    );
    const response = await route(request('GET', { cookie }), {
      params: Promise.resolve({ id: 'abc' }),
    });
    expect(await response.json()).toEqual({ id: 'abc' });
  });
});

describe('checkScrapeAccess', () => {
  const scrape = {
    enabled: true,
    sessionSecret: SECRET,
    metricsToken: 'scrape-token-0123456789',
    revocations,
  };
  const get = (headers: Record<string, string> = {}) =>
    new Request(`${ORIGIN}/api/metrics`, { headers });

  it('is open when no token is configured (healthz)', async () => {
    expect(await checkScrapeAccess(get(), { ...scrape, metricsToken: null }, 'default')).toBeNull();
  });

  it('for metrics, still wants a session or the token when no token is configured', async () => {
    const noToken = { ...scrape, metricsToken: null };
    const refused = await checkScrapeAccess(get(), noToken, 'default', Date.now(), true);
    expect(refused?.status).toBe(401);
    expect(refused?.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const guessed = await checkScrapeAccess(
      get({ authorization: 'Bearer anything' }),
      noToken,
      'default',
      Date.now(),
      true,
    );
    expect(guessed?.status).toBe(401);
    const { cookie } = await cookieFor(false);
    expect(
      await checkScrapeAccess(get({ cookie }), noToken, 'default', Date.now(), true),
    ).toBeNull();
    expect(
      await checkScrapeAccess(get(), { ...noToken, enabled: false }, 'default', Date.now(), true),
    ).toBeNull();
  });

  it('accepts the bearer token or a signed-in viewer, and refuses others with 401', async () => {
    expect(
      await checkScrapeAccess(
        get({ authorization: 'Bearer scrape-token-0123456789' }),
        scrape,
        'default',
      ),
    ).toBeNull();
    const { cookie } = await cookieFor(false);
    expect(await checkScrapeAccess(get({ cookie }), scrape, 'default')).toBeNull();
    const refused = await checkScrapeAccess(
      get({ authorization: 'Bearer wrong' }),
      scrape,
      'default',
    );
    expect(refused?.status).toBe(401);
    expect(refused?.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('the guards’ error path', () => {
  it('answers a withAuth handler that throws with a logged 500 carrying a request id', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const broken = withAuth(
        async () => {
          throw new Error(`database password ${SECRET} rejected`);
        },
        { need: 'viewer' },
        loadSettings,
      );
      const { cookie } = await cookieFor(false);
      const response = await broken(request('GET', { cookie }), undefined);
      expect(response.status).toBe(500);
      const body = (await response.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe('internal');
      expect(JSON.stringify(body)).not.toContain(SECRET);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0]?.[0])).toContain(`request ${body.error.requestId}:`);
    } finally {
      spy.mockRestore();
    }
  });

  it('answers a ZodError thrown in a handler with 400 and the field messages', async () => {
    const route = withAuth(
      async (req) => {
        z.object({ limit: z.coerce.number().max(5, 'at most 5') }).parse(
          Object.fromEntries(new URL(req.url).searchParams),
        );
        return Response.json({ ok: true });
      },
      { need: 'viewer' },
      loadSettings,
    );
    const { cookie } = await cookieFor(false);
    const response = await route(
      new Request(`${ORIGIN}/api/things?limit=9`, { headers: { cookie } }),
      undefined,
    );
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'bad_request', message: 'limit: at most 5' });
  });

  it('answers the metrics scrape guard’s throwing handler with the same 500', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const metrics = withMetricsAccess(
        () => {
          throw new Error('metrics exploded');
        },
        async () => settings,
      );
      const { cookie } = await cookieFor(false);
      const response = await metrics(request('GET', { cookie }), undefined);
      expect(response.status).toBe(500);
      const body = (await response.json()) as { error: { requestId: string; message: string } };
      expect(body.error.message).not.toContain('exploded');
      expect(String(spy.mock.calls[0]?.[0])).toContain(body.error.requestId);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('roles per cluster', () => {
  /** Olga is an admin on staging, a viewer on prod, and has no account on dr. */
  async function olga() {
    const { token, session } = await sealSession(
      { username: 'olga', roles: { staging: 'admin', prod: 'viewer' } },
      { secret: SECRET, ttlMs: 3_600_000 },
    );
    return {
      cookie: `${SESSION_COOKIE}=${token}`,
      [CSRF_HEADER]: session.csrf,
      origin: ORIGIN,
    };
  }
  const ran = async (_req: Request, { user }: { user: unknown }) => Response.json({ user });

  it('decides each request by the role on its own cluster', async () => {
    const headers = await olga();
    const admin = (scope: AccessScope) =>
      withAuth(ran, { need: 'admin' }, loadSettings, scope)(request('POST', headers), undefined);
    const staging = await admin('staging');
    expect(staging.status).toBe(200);
    expect(await staging.json()).toEqual({ user: { username: 'olga', isAdmin: true } });

    const prod = await admin('prod');
    expect(prod.status).toBe(403);
    expect((await errorOf(prod)).message).toMatch(/only UCP administrators/i);

    const viewerOnProd = await withAuth(
      ran,
      { need: 'viewer' },
      loadSettings,
      'prod',
    )(request('GET', headers), undefined);
    expect(await viewerOnProd.json()).toEqual({ user: { username: 'olga', isAdmin: false } });
  });

  it('refuses a cluster with no role there in a sentence, and records it', async () => {
    const headers = await olga();
    for (const need of ['viewer', 'admin'] as const) {
      const response = await withAuth(
        ran,
        { need },
        loadSettings,
        'dr',
      )(request(need === 'admin' ? 'POST' : 'GET', headers), undefined);
      expect(response.status).toBe(403);
      expect((await errorOf(response)).message).toMatch(
        /^You have no access to cluster "dr": your UCP account there/,
      );
    }
    const [last] = await auditLog.list({ limit: 1 });
    expect(last).toMatchObject({
      actor: 'olga',
      action: 'access-denied',
      detail: expect.stringContaining('no role on cluster "dr"'),
    });
  });

  it('lets anyone with a role somewhere into the console-wide routes, as a viewer only', async () => {
    const headers = await olga();
    const fleetWide = await withAuth(
      ran,
      { need: 'viewer' },
      loadSettings,
      null,
    )(request('GET', headers), undefined);
    expect(await fleetWide.json()).toEqual({ user: { username: 'olga', isAdmin: false } });
    const adminFleetWide = await withAuth(
      ran,
      { need: 'admin' },
      loadSettings,
      null,
    )(request('POST', headers), undefined);
    expect(adminFleetWide.status).toBe(403);
  });

  it("serves a cluster's metrics to a session only with a role on that cluster", async () => {
    const { cookie } = await olga();
    const metrics = (scope: AccessScope) =>
      withMetricsAccess(
        () => new Response('dtr_console_up 1'),
        loadSettings,
        scope,
      )(new Request(`${ORIGIN}/api/metrics`, { headers: { cookie } }), undefined);
    expect((await metrics('prod')).status).toBe(200);
    const dr = await metrics('dr');
    expect(dr.status).toBe(403);
    expect(await dr.text()).not.toContain('dtr_console_');
  });
});
