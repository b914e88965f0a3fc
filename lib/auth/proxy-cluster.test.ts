// The proxy's cluster routing: /c/<name>/… reaches the unprefixed route for that cluster (named in
// a request header the proxy alone sets: a client's value is dropped), unknown names and unprefixed cluster URLs in a fleet
// get a sentence, and a one-cluster console's URLs are untouched.
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from './audit';
import { CLUSTER_HEADER, handleProxy, type ProxySettings } from './proxy-handler';
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
const FLEET = { names: ['prod', 'dr'], multi: true };
const SINGLE = { names: ['default'], multi: false };

async function cookie(isAdmin: boolean) {
  const { token } = await sealSession(
    {
      username: isAdmin ? 'ada' : 'vic',
      roles: Object.fromEntries(
        [...FLEET.names, ...SINGLE.names].map((name) => [name, isAdmin ? 'admin' : 'viewer']),
      ),
    },
    { secret: SECRET, ttlMs: 3_600_000, now: Date.now() },
  );
  return `${SESSION_COOKIE}=${token}`;
}

async function get(
  path: string,
  fleet = FLEET,
  method = 'GET',
  extra: Record<string, string> = {},
) {
  const request = new NextRequest(`http://console.test${path}`, {
    method,
    headers: { cookie: await cookie(true), ...extra },
  });
  return handleProxy(request, settings, { fleet });
}

/** The cluster the route handler will see, as Next passes overridden request headers on. */
function forwardedCluster(response: Response): string | null {
  return response.headers.get(`x-middleware-request-${CLUSTER_HEADER}`);
}

/** The request headers Next hands the route or page: the others are removed. */
function forwardedHeaderNames(response: Response): string[] {
  return (response.headers.get('x-middleware-override-headers') ?? '').split(',');
}

