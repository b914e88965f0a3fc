// Who is signed in, for Server Components and pages (route handlers use withAuth in route.ts).
// The role is the one on the cluster the page is for (/c/<name>/…, or the only cluster); a fleet's
// overview and sign-in page are console-wide: a role on any cluster opens them as a viewer.
import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { LOCAL_ADMIN } from '@/lib/auth/guard';
import { loginUrl, noAccessUrl } from '@/lib/auth/request-info';
import type { AccessScope, ClusterRoles } from '@/lib/domain/access';
import { readSessionTokenFrom } from '@/lib/auth/session-cookie';
import { unsealSession, userIn, type SessionUser, type UnsealResult } from '@/lib/auth/session';
import { requestCluster } from './cluster-request';
import { getFleet } from './runtime';

/** The session behind this render, or why there is none. */
export async function currentSession(): Promise<UnsealResult | { ok: true; session: null }> {
  const settings = (await getFleet()).auth;
  if (!settings.enabled) return { ok: true, session: null };
  return unsealSession(readSessionTokenFrom(await cookies()), {
    secret: settings.sessionSecret,
    revocations: settings.revocations,
    cache: settings.sessionCache,
  });
}

/** The cluster whose role this render is decided by; null: a fleet's console-wide page. */
export async function pageScope(): Promise<AccessScope> {
  const fleet = await getFleet();
  const named = await requestCluster();
  if (named !== null) return named;
  return fleet.multi ? null : fleet.clusters[0]!.cluster;
}

/** The signed-in user as this page's cluster sees them (LOCAL_ADMIN with AUTH=off), or null. */
export async function currentUser(): Promise<SessionUser | null> {
  const result = await currentSession();
  if (!result.ok) return null;
  return result.session ? userIn(result.session, await pageScope()) : LOCAL_ADMIN;
}

/**
 * For the root layout's AuthProvider: the name and the role per cluster, so the browser decides
 * for whichever cluster it shows (the layout is not rendered again between clusters). null when
 * nobody is signed in; with AUTH=off, admin on every cluster.
 */
export async function currentRoles(): Promise<{ username: string; roles: ClusterRoles } | null> {
  const result = await currentSession();
  if (!result.ok) return null;
  if (result.session) return { username: result.session.username, roles: result.session.roles };
  const fleet = await getFleet();
  return {
    username: LOCAL_ADMIN.username,
    roles: Object.fromEntries(fleet.clusters.map((runtime) => [runtime.cluster, 'admin'])),
  };
}

/** For the root layout's `<meta name="csrf-token">`, which lib/hooks/api-fetch.ts csrfHeaders() reads. */
export async function currentCsrfToken(): Promise<string | null> {
  const result = await currentSession();
  return result.ok && result.session ? result.session.csrf : null;
}

/**
 * For pages: the user on this page's cluster, or a redirect to /login saying why (no session, or
 * no role on this cluster). Pages check `isAdmin` themselves.
 */
export async function requireUser(nextPath?: string): Promise<SessionUser> {
  const result = await currentSession();
  if (!result.ok) redirect(loginUrl(result.reason, nextPath));
  if (!result.session) return LOCAL_ADMIN;
  const scope = await pageScope();
  const user = userIn(result.session, scope);
  if (!user)
    redirect(scope === null ? loginUrl('invalid', nextPath) : noAccessUrl(scope, nextPath));
  return user;
}
