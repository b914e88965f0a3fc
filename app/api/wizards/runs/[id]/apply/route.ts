// POST /api/wizards/runs/<id>/apply — demo mode only: apply the run's command to the demo cluster
// (which validates it like the real tool and changes after a delay), then verify. 404 in live mode.
import { withAuth } from '@/lib/server/route';
import { apiError } from '@/lib/http/errors';
import type { Runtime } from '@/lib/server/runtime';
import { applyRun, type WizardActor } from '@/lib/server/services/wizards';

type Context = { params: Promise<{ id: string }> };

async function apply(_request: Request, auth: WizardActor, { params }: Context, runtime: Runtime) {
  const { id } = await params;
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id))
    return apiError(404, 'not_found', `There is no wizard run ${id.slice(0, 64)}.`);
  return Response.json({ run: await applyRun(runtime, id, auth) });
}

export const POST = withAuth(apply, { need: 'admin' });
