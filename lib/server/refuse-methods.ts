// TRACE and TRACK are forbidden methods in the Fetch standard: the Request that Next builds for
// proxy.ts throws on them ("'TRACE' HTTP method is unsupported"), so an anonymous TRACE got a 500
// and a stack trace in the log before any of the console's code ran. Answer them 405 at the
// HTTP server, before Next sees them. Installed once per process by instrumentation.ts.
import http from 'node:http';
import { securityHeaders } from '@/lib/auth/security-headers';
import { interceptRequests } from './intercept-requests';

export const REFUSED_METHODS: ReadonlySet<string> = new Set(['TRACE', 'TRACK']);

const INSTALLED = Symbol.for('dtr-ha-console.refuse-methods');

/** Answers a refused method: 405, JSON like every API error, no echo of the request. */
export function refuse(response: http.ServerResponse): void {
  const body = JSON.stringify({
    error: { code: 'method_not_allowed', message: 'This method is not allowed.' },
  });
  response.writeHead(405, {
    ...securityHeaders({ https: false }),
    allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    connection: 'close',
  });
  response.end(body);
}

/** Refuses TRACE and TRACK at every server of this process, present or future. */
export function refuseForbiddenMethods(): void {
  interceptRequests(INSTALLED, (_server, request, response) => {
    if (!REFUSED_METHODS.has((request.method ?? '').toUpperCase())) return false;
    refuse(response);
    return true;
  });
}
