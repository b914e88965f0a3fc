// PATCH /api/alerts/channels/<id> — change name, url, secret, minSeverity or enabled.
// DELETE /api/alerts/channels/<id> — remove it. Channels from ALERT_CHANNELS_FILE answer 409.
import { audit } from '@/lib/auth/audit';
import { withAuth } from '@/lib/server/route';
import { readJson } from '@/lib/http/json-body';
import {
  deleteChannel,
  UpdateChannelSchema,
  updateChannel,
} from '@/lib/server/services/alerts-admin';

type Ctx = { params: Promise<{ id: string }> };

export const PATCH = withAuth<Ctx>(
  async (request, { user, ip }, { params }, runtime) => {
    const patch = UpdateChannelSchema.parse(await readJson(request));
    const channel = await updateChannel(runtime, (await params).id, patch);
    const changed = Object.keys(patch).join(', ') || 'nothing';
    await audit(runtime.audit, {
      actor: user.username,
      action: 'alert-channel-changed',
      ip,
      detail: `channel "${channel.name}": ${changed}${patch.enabled !== undefined ? ` (now ${patch.enabled ? 'on' : 'off'})` : ''}`,
    });
    return Response.json({ channel });
  },
  { need: 'admin' },
);

export const DELETE = withAuth<Ctx>(
  async (_request, { user, ip }, { params }, runtime) => {
    const channel = await deleteChannel(runtime, (await params).id);
    await audit(runtime.audit, {
      actor: user.username,
      action: 'alert-channel-deleted',
      ip,
      detail: `${channel.kind} channel "${channel.name}" to ${channel.url}`,
    });
    return Response.json({ channel });
  },
  { need: 'admin' },
);
