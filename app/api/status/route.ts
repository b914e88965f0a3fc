// GET /api/status — the latest snapshot with warnings (contract: DESIGN.md §5).
import { withAuth } from '@/lib/server/route';
import { statusResponse } from '@/lib/server/services/status';

export const GET = withAuth(
  (request, _auth, _context, runtime) => statusResponse(request, runtime),
  { need: 'viewer' },
);
