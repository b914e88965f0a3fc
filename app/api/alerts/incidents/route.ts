// GET /api/alerts/incidents?limit=100 — incidents, newest first, each with where it was delivered
// (and what failed), plus the timing in force. Viewers may read it.
import { z } from 'zod';
import { withAuth } from '@/lib/server/route';
import { alertingSettings, listIncidentViews } from '@/lib/server/services/alerts-admin';

const Query = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export const GET = withAuth(
  async (request, _auth, _context, runtime) => {
    const { limit } = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
    const [incidents, settings] = await Promise.all([
      listIncidentViews(runtime, limit),
      alertingSettings(runtime),
    ]);
    return Response.json({ incidents, settings }, { headers: { 'cache-control': 'no-store' } });
  },
  { need: 'viewer' },
);
