// GET /api/auth/me — who is signed in, their role per cluster, and the CSRF token their mutating
// requests must carry. `user.isAdmin` is about the cluster asked (/c/<name>/api/auth/me, or the
// only cluster); `roles` lists every cluster where they have one (null with AUTH=off).
import { withAuth } from '@/lib/server/route';

export const GET = withAuth(
  async (_request, { user, session }) =>
    Response.json(
      {
        user,
        roles: session?.roles ?? null,
        csrfToken: session?.csrf ?? null,
        expiresAt: session ? new Date(session.expiresAt).toISOString() : null,
        // false with AUTH=off: the UI must say loudly that nobody is checked.
        authEnabled: session !== null,
      },
      { headers: { 'cache-control': 'no-store' } },
    ),
  { need: 'viewer' },
);
