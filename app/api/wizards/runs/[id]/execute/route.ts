// POST /api/wizards/runs/<id>/execute — EXECUTE=on only (404 otherwise): run the run's planned
// step through the cluster's Docker API (or the demo cluster), after every gate is checked again
// on a fresh snapshot. Body: { password, confirm? }. 202 with the run and its execution; the step
// goes on in the background (GET …/execution/events streams it). 409/422 with a sentence when refused.
import { withAuth } from '@/lib/server/route';
import { apiError } from '@/lib/http/errors';
import { readJson } from '@/lib/http/json-body';
import type { Runtime } from '@/lib/server/runtime';
import type { WizardActor } from '@/lib/server/services/wizards';
import {
  ExecuteRequestSchema,
  executeRun,
  requireExecution,
} from '@/lib/server/services/execution';

type Context = { params: Promise<{ id: string }> };

async function execute(request: Request, auth: WizardActor, { params }: Context, runtime: Runtime) {
  requireExecution(runtime);
  const { id } = await params;
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id))
    return apiError(404, 'not_found', `There is no wizard run ${id.slice(0, 64)}.`);
  const body = ExecuteRequestSchema.parse(await readJson(request));
  const result = await executeRun(runtime, id, body, auth);
  return Response.json(result, { status: 202, headers: { 'cache-control': 'no-store' } });
}

export const POST = withAuth(execute, { need: 'admin' });