describe('cluster routing in the proxy', () => {
  it('serves /c/<name>/api/… from the unprefixed route, naming the cluster', async () => {
    const response = await get('/c/dr/api/status?nodes=all');
    expect(response.headers.get('x-middleware-rewrite')).toBe(
      'http://console.test/api/status?nodes=all',
    );
    expect(forwardedCluster(response)).toBe('dr');
  });

  it('serves /c/<name> pages from the unprefixed page, and /c/<name> itself is its overview', async () => {
    const page = await get('/c/prod/replicas/join');
    expect(page.headers.get('x-middleware-rewrite')).toBe('http://console.test/replicas/join');
    expect(forwardedCluster(page)).toBe('prod');
    const overview = await get('/c/prod');
    expect(overview.headers.get('x-middleware-rewrite')).toBe('http://console.test/');
  });

  it('answers an unknown cluster with 404 and the names it does watch, to people signed in only', async () => {
    const api = await get('/c/staging/api/status');
    expect(api.status).toBe(404);
    expect((await api.json()).error.message).toBe(
      'This console watches no cluster named "staging"; it watches "prod", "dr".',
    );
    const anonymous = await handleProxy(
      new NextRequest('http://console.test/c/staging/api/status'),
      settings,
      { fleet: FLEET },
    );
    expect(anonymous.status).toBe(404);
    expect((await anonymous.json()).error.message).toBe(
      'This console watches no cluster named "staging".',
    );
    // A page goes to the fleet overview, which says so and lists the clusters there are.
    const page = await get('/c/staging/replicas');
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toBe('http://console.test/?unknown-cluster=staging');
  });

  it('ignores a cluster header a client sends: only the URL names the cluster', async () => {
    // Unprefixed in a fleet: asked to name a cluster, as without the header.
    const unprefixed = await get('/api/status', FLEET, 'GET', { [CLUSTER_HEADER]: 'dr' });
    expect(unprefixed.status).toBe(404);
    expect((await unprefixed.json()).error.message).toBe(
      'This console watches several clusters (prod, dr): ask /c/<name>/api/status, e.g. /c/prod/api/status.',
    );
    const unknown = await get('/api/status', FLEET, 'GET', { [CLUSTER_HEADER]: 'staging' });
    expect((await unknown.json()).error.message).toMatch(/^This console watches several clusters/);
    // A console-wide route passes, without the header.
    const fleetWide = await get('/api/fleet', FLEET, 'GET', { [CLUSTER_HEADER]: 'dr' });
    expect(fleetWide.status).toBe(200);
    expect(forwardedCluster(fleetWide)).toBeNull();
    expect(forwardedHeaderNames(fleetWide)).not.toContain(CLUSTER_HEADER);
    // A prefixed URL: the URL's cluster, not the header's.
    const prefixed = await get('/c/dr/api/status', FLEET, 'GET', { [CLUSTER_HEADER]: 'prod' });
    expect(forwardedCluster(prefixed)).toBe('dr');
    // One cluster: served as unprefixed, for the only cluster, without the header.
    const single = await get('/api/status', SINGLE, 'GET', { [CLUSTER_HEADER]: 'prod' });
    expect(single.status).toBe(200);
    expect(forwardedHeaderNames(single)).not.toContain(CLUSTER_HEADER);
    // Pages too.
    const page = await get('/replicas', SINGLE, 'GET', { [CLUSTER_HEADER]: 'prod' });
    expect(page.status).toBe(200);
    expect(forwardedHeaderNames(page)).not.toContain(CLUSTER_HEADER);
  });

  it('in a fleet, asks unprefixed cluster API calls to name a cluster and sends pages to the fleet', async () => {
    const api = await get('/api/status');
    expect(api.status).toBe(404);
    expect((await api.json()).error.message).toBe(
      'This console watches several clusters (prod, dr): ask /c/<name>/api/status, e.g. /c/prod/api/status.',
    );
    const page = await get('/replicas');
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toBe('http://console.test/');
    for (const path of ['/', '/login', '/api/fleet', '/api/healthz', '/favicon.ico'])
      expect((await get(path)).status, path).toBe(200);
  });

  it('leaves a one-cluster console as it was: unprefixed URLs, and /c/<its name>/… as well', async () => {
    const status = await get('/api/status', SINGLE);
    expect(status.status).toBe(200);
    expect(status.headers.get('x-middleware-rewrite')).toBeNull();
    expect(forwardedCluster(status)).toBeNull();
    const prefixed = await get('/c/default/replicas', SINGLE);
    expect(prefixed.headers.get('x-middleware-rewrite')).toBe('http://console.test/replicas');
    const unknown = await get('/c/prod/api/status', SINGLE);
    expect(unknown.status).toBe(404);
    expect((await get('/c/prod/replicas', SINGLE)).headers.get('location')).toBe(
      'http://console.test/',
    );
  });

  it('writes a refusal at the door to the audit log, with the cluster it was for', async () => {
    const log = new MemoryAuditLog();
    const recorded: unknown[] = [];
    const record = log.record.bind(log);
    log.record = async (event) => {
      recorded.push(event);
      return record(event);
    };
    const { token } = await sealSession(
      { username: 'olga', roles: { dr: 'admin', prod: 'viewer' } },
      { secret: SECRET, ttlMs: 3_600_000 },
    );
    const request = new NextRequest('http://console.test/c/prod/api/demo/reset', {
      method: 'POST',
      headers: { cookie: `${SESSION_COOKIE}=${token}` },
    });
    const response = await handleProxy(request, { ...settings, audit: log }, { fleet: FLEET });
    expect(response.status).toBe(403);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      actor: 'olga',
      action: 'access-denied',
      cluster: 'prod',
      detail: 'POST /api/demo/reset: needs a UCP administrator',
    });
  });

  it('checks permissions on the cluster route, not the prefixed URL', async () => {
    const viewer = new NextRequest('http://console.test/c/dr/api/audit', {
      headers: { cookie: await cookie(false) },
    });
    expect((await handleProxy(viewer, settings, { fleet: FLEET })).status).toBe(403);
  });

  describe('roles per cluster', () => {
    /** Olga: admin on "dr", viewer on "prod"; a third cluster "qa" where she has no account. */
    const THREE = { names: ['prod', 'dr', 'qa'], multi: true };
    async function olga(method: string, path: string) {
      const { token } = await sealSession(
        { username: 'olga', roles: { dr: 'admin', prod: 'viewer' } },
        { secret: SECRET, ttlMs: 3_600_000 },
      );
      const request = new NextRequest(`http://console.test${path}`, {
        method,
        headers: { cookie: `${SESSION_COOKIE}=${token}` },
      });
      return handleProxy(request, settings, { fleet: THREE });
    }

    it('lets an action through on the cluster where she is admin, not where she is a viewer', async () => {
      expect((await olga('POST', '/c/dr/api/demo/reset')).status).toBe(200);
      const prod = await olga('POST', '/c/prod/api/demo/reset');
      expect(prod.status).toBe(403);
      expect((await prod.json()).error.message).toBe(
        'Only UCP administrators of cluster "prod" can do this; you are a viewer there.',
      );
      expect((await olga('GET', '/c/dr/api/audit')).status).toBe(200);
      expect((await olga('GET', '/c/prod/api/audit')).status).toBe(403);
    });

    it('refuses every API of a cluster she has no role on, in a sentence naming it', async () => {
      for (const [method, path] of [
        ['GET', '/c/qa/api/status'],
        ['GET', '/c/qa/api/metrics'],
        ['POST', '/c/qa/api/demo/reset'],
      ] as const) {
        const response = await olga(method, path);
        expect(response.status, path).toBe(403);
        expect((await response.json()).error.message, path).toMatch(
          /^You have no access to cluster "qa": your UCP account there/,
        );
      }
    });

    it('decides by the cluster in the URL, never by one a client names in the header', async () => {
      const { token } = await sealSession(
        { username: 'olga', roles: { dr: 'admin', prod: 'viewer' } },
        { secret: SECRET, ttlMs: 3_600_000 },
      );
      const named = (method: string, path: string, cluster: string) =>
        handleProxy(
          new NextRequest(`http://console.test${path}`, {
            method,
            headers: { cookie: `${SESSION_COOKIE}=${token}`, [CLUSTER_HEADER]: cluster },
          }),
          settings,
          { fleet: THREE },
        );
      // Naming "dr", where she is admin, does not make her one on prod or qa.
      expect((await named('POST', '/c/prod/api/demo/reset', 'dr')).status).toBe(403);
      expect((await named('GET', '/c/qa/api/status', 'dr')).status).toBe(403);
      // Naming "qa", where she has no role, does not lock her out of the fleet overview.
      expect((await named('GET', '/api/fleet', 'qa')).status).toBe(200);
    });

    it('sends her from a page of that cluster to the sign-in page, which says why', async () => {
      const page = await olga('GET', '/c/qa/replicas?x=1');
      expect(page.status).toBe(303);
      const location = new URL(page.headers.get('location')!);
      expect(location.pathname).toBe('/login');
      expect(Object.fromEntries(location.searchParams)).toEqual({
        reason: 'no-access',
        cluster: 'qa',
        next: '/c/qa/replicas?x=1',
      });
      // Her own clusters' pages and the console-wide ones open.
      for (const path of ['/c/prod/replicas', '/c/dr/replicas', '/', '/api/fleet'])
        expect((await olga('GET', path)).status, path).toBe(200);
    });

    it('in a one-cluster console, a role on that cluster opens its unprefixed URLs, none does not', async () => {
      const single = { names: ['prod'], multi: false };
      const as = async (roles: Record<string, 'admin' | 'viewer'>, path: string) => {
        const { token } = await sealSession(
          { username: 'olga', roles },
          { secret: SECRET, ttlMs: 3_600_000 },
        );
        const request = new NextRequest(`http://console.test${path}`, {
          headers: { cookie: `${SESSION_COOKIE}=${token}` },
        });
        return handleProxy(request, settings, { fleet: single });
      };
      expect((await as({ prod: 'viewer' }, '/api/status')).status).toBe(200);
      expect((await as({ prod: 'admin' }, '/api/audit')).status).toBe(200);
      expect((await as({ prod: 'viewer' }, '/api/audit')).status).toBe(403);
      // A cookie that names only another cluster (e.g. the console was reconfigured).
      expect((await as({ staging: 'admin' }, '/api/status')).status).toBe(403);
    });
  });
});
