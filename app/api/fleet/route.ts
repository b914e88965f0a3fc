// GET /api/fleet — one row per cluster this console watches, worst first (lib/domain/fleet.ts).
import { withAuth } from '@/lib/server/route';
import { fleetDocument } from '@/lib/server/services/fleet';

export const GET = withAuth(
  (_request, _auth, _context, runtime) =>
    Response.json(fleetDocument(runtime.fleet), { headers: { 'cache-control': 'no-store' } }),
  { need: 'viewer' },
);
