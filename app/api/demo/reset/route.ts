// POST /api/demo/reset — restore the demo cluster's initial topology and clear every fault.
import { audit } from '@/lib/auth/audit';
import { withAuth } from '@/lib/server/route';
import { apiError } from '@/lib/http/errors';

export const POST = withAuth(
  async (_request, { user, ip }, _context, runtime): Promise<Response> => {
    if (!runtime.demo) return apiError(404, 'not_found', 'Reset exists only in demo mode.');
    await runtime.demo.reset();
    await audit(runtime.audit, {
      actor: user.username,
      action: 'demo-reset',
      ip,
      detail: 'demo cluster reset',
    });
    return Response.json({ ok: true });
  },
  { need: 'admin' },
);
