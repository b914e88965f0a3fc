// GET /api/audit?limit=100 — the audit trail, newest first (administrators only).
import { z } from 'zod';
import { getAuditLog } from '@/lib/auth/audit';
import { withAuth } from '@/lib/auth/guard';
import { apiError, describeZodError } from '@/lib/server/api-error';

const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const GET = withAuth(
  async (request) => {
    const query = AuditQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) return apiError(400, 'bad_request', describeZodError(query.error));
    const events = await getAuditLog().list({ limit: query.data.limit });
    return Response.json({ events }, { headers: { 'cache-control': 'no-store' } });
  },
  { need: 'admin' },
);
