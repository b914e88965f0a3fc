// GET /api/fleet — one row per cluster this console watches, worst first (lib/domain/fleet.ts);
// only the clusters where the caller has a role (lib/domain/access.ts visibleTo).
import { visibleTo } from '@/lib/domain/access';
import { withAuth } from '@/lib/server/route';
import { fleetDocument } from '@/lib/server/services/fleet';

export const GET = withAuth(
  (_request, { session }, _context, runtime) => {
    const document = fleetDocument(runtime.fleet);
    const clusters = visibleTo(document.clusters, session?.roles ?? null);
    return Response.json(
      { ...document, clusters, withoutAccess: document.clusters.length - clusters.length },
      { headers: { 'cache-control': 'no-store' } },
    );
  },
  { need: 'viewer' },
);
