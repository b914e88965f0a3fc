// GET /api/alerts/channels — channels as shown (URL masked, no secret); admins only.
// POST /api/alerts/channels — add one: {name, kind, url, secret?, minSeverity?, enabled?}.
import { audit } from '@/lib/auth/audit';
import { withAuth } from '@/lib/auth/guard';
import { readJson } from '@/lib/http/json-body';
import { CreateChannelSchema, createChannel, listChannelViews } from '@/lib/server/alerts-admin';

export const GET = withAuth(
  async () =>
    Response.json(
      { channels: await listChannelViews() },
      { headers: { 'cache-control': 'no-store' } },
    ),
  { need: 'admin' },
);

export const POST = withAuth(
  async (request, { user, ip }) => {
    const channel = await createChannel(CreateChannelSchema.parse(await readJson(request)));
    await audit({
      actor: user.username,
      action: 'alert-channel-created',
      ip,
      detail: `${channel.kind} channel "${channel.name}" to ${channel.url} (${channel.minSeverity} and worse)`,
    });
    return Response.json({ channel }, { status: 201 });
  },
  { need: 'admin' },
);
