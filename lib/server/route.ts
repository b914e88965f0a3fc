// The route wrappers every handler uses, bound to the runtime: each request is checked against
// the fleet's auth settings for the cluster it is for, and the handler is handed that cluster's
// runtime (the proxy names it in CLUSTER_HEADER for /c/<name>/api/…; otherwise the first cluster).
// The caller's role is the one they have on that cluster; a fleet's console-wide routes
// (unprefixed, e.g. /api/fleet) let in anyone with a role on some cluster, as a viewer.
//   export const POST = withAuth(async (request, { user }, { params }, runtime) => ..., { need: 'admin' })
import 'server-only';
import { guards } from '@/lib/auth/guard';
import type { AccessScope } from '@/lib/domain/access';
import { ApiError } from '@/lib/http/errors';
import { CLUSTER_HEADER } from './cluster-request';
import { getRuntime, UnknownClusterError, type Runtime } from './runtime';

export const { withAuth, withScrapeAccess, withMetricsAccess } = guards<Runtime>(
  async (request) => {
    const named = request.headers.get(CLUSTER_HEADER);
    const runtime = await runtimeFor(named);
    return { settings: runtime.auth, env: runtime, scope: scopeOf(named, runtime) };
  },
);

/** The cluster whose role decides: the named one, the only one, or (fleet, unnamed) none. */
export function scopeOf(named: string | null, runtime: Runtime): AccessScope {
  if (named) return runtime.cluster;
  return runtime.fleet.multi ? null : runtime.cluster;
}

async function runtimeFor(named: string | null): Promise<Runtime> {
  try {
    return await getRuntime(named);
  } catch (error) {
    if (error instanceof UnknownClusterError) throw new ApiError(404, 'not_found', error.message);
    throw error;
  }
}
