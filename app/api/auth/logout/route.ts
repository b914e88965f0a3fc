// POST /api/auth/logout — end the session: revoke it and clear the cookie. Works when already expired.
import { audit } from '@/lib/auth/audit';
import { checkCsrf, checkSameOrigin } from '@/lib/auth/csrf';
import { clientIp } from '@/lib/auth/request-info';
import { revokeSession, unsealSession } from '@/lib/auth/session';
import {
  clearSessionSetCookies,
  readSessionToken,
  requestIsHttps,
} from '@/lib/auth/session-cookie';
import { getAuthSettings } from '@/lib/auth/settings';
import { apiError, withErrors } from '@/lib/http/errors';

async function signOut(request: Request): Promise<Response> {
  const origin = checkSameOrigin(request);
  if (!origin.ok) return apiError(403, 'forbidden', origin.message);

  const settings = await getAuthSettings();
  const result = await unsealSession(readSessionToken(request.headers.get('cookie')), {
    secret: settings.sessionSecret,
  });
  if (result.ok) {
    // A live session may only be ended by its own pages (a forced sign-out is a nuisance attack).
    const csrf = checkCsrf(request, result.session.csrf);
    if (!csrf.ok) return apiError(403, 'forbidden', csrf.message);
    const shared = await revokeSession(result.session);
    await audit({
      actor: result.session.username,
      action: 'sign-out',
      ip: clientIp(request, settings.trustedProxies),
      detail: shared ? 'signed out' : 'signed out (revocation not stored: database unavailable)',
    });
  }
  const headers = new Headers({ 'cache-control': 'no-store' });
  for (const cookie of clearSessionSetCookies(requestIsHttps(request)))
    headers.append('set-cookie', cookie);
  return Response.json({ ok: true }, { headers });
}

export const POST = withErrors(signOut);
