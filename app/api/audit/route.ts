// GET /api/audit?actor&action&outcome&from&to&limit&before|after — the audit trail, newest first,
// one page at a time (administrators only). Filters as on the /audit page; `older` and `newer`
// are the cursors of the pages either side.
import { AuditQuerySchema } from '@/lib/auth/audit';
import { withAuth } from '@/lib/server/route';

export const GET = withAuth(
  async (request, _auth, _context, runtime) => {
    const query = AuditQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const page = await runtime.audit.query(query);
    return Response.json(page, { headers: { 'cache-control': 'no-store' } });
  },
  { need: 'admin' },
);
