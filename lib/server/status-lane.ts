// The status lane: GET /api/status (and /c/<name>/api/status) answered at the HTTP server, before
// Next, when the answer is the plain one: the same gate (session, role on the cluster, the
// permission table) and the same bytes, ETag and headers as proxy.ts + app/api/status/route.ts.
// Anything else — a query, no session or a refused one, a fleet's unprefixed URL, no snapshot yet,
// a document too big to send plain, any error — goes on to Next unchanged, which answers it
// (401/403 with its audit entry, 404, gzip, the first poll) exactly as before.
//
// Why: Next spends about 2.4 ms of CPU and some 350 kB of garbage on every answer (its proxy and
// route machinery, web streams, async context); on the 2,000-node bench, 200 browsers asking once
// a second kept a core half busy and the garbage collector's pauses set the p99 (10–130 ms from run
// to run). Answered here, the same document costs a few hundredths of that (README, "Latest
// figures"). Installed once per process by instrumentation.ts, like refuse-methods.ts.
import 'server-only';
import http from 'node:http';
import { authorize, type Role } from '@/lib/auth/permissions';
import { scrapeFlags } from '@/lib/auth/metrics-token';
import { API_CONTENT_SECURITY_POLICY, securityHeaders } from '@/lib/auth/security-headers';
import { RequestCookies } from 'next/dist/server/web/spec-extension/cookies';
import { forwardedHttps, readSessionToken, readSessionTokenFrom } from '@/lib/auth/session-cookie';
import { unsealSession, userIn } from '@/lib/auth/session';
import { roleIn } from '@/lib/domain/access';
import { splitClusterPath } from '@/lib/domain/cluster-path';
import type { Fleet } from './runtime';
import { interceptRequests } from './intercept-requests';
import { scopeOf } from './route';
import {
  matchesIfNoneMatch,
  PLAIN_BELOW_BYTES,
  servedEncodingOf,
  statusHeaders,
} from './services/status';

const STATUS_PATH = '/api/status';

/** What the lane reads of a request (an http.IncomingMessage is one). */
export interface LaneRequest {
  method?: string | undefined;
  url?: string | undefined;
  headers: http.IncomingHttpHeaders;
  /** A TLS socket has `encrypted: true`. */
  socket?: object | null;
}

export interface LaneAnswer {
  status: 200 | 304;
  headers: Record<string, string>;
  /** null for a 304. */
  body: Uint8Array | null;
}

/** Cheap first look, for every request the server sees: could this be the lane's? */
export function mayBeStatusRequest(method: string | undefined, url: string | undefined): boolean {
  return (
    method === 'GET' &&
    url !== undefined &&
    (url === STATUS_PATH || (url.startsWith('/c/') && url.endsWith(STATUS_PATH)))
  );
}

function header(req: LaneRequest, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? null);
}

/**
 * The lane's answer to `req`, or null: let Next answer. Mirrors handleProxy (lib/auth/proxy-handler)
 * and checkRequest (lib/auth/guard) for a GET of the status, allowing only what both allow.
 */
