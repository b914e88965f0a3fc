// What proxy.ts does for every request: apply the permission table (pages go to /login, the API
// answers 401/403), then add the security headers and, for pages, a fresh CSP nonce.
// Route handlers still check for themselves (withAuth): this is the first gate, not the only one.
import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { DEFAULT_CLUSTER, isFleetPath, splitClusterPath } from '@/lib/domain/cluster-path';
import { apiError } from '@/lib/http/errors';
import { scrapeFlags } from './metrics-token';
import { authorize, isSafe, type Role } from './permissions';
import { clientIp, loginUrl, noAccessUrl } from './request-info';
import { adminOnlyMessage, noAccessMessage, roleIn, type AccessScope } from '@/lib/domain/access';
import { audit } from './audit';
import {
  API_CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  newNonce,
  securityHeaders,
} from './security-headers';
import { readSessionTokenFrom, requestIsHttps } from './session-cookie';
import { unsealSession, type UnsealResult } from './session';
import type { AuthSettings } from './settings';

export type ProxySettings = Pick<
  AuthSettings,
  'enabled' | 'sessionSecret' | 'metricsToken' | 'revocations' | 'sessionCache'
> &
  Partial<Pick<AuthSettings, 'audit' | 'trustedProxies'>>;

export interface ProxyOptions {
  dev?: boolean;
  now?: number;
  /** The clusters this console watches; absent: one cluster, today's URLs only. */
  fleet?: { names: readonly string[]; multi: boolean };
}

/** Set by the proxy for /c/<name>/… (lib/server/cluster-request.ts reads it); clients' values go. */
export const CLUSTER_HEADER = 'x-console-cluster';

type Refusal = Exclude<UnsealResult, { ok: true }>['reason'];

const API_MESSAGES: Record<Refusal, string> = {
  missing: 'Sign in to continue.',
  expired: 'Your session expired. Sign in again.',
  invalid: 'Your session is no longer valid. Sign in again.',
};

function withHeaders<R extends Response>(response: R, headers: Record<string, string>): R {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** The path to come back to after signing in, without Next's internal RSC cache-buster. */
function returnPath(request: NextRequest): string {
  const url = request.nextUrl.clone();
  url.searchParams.delete('_rsc');
  return `${url.pathname}${url.search}`;
}

export async function handleProxy(
  request: NextRequest,
  settings: ProxySettings,
  options: ProxyOptions = {},
): Promise<Response> {
  const https = requestIsHttps(request);
  const session = settings.enabled
    ? await unsealSession(readSessionTokenFrom(request.cookies), {
        secret: settings.sessionSecret,
        revocations: settings.revocations,
        cache: settings.sessionCache,
        ...(options.now !== undefined ? { now: options.now } : {}),
      })
    : null;
  const route = clusterRoute(request, options.fleet, session === null || session.ok);
  if (route.refusal) return withHeaders(route.refusal, securityHeaders({ https }));
  const { pathname, cluster } = route;
  const api = pathname === '/api' || pathname.startsWith('/api/');
  const scope = accessScope(cluster, options.fleet);

  let role: Role = 'admin';
  let refusal: Refusal = 'missing';
  let username = 'local';
  if (session) {
    role = session.ok ? (roleIn(session.session.roles, scope) ?? 'none') : 'anonymous';
    if (session.ok) username = session.session.username;
    else refusal = session.reason;
  }
  const decision = authorize(
    role,
    request.method,
    pathname,
    scrapeFlags(request.headers.get('authorization'), settings),
  );
  const headers = securityHeaders({ https });

  if (decision !== 'allow') {
    if (!api && isSafe(request.method) && decision === 'unauthenticated') {
      const target = new URL(loginUrl(refusal, returnPath(request)), request.url);
      return withHeaders(NextResponse.redirect(target, 303), headers);
    }
    // A page of a cluster the person has no role on: the sign-in page says why, in a sentence.
    if (!api && isSafe(request.method) && decision === 'no-access' && scope !== null) {
      const target = new URL(noAccessUrl(scope, returnPath(request)), request.url);
      return withHeaders(NextResponse.redirect(target, 303), headers);
    }
    const message =
      decision === 'unauthenticated'
        ? API_MESSAGES[refusal]
        : decision === 'no-access'
          ? noAccessMessage(scope ?? 'this console')
          : adminOnlyMessage(scope);
    // A signed-in person refused here never reaches the route's guard: the log has it from here.
    if (decision !== 'unauthenticated' && settings.audit) {
      await audit(settings.audit, {
        actor: username,
        action: 'access-denied',
        ip: clientIp(request, settings.trustedProxies ?? 0),
        detail: `${request.method} ${pathname}: ${decision === 'no-access' ? `no role on cluster "${scope ?? 'this console'}"` : 'needs a UCP administrator'}`,
        ...(scope !== null ? { cluster: scope } : {}),
      });
    }
    const refused =
      decision === 'unauthenticated'
        ? apiError(401, 'unauthorized', message)
        : apiError(403, 'forbidden', message);
    return withHeaders(refused, {
      ...headers,
      'content-security-policy': API_CONTENT_SECURITY_POLICY,
      'cache-control': 'no-store',
    });
  }

  // Only the URL names the cluster: a value a client sent never reaches the route or the page.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.delete(CLUSTER_HEADER);
  if (cluster !== null) requestHeaders.set(CLUSTER_HEADER, cluster);
  const pass = () => {
    if (pathname === request.nextUrl.pathname)
      return NextResponse.next({ request: { headers: requestHeaders } });
    // On the request's own origin, as Next received it: nextUrl says "localhost" for 127.0.0.1,
    // and a rewrite to another origin is proxied over HTTP to this same server (a second trip
    // through the proxy, and at most 256 open streams) instead of served in place.
    const url = new URL(`${pathname}${request.nextUrl.search}`, request.url);
    return NextResponse.rewrite(url, { request: { headers: requestHeaders } });
  };
  if (api) {
    return withHeaders(pass(), {
      ...headers,
      'content-security-policy': API_CONTENT_SECURITY_POLICY,
    });
  }
  // Next reads the policy from the request to put the nonce on its own scripts.
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: options.dev ?? false, https });
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  return withHeaders(pass(), { ...headers, 'content-security-policy': csp });
}

