// GET /api/history?from&to&series — sampled series and state changes over a time range.
// from/to: ISO times, "now" or relative (-6h, -30m, -7d); to defaults to now, from to 6 h before
// to; at most 90 days. series: comma list of healthy, margin, latency, managers, events (default all).
import { historyQuerySchema } from '@/lib/domain/history';
import { withAuth } from '@/lib/server/route';
import { readHistory } from '@/lib/server/services/history-read';

export const GET = withAuth(
  async (request, _auth, _context, runtime): Promise<Response> => {
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const history = await readHistory(runtime.store, historyQuerySchema(Date.now()).parse(params));
    return Response.json(history, { headers: { 'cache-control': 'no-store' } });
  },
  { need: 'viewer' },
);
