// GET /api/alerts/preview?kind=webhook|slack|teams|alertmanager — exactly what a channel of that
// kind receives for a sample incident, firing and resolved. No channel, URL or secret involved.
import { z } from 'zod';
import { withAuth } from '@/lib/auth/guard';
import { CHANNEL_KINDS } from '@/lib/domain/alerts/channels';
import { previewOf } from '@/lib/server/alerts-admin';

const Query = z.object({
  kind: z.enum(CHANNEL_KINDS, { message: `kind must be one of ${CHANNEL_KINDS.join(', ')}` }),
});

export const GET = withAuth(
  async (request) => {
    const { kind } = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
    return Response.json(
      { kind, ...(await previewOf(kind)) },
      { headers: { 'cache-control': 'no-store' } },
    );
  },
  { need: 'viewer' },
);
