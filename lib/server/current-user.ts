// Who is signed in, for Server Components and pages (route handlers use withAuth in route.ts).
import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { LOCAL_ADMIN } from '@/lib/auth/guard';
import { loginUrl } from '@/lib/auth/request-info';
import { readSessionTokenFrom } from '@/lib/auth/session-cookie';
import { unsealSession, type SessionUser, type UnsealResult } from '@/lib/auth/session';
import { getRuntime } from './runtime';

/** The session behind this render, or why there is none. */
export async function currentSession(): Promise<UnsealResult | { ok: true; session: null }> {
  const settings = (await getRuntime()).auth;
  if (!settings.enabled) return { ok: true, session: null };
  return unsealSession(readSessionTokenFrom(await cookies()), {
    secret: settings.sessionSecret,
    revocations: settings.revocations,
    cache: settings.sessionCache,
  });
}

/** The signed-in user (LOCAL_ADMIN with AUTH=off), or null. */
export async function currentUser(): Promise<SessionUser | null> {
  const result = await currentSession();
  if (!result.ok) return null;
  return result.session
    ? { username: result.session.username, isAdmin: result.session.isAdmin }
    : LOCAL_ADMIN;
}

/** For the root layout's `<meta name="csrf-token">`, which lib/hooks/api-fetch.ts csrfHeaders() reads. */
export async function currentCsrfToken(): Promise<string | null> {
  const result = await currentSession();
  return result.ok && result.session ? result.session.csrf : null;
}

/** For pages: the user, or a redirect to /login saying why. Pages check `isAdmin` themselves. */
export async function requireUser(nextPath?: string): Promise<SessionUser> {
  const result = await currentSession();
  if (!result.ok) redirect(loginUrl(result.reason, nextPath));
  return result.session
    ? { username: result.session.username, isAdmin: result.session.isAdmin }
    : LOCAL_ADMIN;
}
