// GET /api/wizards/runs/<id>/execution/events — EXECUTE=on only: Server-Sent Events of the run's
// execution: `line` (id = seq; Last-Event-ID resumes), `state`, then `end` once it has finished.
import { withAuth } from '@/lib/server/route';
import { apiError } from '@/lib/http/errors';
import { untilSessionEnds } from '@/lib/auth/session-watch';
import { EVENT_STREAM_HEADERS } from '@/lib/http/event-stream';
import { executionStream, requireExecution } from '@/lib/server/services/execution';

type Context = { params: Promise<{ id: string }> };

export const GET = withAuth(
  async (request, { session }, { params }: Context, runtime) => {
    requireExecution(runtime);
    const { id } = await params;
    if (!/^[A-Za-z0-9-]{1,64}$/.test(id))
      return apiError(404, 'not_found', `There is no wizard run ${id.slice(0, 64)}.`);
    if (!(await runtime.wizardRuns.get(id)))
      return apiError(404, 'not_found', `There is no wizard run ${id}.`);
    const signal = untilSessionEnds(request.signal, session, runtime.auth.revocations);
    const stream = executionStream(runtime, id, signal, request.headers.get('last-event-id'));
    return new Response(stream, { headers: EVENT_STREAM_HEADERS });
  },
  { need: 'viewer' },
);
