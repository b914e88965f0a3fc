// GET /api/alerts/preview?kind=webhook|slack|teams|alertmanager — exactly what a channel of that
// kind receives for a sample incident, firing and resolved. No channel, URL or secret involved.
import { z } from 'zod';
import { withAuth } from '@/lib/server/route';
import { CHANNEL_KINDS } from '@/lib/domain/alerts/channels';
import { previewOf } from '@/lib/server/services/alerts-admin';

const Query = z.object({
  kind: z.enum(CHANNEL_KINDS, { message: `kind must be one of ${CHANNEL_KINDS.join(', ')}` }),
});

export const GET = withAuth(
  async (request, _auth, _context, runtime) => {
    const { kind } = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
    return Response.json(
      { kind, ...(await previewOf(runtime, kind)) },
      { headers: { 'cache-control': 'no-store' } },
    );
  },
  { need: 'viewer' },
);
