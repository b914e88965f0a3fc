// GET /api/status — the latest snapshot with warnings (contract: DESIGN.md §5).
import { withAuth } from '@/lib/auth/guard';
import { statusResponse } from '@/lib/server/status';

export const GET = withAuth((request) => statusResponse(request), { need: 'viewer' });
