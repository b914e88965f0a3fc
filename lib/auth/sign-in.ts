// Sign-in: checks UCP credentials and starts a session (cookie), behind the login limiter, with
// every outcome in the audit log; and sign-out. app/api/auth/{login,logout}/route.ts serve them.
import 'server-only';
import { z } from 'zod';
import { apiError } from '@/lib/http/errors';
import { readJson } from '@/lib/http/json-body';
import { audit } from './audit';
import { checkCsrf, checkSameOrigin } from './csrf';
import { describeWait, retryAfterHeader } from './rate-limit';
import { clientIp } from './request-info';
import type { ClusterRole } from '@/lib/domain/access';
import { sealSession, unsealSession, userIn } from './session';
import {
  clearSessionSetCookies,
  readSessionToken,
  requestIsHttps,
  sessionSetCookie,
} from './session-cookie';
import type { AuthSettings } from './settings';
import { DEFAULT_LOGIN_TIMEOUT_MS, verifyUcpLogin, type UcpLoginResult } from './ucp-login';

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
  return { ...NO_STORE, ...retryAfterHeader(ms) };
}

/**
 * POST /api/auth/login: same-origin check, the per-(user, address) limiter, every cluster's UCP's
 * verdict on the password (asked at once), the audit entry, and the session cookie with the role
 * per cluster. Sign-in succeeds when one UCP accepts; a cluster whose UCP refused has no role, and
 * one whose UCP did not answer neither, which the answer's `notices` say. A one-cluster console
 * answers as before. The route only wraps it.
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

  if (settings.ucp.length === 0) {
    return apiError(503, 'unavailable', 'No cluster of this console has a UCP to check passwords.');
  }
  const checked = await checkEveryUcp(username, password, settings);
  const accepted = checked.filter((entry) => entry.result.ok);
  const refused = checked.filter((entry) => !entry.result.ok && entry.result.reason === 'invalid');
  const one = checked.length === 1;

  if (accepted.length === 0) {
    const firstProblem = checked.find((entry) => !entry.result.ok)?.result;
    // No UCP said "wrong password": nothing was checked, so nothing counts against the limit.
    if (refused.length === 0 && firstProblem && !firstProblem.ok) {
      for (const { cluster, result } of checked)
        if (!result.ok)
          console.warn(
            `sign-in for ${JSON.stringify(username)} on cluster "${cluster}": ${result.detail}`,
          );
      const unavailable = checked.some((e) => !e.result.ok && e.result.reason === 'unavailable');
      const message = one ? firstProblem.message : noUcpAnswered(checked, unavailable);
      return unavailable
        ? apiError(503, 'unavailable', message, { ...NO_STORE, 'retry-after': '10' })
        : apiError(502, 'upstream_error', message, NO_STORE);
    }
    // At least one UCP refused the password: a guess was checked, and counts.
    const after = limiter.recordFailure(attempt);
    await audit(settings.audit, {
      actor: username,
      action: 'sign-in-failed',
      ip,
      detail: one ? detailOf(checked[0]!.result) : perCluster(checked),
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
    const silent = checked.filter((entry) => !entry.result.ok && entry.result.reason !== 'invalid');
    const unchecked =
      silent.length > 0
        ? ` (${silent.map((entry, i) => `${i === 0 ? 'The' : 'the'} UCP of cluster "${entry.cluster}"`).join(' and ')} did not answer, so ${silent.length === 1 ? 'it' : 'they'} could not check.)`
        : '';
    return apiError(
      401,
      'unauthorized',
      `${refusedMessage(refused)}${unchecked}${warning}`,
      NO_STORE,
    );
  }

  limiter.recordSuccess(attempt);
  const roles: Record<string, ClusterRole> = {};
  for (const { cluster, result } of accepted)
    if (result.ok) roles[cluster] = result.user.isAdmin ? 'admin' : 'viewer';
  // UCP's spelling of the name, from the first cluster (in configured order) that accepted it.
  const first = accepted[0]!.result;
  const name = first.ok ? first.user.username : username;
  const grant = { username: name, roles };
  const { token, session } = await sealSession(grant, {
    secret: settings.sessionSecret,
    ttlMs: settings.sessionTtlMs,
  });
  const notices = checked.flatMap(({ cluster, result }) => {
    if (result.ok || result.reason === 'invalid') return [];
    console.warn(`sign-in for ${JSON.stringify(name)} on cluster "${cluster}": ${result.detail}`);
    return [
      `Signed in; the UCP of cluster "${cluster}" did not answer, so you have no access there until you sign in again.`,
    ];
  });
  const user = userIn(grant, one ? checked[0]!.cluster : null);
  await audit(settings.audit, {
    actor: name,
    action: 'sign-in',
    ip,
    detail: one
      ? roles[checked[0]!.cluster] === 'admin'
        ? 'signed in as administrator'
        : 'signed in as viewer'
      : `signed in: ${perCluster(checked)}`,
  });
  const headers = new Headers(NO_STORE);
  headers.append('set-cookie', sessionSetCookie(token, session, requestIsHttps(request)));
  return Response.json(
    {
      user,
      roles,
      notices,
      csrfToken: session.csrf,
      expiresAt: new Date(session.expiresAt).toISOString(),
    },
    { headers },
  );
}

interface Checked {
  cluster: string;
  result: UcpLoginResult;
}

/** Every cluster's UCP at once, each with its own timeout: a hanging one holds nobody else back. */
function checkEveryUcp(
  username: string,
  password: string,
  settings: AuthSettings,
): Promise<Checked[]> {
  return Promise.all(
    settings.ucp.map(async ({ cluster, ...target }) => ({
      cluster,
      result: await verifyUcpLogin(
        username,
        password,
        target,
        settings.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS,
      ),
    })),
  );
}

function detailOf(result: UcpLoginResult): string {
  return result.ok ? (result.user.isAdmin ? 'admin' : 'viewer') : result.detail;
}

/** For the audit log: each cluster's verdict, e.g. `"dr": admin; "prod": UCP refused …`. */
function perCluster(checked: readonly Checked[]): string {
  return checked
    .map(({ cluster, result }) => {
      if (result.ok) return `${result.user.isAdmin ? 'admin' : 'viewer'} on "${cluster}"`;
      const why = result.reason === 'invalid' ? 'refused' : 'did not answer';
      return `no access on "${cluster}" (UCP ${why}: ${result.detail})`;
    })
    .join('; ');
}

function refusedMessage(refused: readonly Checked[]): string {
  const first = refused[0]?.result;
  return first && !first.ok ? first.message : 'Wrong username or password.';
}

function noUcpAnswered(checked: readonly Checked[], unavailable: boolean): string {
  const names = checked.map((entry) => `"${entry.cluster}"`).join(', ');
  return unavailable
    ? `No cluster's UCP could check your password (${names}): none answered. Try again shortly.`
    : `No cluster's UCP could check your password (${names}): they gave unexpected answers. Ask an administrator to check the console log.`;
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
