// GET /api/wizards/runs/<id> — a run, with its verification computed from the live status.
// PATCH /api/wizards/runs/<id> — { step } to move on, or { action: "ran" | "verify" | "cancel" }.
import { z } from 'zod';
import { apiError, describeZodError, readJson } from '@/lib/server/api-error';
import { withAuth } from '@/lib/auth/guard';
import { getRun, updateRun, wizardErrorResponse, type WizardActor } from '@/lib/server/wizards';

type Context = { params: Promise<{ id: string }> };

const RUN_ID = /^[A-Za-z0-9-]{1,64}$/;

const RunPatch = z
  .strictObject({
    step: z.string().min(1).max(32).optional(),
    action: z
      .enum(['ran', 'verify', 'cancel'], { message: 'action must be one of: ran, verify, cancel' })
      .optional(),
  })
  .refine((patch) => (patch.step === undefined) !== (patch.action === undefined), {
    message: 'send either a step or an action',
  });

const notFound = (id: string) =>
  apiError(404, 'not_found', `There is no wizard run ${id.slice(0, 64)}.`);

async function read(_request: Request, _auth: WizardActor, { params }: Context) {
  const { id } = await params;
  if (!RUN_ID.test(id)) return notFound(id);
  try {
    const run = await getRun(id);
    if (!run) return notFound(id);
    return Response.json({ run }, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return wizardErrorResponse(error);
  }
}

async function patch(request: Request, auth: WizardActor, { params }: Context) {
  const { id } = await params;
  if (!RUN_ID.test(id)) return notFound(id);
  const body = await readJson(request);
  if (!body.ok) return body.response;
  const parsed = RunPatch.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'bad_request', describeZodError(parsed.error));
  try {
    return Response.json({ run: await updateRun(id, parsed.data, auth) });
  } catch (error) {
    return wizardErrorResponse(error);
  }
}

export const GET = withAuth(read, { need: 'viewer' });
export const PATCH = withAuth(patch, { need: 'admin' });
