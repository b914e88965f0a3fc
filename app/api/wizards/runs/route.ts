// GET /api/wizards/runs?limit=50&status=verifying — recent wizard runs, newest first.
// POST /api/wizards/runs — plan a join, remove or emergency repair against the live cluster;
// when no gate blocks it, persist the run with its command (201), else 409/422 with the reasons.
import { z } from 'zod';
import { CreateRunRequestSchema, WIZARD_RUN_STATUSES } from '@/lib/domain/wizards';
import { withAuth } from '@/lib/server/route';
import { readJson } from '@/lib/http/json-body';
import type { Runtime } from '@/lib/server/runtime';
import { createRun, listRuns, type WizardActor } from '@/lib/server/services/wizards';

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: z.enum(WIZARD_RUN_STATUSES).optional(),
});

async function list(
  request: Request,
  _auth: WizardActor,
  _context: unknown,
  runtime: Runtime,
): Promise<Response> {
  const query = ListQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const runs = await listRuns(runtime, query);
  return Response.json({ runs }, { headers: { 'cache-control': 'no-store' } });
}

async function create(
  request: Request,
  auth: WizardActor,
  _context: unknown,
  runtime: Runtime,
): Promise<Response> {
  const run = await createRun(runtime, CreateRunRequestSchema.parse(await readJson(request)), auth);
  return Response.json({ run }, { status: 201 });
}

export const GET = withAuth(list, { need: 'viewer' });
export const POST = withAuth(create, { need: 'admin' });
