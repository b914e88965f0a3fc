// GET /api/events — Server-Sent Events: `snapshot` (the GET /api/status document) on connect and
// on every change, `pulse` (times and latencies) on quiet polls. Browsers never cause a probe.
import { withAuth } from '@/lib/server/route';
import { untilSessionEnds } from '@/lib/auth/session-watch';
import { EVENT_STREAM_HEADERS } from '@/lib/http/event-stream';
import { getClusterStatus } from '@/lib/server/services/status';

export const GET = withAuth(
  async (request, { session }, _context, runtime) => {
    await getClusterStatus(runtime); // the first snapshot, right after a start
    const { broadcaster } = runtime;
    // The stream ends with the session (expiry, or a sign-out anywhere, checked every second):
    // the browser's reconnect then meets the sign-in check.
    const stream = broadcaster.stream(
      untilSessionEnds(request.signal, session, runtime.auth.revocations),
      {
        closeAt: session?.expiresAt,
      },
    );
    return new Response(stream, { headers: EVENT_STREAM_HEADERS });
  },
  { need: 'viewer' },
);
