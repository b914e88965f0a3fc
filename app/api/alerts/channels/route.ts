// GET /api/alerts/channels — channels as shown (URL masked, no secret); admins only.
// POST /api/alerts/channels — add one: {name, kind, url, secret?, minSeverity?, enabled?}.
import { audit } from '@/lib/auth/audit';
import { withAuth } from '@/lib/server/route';
import { readJson } from '@/lib/http/json-body';
import {
  CreateChannelSchema,
  createChannel,
  listChannelViews,
} from '@/lib/server/services/alerts-admin';

export const GET = withAuth(
  async (_request, _auth, _context, runtime) =>
    Response.json(
      { channels: await listChannelViews(runtime) },
      { headers: { 'cache-control': 'no-store' } },
    ),
  { need: 'admin' },
);

export const POST = withAuth(
  async (request, { user, ip }, _context, runtime) => {
    const channel = await createChannel(
      runtime,
      CreateChannelSchema.parse(await readJson(request)),
    );
    await audit(runtime.audit, {
      actor: user.username,
      action: 'alert-channel-created',
      ip,
      detail: `${channel.kind} channel "${channel.name}" to ${channel.url} (${channel.minSeverity} and worse)`,
    });
    return Response.json({ channel }, { status: 201 });
  },
  { need: 'admin' },
);
