// GET /api/auth/me — who is signed in, and the CSRF token their mutating requests must carry.
import { withAuth } from '@/lib/server/route';

export const GET = withAuth(
  async (_request, { user, session }) =>
    Response.json(
      {
        user,
        csrfToken: session?.csrf ?? null,
        expiresAt: session ? new Date(session.expiresAt).toISOString() : null,
        // false with AUTH=off: the UI must say loudly that nobody is checked.
        authEnabled: session !== null,
      },
      { headers: { 'cache-control': 'no-store' } },
    ),
  { need: 'viewer' },
);
