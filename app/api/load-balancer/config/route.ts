// GET /api/load-balancer/config?kind=haproxy|nginx|elb — a load-balancer config for the DTR replicas that exist now.
import {
  generateLbConfig,
  LbConfigError,
  LbOptionsSchema,
  lbReplicasFromStatus,
} from '@/lib/domain/lb';
import { withAuth } from '@/lib/server/route';
import { apiError } from '@/lib/http/errors';
import { getClusterStatus } from '@/lib/server/services/status';

export const GET = withAuth(
  async (request, _auth, _context, runtime): Promise<Response> => {
    const url = new URL(request.url);
    // The permalink points back at this console; a Host header we cannot write safely just leaves it a path.
    const origin = LbOptionsSchema.shape.permalinkBase.safeParse(url.origin);
    const options = LbOptionsSchema.parse({
      permalinkBase: origin.success ? origin.data : undefined,
      ...Object.fromEntries(url.searchParams),
      generatedAt: new Date().toISOString(),
    });

    const status = await getClusterStatus(runtime);
    try {
      const file = generateLbConfig(lbReplicasFromStatus(status), options);
      return new Response(file.text, {
        headers: {
          'content-type': file.contentType,
          'content-disposition': `inline; filename="${file.filename}"`,
          'cache-control': 'no-store',
        },
      });
    } catch (error) {
      // A replica the cluster reports that cannot go into a config (a hostile node name, ports an ELB cannot express).
      if (error instanceof LbConfigError) return apiError(422, 'unprocessable', error.message);
      throw error;
    }
  },
  { need: 'viewer' },
);
