// GET /api/events — Server-Sent Events, each with `id: <seq>`: `snapshot` (the GET /api/status
// document) on connect, then `patch` (RFC 6902 from the previous seq) on each change and `pulse`
// (times and latencies) on quiet polls. `Last-Event-ID` (the browser's own reconnect) resumes
// without a snapshot when the console still knows that seq. Browsers never cause a probe.
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
        lastEventId: request.headers.get('last-event-id'),
      },
    );
    return new Response(stream, { headers: EVENT_STREAM_HEADERS });
  },
  { need: 'viewer' },
);
