// GET /api/auth/me — who is signed in, their role per cluster, and the CSRF token their mutating
// requests must carry. `user.isAdmin` is about the cluster asked (/c/<name>/api/auth/me, or the
// only cluster); `roles` lists every cluster where they have one (null with AUTH=off); `execute`
// says whether this console runs steps on that cluster itself (EXECUTE=on), and who may.
import { withAuth } from '@/lib/server/route';

export const GET = withAuth(
  async (_request, { user, session }, _context, runtime) =>
    Response.json(
      {
        user,
        roles: session?.roles ?? null,
        csrfToken: session?.csrf ?? null,
        expiresAt: session ? new Date(session.expiresAt).toISOString() : null,
        // false with AUTH=off: the UI must say loudly that nobody is checked.
        authEnabled: session !== null,
        // EXECUTE=on for this cluster: where steps run, and whether this person may run them.
        execute: runtime.execution
          ? { where: runtime.execution.driver.where, mayExecute: user.isAdmin }
          : null,
      },
      { headers: { 'cache-control': 'no-store' } },
    ),
  { need: 'viewer' },
);
