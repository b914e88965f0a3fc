// POST /api/wizards/runs/<id>/execution/release — EXECUTE=on only: an administrator frees the
// cluster's execution slot held by this run's execution when nobody watches it any more (its
// console stopped and the engine cannot say how it ended). Audited; the outcome stays unknown.
import { withAuth } from '@/lib/server/route';
import { apiError } from '@/lib/http/errors';
import type { Runtime } from '@/lib/server/runtime';
import type { WizardActor } from '@/lib/server/services/wizards';
import { executionView, releaseExecution, requireExecution } from '@/lib/server/services/execution';

type Context = { params: Promise<{ id: string }> };

async function release(
  _request: Request,
  auth: WizardActor,
  { params }: Context,
  runtime: Runtime,
) {
  requireExecution(runtime);
  const { id } = await params;
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id))
    return apiError(404, 'not_found', `There is no wizard run ${id.slice(0, 64)}.`);
  const who = { username: auth.user.username, ip: auth.ip };
  const record = await releaseExecution(runtime, id, who);
  if (!record)
    return apiError(
      409,
      'conflict',
      'This run holds no execution slot: there is nothing to release.',
    );
  if (record.status !== 'unknown')
    return apiError(
      409,
      'conflict',
      record.status === 'orphaned'
        ? `Its container still runs${record.node ? ` on ${record.node}` : ''}: the slot is released once it has ended and its outcome is recorded, not before.`
        : `The step is ${record.status} on console ${record.instance}, which still watches it; it cannot be released while it does.`,
    );
  return Response.json({ execution: executionView(record) });
}

export const POST = withAuth(release, { need: 'admin' });
