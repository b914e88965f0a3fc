// POST /api/alerts/channels/<id>/test — sends a sample incident to the channel now and says
// whether it arrived (the channel's last error or last delivery is updated either way).
import { audit } from '@/lib/auth/audit';
import { withAuth } from '@/lib/server/route';
import { testChannel } from '@/lib/server/services/alerts-admin';

type Ctx = { params: Promise<{ id: string }> };

export const POST = withAuth<Ctx>(
  async (_request, { user, ip }, { params }, runtime) => {
    const result = await testChannel(runtime, (await params).id);
    await audit(runtime.audit, {
      actor: user.username,
      action: 'alert-channel-tested',
      ip,
      detail: `channel "${result.channel.name}": ${result.ok ? `delivered (${result.attempts} attempt${result.attempts === 1 ? '' : 's'})` : `failed: ${result.error ?? 'unknown'}`}`,
    });
    return Response.json(result);
  },
  { need: 'admin' },
);
