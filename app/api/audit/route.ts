// GET /api/audit?limit=100 — the audit trail, newest first (administrators only).
import { z } from 'zod';
import { getAuditLog } from '@/lib/auth/audit';
import { withAuth } from '@/lib/auth/guard';

const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const GET = withAuth(
  async (request) => {
    const query = AuditQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
    const events = await getAuditLog().list({ limit: query.limit });
    return Response.json({ events }, { headers: { 'cache-control': 'no-store' } });
  },
  { need: 'admin' },
);
