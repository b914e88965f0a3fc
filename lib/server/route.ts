// The route wrappers every handler uses, bound to the runtime: each request is checked against
// the fleet's auth settings, and the handler is handed the runtime of the cluster the request is
// for (the proxy names it in CLUSTER_HEADER for /c/<name>/api/…; otherwise the first cluster).
//   export const POST = withAuth(async (request, { user }, { params }, runtime) => ..., { need: 'admin' })
import 'server-only';
import { guards } from '@/lib/auth/guard';
import { ApiError } from '@/lib/http/errors';
import { CLUSTER_HEADER } from './cluster-request';
import { getRuntime, UnknownClusterError, type Runtime } from './runtime';

export const { withAuth, withScrapeAccess, withMetricsAccess } = guards<Runtime>(
  async (request) => {
    const runtime = await runtimeFor(request);
    return { settings: runtime.auth, env: runtime };
  },
);

async function runtimeFor(request: Request): Promise<Runtime> {
  try {
    return await getRuntime(request.headers.get(CLUSTER_HEADER));
  } catch (error) {
    if (error instanceof UnknownClusterError) throw new ApiError(404, 'not_found', error.message);
    throw error;
  }
}
