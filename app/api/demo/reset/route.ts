// POST /api/demo/reset — restore the demo cluster's initial topology and clear every fault.
import { apiError } from '@/lib/server/api-error';
import { getRuntime } from '@/lib/server/runtime';

export async function POST(): Promise<Response> {
  const runtime = await getRuntime();
  if (!runtime.demo) return apiError(404, 'not_found', 'Reset exists only in demo mode.');
  await runtime.demo.reset();
  return Response.json({ ok: true });
}
