// POST /api/demo/faults — inject a fault into a demo cluster member (demo mode only).
import { z } from 'zod';
import { FAULT_KINDS } from '@/lib/demo/faults';
import { audit } from '@/lib/auth/audit';
import { withAuth } from '@/lib/server/route';
import { apiError } from '@/lib/http/errors';
import { readJson } from '@/lib/http/json-body';

const FaultRequest = z.object({
  target: z.string().trim().min(1, 'name a replica ID or node hostname').max(253),
  kind: z.enum(FAULT_KINDS, { message: `kind must be one of: ${FAULT_KINDS.join(', ')}` }),
});

export const POST = withAuth(
  async (request, { user, ip }, _context, runtime): Promise<Response> => {
    if (!runtime.demo)
      return apiError(404, 'not_found', 'Fault injection exists only in demo mode.');
    const { target, kind } = FaultRequest.parse(await readJson(request));
    try {
      await runtime.demo.setFault(target, kind);
    } catch (error) {
      return apiError(400, 'bad_request', error instanceof Error ? error.message : String(error));
    }
    await audit(runtime.audit, {
      actor: user.username,
      action: 'demo-fault',
      ip,
      detail: `${kind} on ${target}`,
    });
    return Response.json({ ok: true, target, kind });
  },
  { need: 'admin' },
);
