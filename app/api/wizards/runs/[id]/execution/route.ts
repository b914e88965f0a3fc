// GET /api/wizards/runs/<id>/execution?after=<seq> — EXECUTE=on only (404 otherwise): where steps
// run, the confirmation the run needs, its latest execution and the log lines after `after`.
import { z } from 'zod';
import { withAuth } from '@/lib/server/route';
import { apiError } from '@/lib/http/errors';
import type { Runtime } from '@/lib/server/runtime';
import { getExecution } from '@/lib/server/services/execution';

type Context = { params: Promise<{ id: string }> };
const Query = z.object({ after: z.coerce.number().int().min(0).max(1e9).default(0) });

async function read(request: Request, _auth: unknown, { params }: Context, runtime: Runtime) {
  const { id } = await params;
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id))
    return apiError(404, 'not_found', `There is no wizard run ${id.slice(0, 64)}.`);
  const { after } = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await getExecution(runtime, id, after), {
    headers: { 'cache-control': 'no-store' },
  });
}

export const GET = withAuth(read, { need: 'viewer' });
