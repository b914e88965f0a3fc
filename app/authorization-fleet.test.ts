// The authorization matrix in a fleet (DEMO_CLUSTERS=2: "prod" and "dr"), where a role is per
// cluster: every route handler and page, through the real proxy handler and the route guards,
// for people whose role differs between clusters. olga is an admin on "dr" and a viewer on
// "prod"; pat is a viewer on "prod" and has no account on "dr".
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authorize, requiredAccess, type Decision } from '@/lib/auth/permissions';
import { CLUSTER_HEADER, handleProxy } from '@/lib/auth/proxy-handler';
import { roleIn, type AccessScope, type ClusterRoles } from '@/lib/domain/access';
import { isFleetPath } from '@/lib/domain/cluster-path';
import type { FleetDocument } from '@/lib/domain/fleet';
import { signedInHeaders } from '@/test/support/auth';
import { pagePaths, routeContext, routeFiles, routeHandlers } from '@/test/support/routes';

vi.stubEnv('DEMO_CLUSTERS', '2');
const { getFleet, shutdownRuntime } = await import('@/lib/server/runtime');

const PEOPLE: Record<string, ClusterRoles> = {
  olga: { dr: 'admin', prod: 'viewer' },
  pat: { prod: 'viewer' },
};

const routes = routeFiles();
const pages = pagePaths();

let secret: string;
let names: string[];

beforeAll(async () => {
  const fleet = await getFleet();
  secret = fleet.sessionSecret;
  names = fleet.clusters.map((runtime) => runtime.cluster);
  // Polls only when a test says so.
  for (const runtime of fleet.clusters) runtime.monitor.stop();
});

afterAll(async () => {
  await shutdownRuntime();
  vi.unstubAllEnvs();
});

/** Where a route lives in a fleet: console-wide routes unprefixed, the others per cluster. */
function scopesOf(urlPath: string): AccessScope[] {
  return isFleetPath(urlPath) ? [null] : names;
}

function decisionFor(person: string, scope: AccessScope, method: string, urlPath: string) {
  const role = roleIn(PEOPLE[person]!, scope) ?? 'none';
  return authorize(role, method, urlPath, { scrapeAllowed: true });
}

function expectCell(status: number, decision: Decision, cell: string) {
  if (decision === 'unauthenticated') expect(status, cell).toBe(401);
  else if (decision === 'forbidden' || decision === 'no-access') expect(status, cell).toBe(403);
  else {
    expect(status, cell).not.toBe(401);
    expect(status, cell).not.toBe(403);
    expect(status, cell).toBeLessThan(500);
  }
}

describe('fleet authorization matrix: route handlers, per cluster', () => {
  it('runs on a fleet of two clusters', () => {
    expect(names).toEqual(['prod', 'dr']);
    expect(routes.map((route) => route.urlPath)).toEqual(
      expect.arrayContaining(['/api/status', '/api/fleet', '/api/wizards/runs/matrix-test-id']),
    );
  });

  for (const { file, urlPath } of routes) {
    for (const person of Object.keys(PEOPLE)) {
      it(`${urlPath} as ${person}`, async () => {
        const handlers = await routeHandlers(file);
        for (const scope of scopesOf(urlPath)) {
          for (const { method, handler } of handlers) {
            const unsafe = method !== 'GET';
            const headers: Record<string, string> = {
              ...(await signedInHeaders({ username: person, roles: PEOPLE[person]! }, secret)),
              ...(unsafe ? { 'content-type': 'application/json' } : {}),
              // What the proxy sets for /c/<name>/api/…
              ...(scope !== null ? { [CLUSTER_HEADER]: scope } : {}),
            };
            const request = new Request(`http://console.test${urlPath}`, {
              method,
              headers,
              ...(unsafe ? { body: '{}' } : {}),
            });
            const response = await handler(request, routeContext());
            const decision = decisionFor(person, scope, method, urlPath);
            const cell = `${method} ${urlPath} on ${scope ?? '(fleet)'} as ${person} (${requiredAccess(method, urlPath)})`;
            expectCell(response.status, decision, cell);
            if (decision === 'no-access') {
              const body = (await response.json()) as { error: { message: string } };
              expect(body.error.message, cell).toMatch(
                new RegExp(`^You have no access to cluster "${scope}"`),
              );
            } else await response.body?.cancel().catch(() => undefined);
          }
        }
      });
    }
  }
});

describe('fleet authorization matrix: through the proxy', () => {
  async function throughProxy(person: string, method: string, url: string): Promise<Response> {
    const fleet = await getFleet();
    const { cookie = '' } = await signedInHeaders(
      { username: person, roles: PEOPLE[person]! },
      secret,
    );
    return handleProxy(
      new NextRequest(`http://console.test${url}`, { method, headers: { cookie } }),
      fleet.auth,
      {
        fleet: { names, multi: true },
      },
    );
  }

  it('decides every API route on each cluster by the role there', async () => {
    for (const { urlPath } of routes) {
      for (const person of Object.keys(PEOPLE)) {
        for (const scope of scopesOf(urlPath)) {
          for (const method of ['GET', 'POST'] as const) {
            const url = scope === null ? urlPath : `/c/${scope}${urlPath}`;
            const response = await throughProxy(person, method, url);
            const decision = decisionFor(person, scope, method, urlPath);
            expectCell(response.status, decision, `${method} ${url} as ${person}`);
          }
        }
      }
    }
  });

  it('opens each page on the clusters with a role, and explains the others on the sign-in page', async () => {
    expect(pages).toEqual(expect.arrayContaining(['/', '/login', '/audit', '/replicas']));
    for (const page of pages) {
      for (const person of Object.keys(PEOPLE)) {
        for (const scope of scopesOf(page)) {
          const url = scope === null ? page : `/c/${scope}${page === '/' ? '' : page}`;
          const response = await throughProxy(person, 'GET', url);
          const decision = decisionFor(person, scope, 'GET', page);
          const cell = `GET ${url} as ${person}`;
          if (decision === 'allow') expect(response.status, cell).toBe(200);
          else {
            expect(decision, cell).toBe('no-access');
            expect(response.status, cell).toBe(303);
            const location = new URL(response.headers.get('location')!);
            expect(location.pathname, cell).toBe('/login');
            expect(location.searchParams.get('reason'), cell).toBe('no-access');
            expect(location.searchParams.get('cluster'), cell).toBe(scope);
          }
        }
      }
    }
    // The cells above include both verdicts.
    expect(decisionFor('pat', 'dr', 'GET', '/replicas')).toBe('no-access');
    expect(decisionFor('olga', 'dr', 'GET', '/replicas')).toBe('allow');
  });
});

describe('the fleet overview per person', () => {
  it('lists only the clusters where the person has a role', async () => {
    const { GET } = (await import('./api/fleet/route')) as {
      GET: (request: Request, context: unknown) => Promise<Response>;
    };
    const rowsFor = async (person: string) => {
      const headers = await signedInHeaders({ username: person, roles: PEOPLE[person]! }, secret);
      const response = await GET(new Request('http://console.test/api/fleet', { headers }), {});
      expect(response.status).toBe(200);
      const document = (await response.json()) as FleetDocument;
      return {
        names: document.clusters.map((row) => row.name).sort(),
        withoutAccess: document.withoutAccess,
      };
    };
    expect(await rowsFor('olga')).toEqual({ names: ['dr', 'prod'], withoutAccess: 0 });
    // Counted, never shown: the overview says there is one more cluster, not what it holds.
    expect(await rowsFor('pat')).toEqual({ names: ['prod'], withoutAccess: 1 });
  });
});
