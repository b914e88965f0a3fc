// GET /api/nodes — the full node inventory, filtered, sorted and paged (README: "GET /api/nodes").
import { withAuth } from '@/lib/server/route';
import { nodesResponse } from '@/lib/server/services/nodes';

export const GET = withAuth(
  (request, _auth, _context, runtime) => nodesResponse(request, runtime),
  { need: 'viewer' },
);
