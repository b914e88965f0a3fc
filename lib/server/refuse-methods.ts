// TRACE and TRACK are forbidden methods in the Fetch standard: the Request that Next builds for
// proxy.ts throws on them ("'TRACE' HTTP method is unsupported"), so an anonymous TRACE got a 500
// and a stack trace in the log before any of the console's code ran. Answer them 405 at the
// HTTP server, before Next sees them. Installed once per process by instrumentation.ts.
import http from 'node:http';
import { securityHeaders } from '@/lib/auth/security-headers';

export const REFUSED_METHODS: ReadonlySet<string> = new Set(['TRACE', 'TRACK']);

const INSTALLED = Symbol.for('dtr-ha-console.refuse-methods');
type Patched = typeof http.Server.prototype & { [INSTALLED]?: boolean };

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

/** Wraps http.Server's "request" event for every server in this process, present or future. */
export function refuseForbiddenMethods(): void {
  const proto = http.Server.prototype as Patched;
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const emit = proto.emit as (
    this: http.Server,
    event: string | symbol,
    ...args: unknown[]
  ) => boolean;
  proto.emit = function patchedEmit(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      if (REFUSED_METHODS.has((request.method ?? '').toUpperCase())) {
        refuse(response);
        return true;
      }
    }
    return emit.call(this, event, ...args);
  } as typeof proto.emit;
}