export async function statusLaneAnswer(
  req: LaneRequest,
  fleet: Fleet,
  now = Date.now(),
): Promise<LaneAnswer | null> {
  if (!mayBeStatusRequest(req.method, req.url)) return null;
  // No query, no percent-encoding, no dot segments: only the one spelling both paths agree on.
  const url = req.url as string;
  if (/[?#%]|\/\.\.?(\/|$)/.test(url)) return null;
  const { cluster, rest } = splitClusterPath(url);
  if (rest !== STATUS_PATH) return null;
  // A fleet's unprefixed API answers 404 with the URLs to use; an unknown name 404 too: Next's.
  const runtime =
    cluster === null ? (fleet.multi ? undefined : fleet.clusters[0]) : fleet.get(cluster);
  if (!runtime) return null;
  const scope = scopeOf(cluster, runtime);

  const auth = fleet.auth;
  let role: Role = 'admin';
  if (auth.enabled) {
    // The proxy reads cookies with Next's parser (the last of a repeated name, values decoded),
    // the route with ours (the first): an answer needs both to name the same token.
    const cookie = header(req, 'cookie');
    const token = readSessionToken(cookie);
    const proxyToken = readSessionTokenFrom(
      new RequestCookies(new Headers(cookie === null ? {} : { cookie })),
    );
    if (token === undefined || token !== proxyToken) return null;
    const session = await unsealSession(token, {
      secret: auth.sessionSecret,
      revocations: auth.revocations,
      cache: auth.sessionCache,
      now,
    });
    if (!session.ok || userIn(session.session, scope) === null) return null;
    role = roleIn(session.session.roles, scope) ?? 'none';
  }
  // The permission table, as the proxy consults it (the scrape flags do not apply to this path,
  // but are worked out the same way so that a change to the table cannot open the lane wider).
  const flags = scrapeFlags(header(req, 'authorization'), auth);
  if (authorize(role, 'GET', STATUS_PATH, flags) !== 'allow') return null;

  // Before the first poll the route waits for one: Next's to do.
  const snapshot = runtime.monitor.latest();
  if (!snapshot) return null;
  const encoded = servedEncodingOf(snapshot, runtime);
  // A big document is gzipped by Next (statusCacheControl): not the lane's.
  if (encoded.bytes.length >= PLAIN_BELOW_BYTES) return null;

  // HTTPS as requestIsHttps reads it from the URL Next builds (an encrypted socket, or "https"
  // anywhere in X-Forwarded-Proto: router-utils/resolve-routes.js) or from the header's first
  // value in any case.
  const encrypted = (req.socket as { encrypted?: unknown } | null | undefined)?.encrypted === true;
  const forwarded = header(req, 'x-forwarded-proto');
  const https = encrypted || (forwarded ?? '').includes('https') || forwardedHttps(forwarded);
  const headers = {
    ...securityHeaders({ https }),
    'content-security-policy': API_CONTENT_SECURITY_POLICY,
    ...statusHeaders(encoded),
  };
  if (matchesIfNoneMatch(header(req, 'if-none-match'), encoded.etag))
    return { status: 304, headers, body: null };
  return {
    status: 200,
    headers: { ...headers, 'content-length': String(encoded.bytes.length) },
    body: encoded.bytes,
  };
}

const INSTALLED = Symbol.for('dtr-ha-console.status-lane');

/** Set on servers of this process that are not the console (the demo cluster's members). */
export const NOT_THE_CONSOLE = Symbol.for('dtr-ha-console.not-the-console');

/**
 * The console's own server: the one on the port Next listens on (it sets PORT once listening),
 * never a demo member's, whatever path a client asks one for.
 */
export function isConsoleServer(server: http.Server, port = process.env.PORT): boolean {
  if ((server as http.Server & { [NOT_THE_CONSOLE]?: boolean })[NOT_THE_CONSOLE]) return false;
  const address = server.address();
  return port !== undefined && typeof address === 'object' && String(address?.port) === port;
}

/**
 * Offers every GET of the status on the console's server to the lane first, and hands it to the
 * server's own listeners (Next) when the lane declines or fails. Until `fleet()` has a fleet
 * (start-up), everything goes to Next.
 */
export function installStatusLane(
  fleet: () => Fleet | null,
  log: (line: string) => void = console.error,
): void {
  interceptRequests(INSTALLED, (server, request, response, next) => {
    const current = fleet();
    if (current === null || !mayBeStatusRequest(request.method, request.url)) return false;
    if (!isConsoleServer(server)) return false;
    const onToNext = () => {
      if (!response.headersSent && !response.destroyed) next();
    };
    statusLaneAnswer(request, current).then(
      (answer) => {
        if (answer === null) return onToNext();
        try {
          response.writeHead(answer.status, answer.headers);
          response.end(answer.body ?? undefined);
        } catch (error) {
          log(
            `DTR HA Console: status lane: ${error instanceof Error ? error.message : String(error)}`,
          );
          if (!response.headersSent) onToNext();
          else response.destroy();
        }
      },
      (error: unknown) => {
        log(
          `DTR HA Console: status lane: ${error instanceof Error ? error.message : String(error)}; answered by Next`,
        );
        onToNext();
      },
    );
    return true;
  });
}
