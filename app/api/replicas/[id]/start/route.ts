// POST /api/replicas/<id>/start — EXECUTE=on only (404 otherwise): start a down replica's stopped
// dtr-* containers on its node (the advice's "bring back" step), judged on a fresh snapshot.
// Admins with the CSRF token; 200 with what was started, 409/422 with a sentence when refused.
import { withAuth } from '@/lib/server/route';
import { apiError } from '@/lib/http/errors';
import type { Runtime } from '@/lib/server/runtime';
import type { WizardActor } from '@/lib/server/services/wizards';
import { bringBackReplica, requireExecution } from '@/lib/server/services/execution';

type Context = { params: Promise<{ id: string }> };

async function start(_request: Request, auth: WizardActor, { params }: Context, runtime: Runtime) {
  requireExecution(runtime);
  const { id } = await params;
  if (!/^[0-9a-f]{12}$/.test(id))
    return apiError(422, 'unprocessable', 'A replica ID is 12 lowercase hex characters.');
  return Response.json(await bringBackReplica(runtime, id, auth), {
    headers: { 'cache-control': 'no-store' },
  });
}

export const POST = withAuth(start, { need: 'admin' });