/**
 * The cluster whose role decides: the one the URL names; for an unprefixed URL the only cluster of
 * a one-cluster console, or (fleet) null: the console-wide routes, open to a role on any cluster.
 */
export function accessScope(cluster: string | null, fleet: ProxyOptions['fleet']): AccessScope {
  if (cluster !== null) return cluster;
  if (fleet?.multi) return null;
  return fleet?.names[0] ?? DEFAULT_CLUSTER;
}

type ClusterRoute =
  | { refusal: null; pathname: string; cluster: string | null }
  | { refusal: Response; pathname?: never; cluster?: never };

/**
 * /c/<name>/… is cluster <name>'s page or API, served by the unprefixed route. In a fleet, an
 * unprefixed cluster page goes to the fleet overview and an unprefixed cluster API answers 404
 * with the URLs to use; an unknown name is a 404 that lists the clusters.
 */
function clusterRoute(
  request: NextRequest,
  fleet: ProxyOptions['fleet'],
  signedIn: boolean,
): ClusterRoute {
  const { pathname } = request.nextUrl;
  const { cluster, rest } = splitClusterPath(pathname);
  const names = fleet?.names ?? [];
  const api = rest === '/api' || rest.startsWith('/api/');
  // The names of the clusters are for people who have signed in.
  const listed = (text: string) => (signedIn ? text : '');
  if (cluster !== null) {
    if (fleet && !names.includes(cluster)) {
      if (!api && isSafe(request.method)) {
        // The fleet overview says so, with the clusters there are.
        const overview = new URL('/', request.url);
        if (fleet.multi) overview.searchParams.set('unknown-cluster', cluster);
        return { refusal: NextResponse.redirect(overview, 307) };
      }
      const message = `This console watches no cluster named "${cluster}"${listed(`; it watches ${names.map((name) => `"${name}"`).join(', ')}`)}.`;
      return { refusal: apiError(404, 'not_found', message) };
    }
    return { refusal: null, pathname: rest, cluster };
  }
  if (!fleet?.multi || isFleetPath(pathname)) return { refusal: null, pathname, cluster: null };
  if (api) {
    return {
      refusal: apiError(
        404,
        'not_found',
        `This console watches several clusters${listed(` (${names.join(', ')})`)}: ask /c/<name>${pathname}${listed(`, e.g. /c/${names[0] ?? 'name'}${pathname}`)}.`,
      ),
    };
  }
  if (!isSafe(request.method)) return { refusal: apiError(404, 'not_found', 'No such page.') };
  return { refusal: NextResponse.redirect(new URL('/', request.url), 307) };
}
