// A DTR replica's HTTP routes (DESIGN.md §2), and a content cache's.
import { contentCaches, dtrClusterStatus, dtrPing, dtrSettings } from './payloads-dtr';
import {
  errors,
  isRead,
  json,
  text,
  type DemoContext,
  type DemoRequest,
  type DemoResponse,
} from './wire';

function notFound(): DemoResponse {
  return errors(404, 'NOT_FOUND', 'the requested resource was not found');
}

export function routeDtr(ctx: DemoContext, replicaId: string, request: DemoRequest): DemoResponse {
  const { model } = ctx;
  if (!isRead(request)) return errors(405, 'METHOD_NOT_ALLOWED', 'method not allowed');
  if (request.path === '/_ping' || request.path === '/health') {
    const ping = dtrPing(model, replicaId);
    return json(ping.status, ping.body);
  }
  if (!request.path.startsWith('/api/v0/')) return notFound();

  const user = ctx.auth.basicUser(request.authorization);
  if (!user) {
    return errors(401, 'NOT_AUTHENTICATED', 'The client is not authenticated.', {
      'WWW-Authenticate': 'Basic realm="DTR"',
    });
  }
  if (request.path === '/api/v0/content_caches') return json(200, contentCaches(model));
  const meta: Record<string, () => unknown> = {
    '/api/v0/meta/settings': () => dtrSettings(model, replicaId),
    '/api/v0/meta/cluster_status': () => dtrClusterStatus(model, replicaId),
  };
  const build = meta[request.path];
  if (!build) return notFound();
  if (!user.isAdmin) return errors(403, 'NOT_AUTHORIZED', 'The client is not authorized.');
  return json(200, build());
}

/** A DTR content cache answers the registry API base like any registry: 401 until you log in. */
export function routeCache(ctx: DemoContext, hostname: string, request: DemoRequest): DemoResponse {
  if (!isRead(request) || (request.path !== '/v2/' && request.path !== '/v2')) return notFound();
  const headers = { 'Docker-Distribution-Api-Version': 'registry/2.0' };
  if (ctx.model.faultOf(hostname) === 'error') {
    return errors(503, 'UNAVAILABLE', 'service unavailable: storage backend unreachable', headers);
  }
  return errors(401, 'UNAUTHORIZED', 'authentication required', {
    ...headers,
    'WWW-Authenticate': `Bearer realm="http://${ctx.model.dtrHost}/auth/token",service="${ctx.model.dtrHost}"`,
  });
}

/** What HAProxy answers when no server of the backend passes its health check. */
export const NO_SERVER_BODY =
  '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n';

/**
 * The HA cache's load balancer: it forwards to the replicas that pass its health check (`GET
 * /v2/`, 200 or 401), so it answers as a cache while one replica serves, and 503 once none does.
 */
export function routeCacheLb(
  ctx: DemoContext,
  _target: string,
  request: DemoRequest,
): DemoResponse {
  const serving = ctx.model.haCacheNodes.find((node) => ctx.model.cacheServes(node.hostname));
  if (!serving) return text(503, NO_SERVER_BODY, 'text/html');
  return routeCache(ctx, serving.hostname, request);
}
