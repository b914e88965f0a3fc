// Sign-in: checks UCP credentials and starts a session (cookie), behind the login limiter, with
// every outcome in the audit log; and sign-out. app/api/auth/{login,logout}/route.ts serve them.
import 'server-only';
import { z } from 'zod';
import { apiError } from '@/lib/http/errors';
import { readJson } from '@/lib/http/json-body';
import { audit } from './audit';
import { checkCsrf, checkSameOrigin } from './csrf';
import { describeWait } from './rate-limit';
import { clientIp } from './request-info';
import { sealSession, unsealSession } from './session';
import {
  clearSessionSetCookies,
  readSessionToken,
  requestIsHttps,
  sessionSetCookie,
} from './session-cookie';
import type { AuthSettings } from './settings';
import { verifyUcpLogin } from './ucp-login';

const LoginRequest = z.object({
  username: z
    .string({ message: 'enter your UCP username' })
    .trim()
    .min(1, 'enter your UCP username')
    .max(128, 'at most 128 characters')
    .regex(/^[^\s/\\?#%]+$/, 'no spaces, slashes, ?, # or %'),
  // Passwords keep their exact bytes: no trimming.
  password: z
    .string({ message: 'enter your password' })
    .min(1, 'enter your password')
    .max(1024, 'at most 1024 characters'),
});

const NO_STORE = { 'cache-control': 'no-store' };

function retryAfter(ms: number): Record<string, string> {
  return { ...NO_STORE, 'retry-after': String(Math.ceil(ms / 1000)) };
}

/**
 * POST /api/auth/login: same-origin check, the per-(user, address) limiter, UCP's verdict on the
 * password, the audit entry, and the session cookie. The route only wraps it.
 */
export async function signIn(request: Request, settings: AuthSettings): Promise<Response> {
  // Login CSRF: another site must not sign a visitor in as someone else.
  const origin = checkSameOrigin(request);
  if (!origin.ok) return apiError(403, 'forbidden', origin.message);

  if (!settings.enabled) {
    return apiError(
      409,
      'conflict',
      'Sign-in is turned off (AUTH=off): everyone here already acts as an administrator.',
    );
  }
  const { username, password } = LoginRequest.parse(await readJson(request));
  const ip = clientIp(request, settings.trustedProxies);
  const attempt = { ip, username };

  const limiter = settings.loginLimiter;
  const before = limiter.check(attempt);
  if (!before.allowed) {
    await audit(settings.audit, {
      actor: username,
      action: 'sign-in-locked',
      ip,
      detail: `refused without checking: too many failures (${before.scope})`,
    });
    return apiError(429, 'rate_limited', before.message, retryAfter(before.retryAfterMs));
  }

  const result = await verifyUcpLogin(username, password, settings.ucp);
  if (!result.ok) {
    if (result.reason !== 'invalid') {
      console.warn(`sign-in for ${JSON.stringify(username)}: ${result.detail}`);
      return result.reason === 'unavailable'
        ? apiError(503, 'unavailable', result.message, { ...NO_STORE, 'retry-after': '10' })
        : apiError(502, 'upstream_error', result.message, NO_STORE);
    }
    const after = limiter.recordFailure(attempt);
    await audit(settings.audit, {
      actor: username,
      action: 'sign-in-failed',
      ip,
      detail: result.detail,
    });
    if (!after.allowed) {
      await audit(settings.audit, {
        actor: username,
        action: 'sign-in-locked',
        ip,
        detail: `next try in ${describeWait(after.retryAfterMs)} (${after.scope})`,
      });
      return apiError(429, 'rate_limited', after.message, retryAfter(after.retryAfterMs));
    }
    const warning =
      after.remaining <= 1
        ? ` ${after.remaining} ${after.remaining === 1 ? 'attempt' : 'attempts'} left before sign-in from here slows down.`
        : '';
    return apiError(401, 'unauthorized', `${result.message}${warning}`, NO_STORE);
  }

  limiter.recordSuccess(attempt);
  const { token, session } = await sealSession(result.user, {
    secret: settings.sessionSecret,
    ttlMs: settings.sessionTtlMs,
  });
  await audit(settings.audit, {
    actor: result.user.username,
    action: 'sign-in',
    ip,
    detail: result.user.isAdmin ? 'signed in as administrator' : 'signed in as viewer',
  });
  const headers = new Headers(NO_STORE);
  headers.append('set-cookie', sessionSetCookie(token, session, requestIsHttps(request)));
  return Response.json(
    {
      user: result.user,
      csrfToken: session.csrf,
      expiresAt: new Date(session.expiresAt).toISOString(),
    },
    { headers },
  );
}

/** POST /api/auth/logout: revoke the session and clear the cookie. Works when already expired. */
export async function signOut(request: Request, settings: AuthSettings): Promise<Response> {
  const origin = checkSameOrigin(request);
  if (!origin.ok) return apiError(403, 'forbidden', origin.message);

  const result = await unsealSession(readSessionToken(request.headers.get('cookie')), {
    secret: settings.sessionSecret,
    revocations: settings.revocations,
    cache: settings.sessionCache,
  });
  if (result.ok) {
    // A live session may only be ended by its own pages (a forced sign-out is a nuisance attack).
    const csrf = checkCsrf(request, result.session.csrf);
    if (!csrf.ok) return apiError(403, 'forbidden', csrf.message);
    const shared = await settings.revocations.revoke(result.session);
    await audit(settings.audit, {
      actor: result.session.username,
      action: 'sign-out',
      ip: clientIp(request, settings.trustedProxies),
      detail: shared ? 'signed out' : 'signed out (revocation not stored: database unavailable)',
    });
  }
  const headers = new Headers(NO_STORE);
  for (const cookie of clearSessionSetCookies(requestIsHttps(request)))
    headers.append('set-cookie', cookie);
  return Response.json({ ok: true }, { headers });
}
