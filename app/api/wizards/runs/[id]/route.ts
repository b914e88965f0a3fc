// GET /api/wizards/runs/<id> — a run, with its verification computed from the live status.
// PATCH /api/wizards/runs/<id> — { step } to move on, or { action: "ran" | "verify" | "cancel" }.
import { z } from 'zod';
import { withAuth } from '@/lib/server/route';
import { apiError } from '@/lib/http/errors';
import { readJson } from '@/lib/http/json-body';
import type { Runtime } from '@/lib/server/runtime';
import { getRun, updateRun, type WizardActor } from '@/lib/server/services/wizards';

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

async function read(_request: Request, _auth: WizardActor, { params }: Context, runtime: Runtime) {
  const { id } = await params;
  if (!RUN_ID.test(id)) return notFound(id);
  const run = await getRun(runtime, id);
  if (!run) return notFound(id);
  return Response.json({ run }, { headers: { 'cache-control': 'no-store' } });
}

async function patch(request: Request, auth: WizardActor, { params }: Context, runtime: Runtime) {
  const { id } = await params;
  if (!RUN_ID.test(id)) return notFound(id);
  const change = RunPatch.parse(await readJson(request));
  return Response.json({ run: await updateRun(runtime, id, change, auth) });
}

export const GET = withAuth(read, { need: 'viewer' });
export const PATCH = withAuth(patch, { need: 'admin' });
