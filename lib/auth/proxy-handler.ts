// What proxy.ts does for every request: apply the permission table (pages go to /login, the API
// answers 401/403), then add the security headers and, for pages, a fresh CSP nonce.
// Route handlers still check for themselves (withAuth): this is the first gate, not the only one.
import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { apiError } from '@/lib/http/errors';
import { tokensMatch } from './csrf';
import { authorize, isSafe, roleOf, type Role } from './permissions';
import { loginUrl } from './request-info';
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
>;

export interface ProxyOptions {
  dev?: boolean;
  now?: number;
}

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
  const { pathname } = request.nextUrl;
  const https = requestIsHttps(request);
  const api = pathname === '/api' || pathname.startsWith('/api/');

  let role: Role = 'admin';
  let refusal: Refusal = 'missing';
  if (settings.enabled) {
    const session = await unsealSession(readSessionTokenFrom(request.cookies), {
      secret: settings.sessionSecret,
      revocations: settings.revocations,
      cache: settings.sessionCache,
      ...(options.now !== undefined ? { now: options.now } : {}),
    });
    role = session.ok ? roleOf(session.session) : 'anonymous';
    if (!session.ok) refusal = session.reason;
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  const metricsTokenValid =
    settings.metricsToken !== null &&
    bearer !== undefined &&
    tokensMatch(bearer, settings.metricsToken);
  const scrapeAllowed = !settings.enabled || !settings.metricsToken || metricsTokenValid;
  const decision = authorize(role, request.method, pathname, {
    scrapeAllowed,
    metricsTokenValid,
  });
  const headers = securityHeaders({ https });

  if (decision !== 'allow') {
    if (!api && isSafe(request.method) && decision === 'unauthenticated') {
      const target = new URL(loginUrl(refusal, returnPath(request)), request.url);
      return withHeaders(NextResponse.redirect(target, 303), headers);
    }
    const refused =
      decision === 'unauthenticated'
        ? apiError(401, 'unauthorized', API_MESSAGES[refusal])
        : apiError(
            403,
            'forbidden',
            'Only UCP administrators can do this; you are signed in as a viewer.',
          );
    return withHeaders(refused, {
      ...headers,
      'content-security-policy': API_CONTENT_SECURITY_POLICY,
      'cache-control': 'no-store',
    });
  }

  if (api) {
    return withHeaders(NextResponse.next(), {
      ...headers,
      'content-security-policy': API_CONTENT_SECURITY_POLICY,
    });
  }
  // Next reads the policy from the request to put the nonce on its own scripts.
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: options.dev ?? false, https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  return withHeaders(response, { ...headers, 'content-security-policy': csp });
}
