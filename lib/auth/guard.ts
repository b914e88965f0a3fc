// The gate every route handler passes (pages use lib/server/current-user.ts): checkRequest and
// checkScrapeAccess, and guards() to bind route wrappers to them (lib/server/route.ts).
import 'server-only';
import { apiError, withErrors } from '@/lib/http/errors';
import { audit } from './audit';
import { checkCsrf, checkSameOrigin, isSafeMethod } from './csrf';
import { metricsTokenSent } from './metrics-token';
import { roleOf } from './permissions';
import { clientIp } from './request-info';
import { adminOnlyMessage, noAccessMessage, type AccessScope } from '@/lib/domain/access';
import type { AuthSettings } from './settings';
import { readSessionToken } from './session-cookie';
import {
  unsealSession,
  userIn,
  type Session,
  type SessionUser,
  type UnsealResult,
} from './session';

/** Who everyone is with AUTH=off. */
export const LOCAL_ADMIN: SessionUser = { username: 'local', isAdmin: true };

export interface AuthContext {
  user: SessionUser;
  /** null with AUTH=off. */
  session: Session | null;
  /** For the audit log. */
  ip: string;
}

export interface GuardOptions {
  need: 'viewer' | 'admin';
  /** Defaults to on for every method except GET, HEAD and OPTIONS. */
  csrf?: boolean;
}

export type GuardSettings = Pick<
  AuthSettings,
  'enabled' | 'sessionSecret' | 'trustedProxies' | 'audit' | 'revocations' | 'sessionCache'
>;
export type ScrapeSettings = Pick<
  AuthSettings,
  'enabled' | 'sessionSecret' | 'metricsToken' | 'revocations' | 'sessionCache'
>;

const SIGN_IN: Record<Exclude<UnsealResult, { ok: true }>['reason'], string> = {
  missing: 'Sign in to continue.',
  expired: 'Your session expired. Sign in again.',
  invalid: 'Your session is no longer valid. Sign in again.',
};

const NO_STORE = { 'cache-control': 'no-store' };

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/**
 * Decides one request for `scope` (the cluster it is for, or null: a fleet's console-wide routes).
 * Returns the caller's identity there, or the 401/403 to send. Order: cross-site first (reveals
 * nothing), then identity (401), a role on the cluster (403), the role needed (403), CSRF (403).
 */
export async function checkRequest(
  request: Request,
  options: GuardOptions,
  settings: GuardSettings,
  scope: AccessScope,
  now = Date.now(),
): Promise<{ ok: true; auth: AuthContext } | { ok: false; response: Response }> {
  const ip = clientIp(request, settings.trustedProxies);
  const wantCsrf = options.csrf ?? !isSafeMethod(request.method);
  const path = new URL(request.url).pathname;

  if (wantCsrf) {
    const origin = checkSameOrigin(request);
    if (!origin.ok) {
      await audit(settings.audit, {
        actor: '(unknown)',
        action: 'access-denied',
        ip,
        detail: `${request.method} ${path}: ${origin.message}`,
      });
      return { ok: false, response: apiError(403, 'forbidden', origin.message) };
    }
  }

  if (!settings.enabled) return { ok: true, auth: { user: LOCAL_ADMIN, session: null, ip } };

  const result = await unsealSession(readSessionToken(request.headers.get('cookie')), {
    secret: settings.sessionSecret,
    revocations: settings.revocations,
    cache: settings.sessionCache,
    now,
  });
  if (!result.ok) {
    return {
      ok: false,
      response: withHeaders(apiError(401, 'unauthorized', SIGN_IN[result.reason]), NO_STORE),
    };
  }
  const { session } = result;
  const user = userIn(session, scope);
  if (user === null) {
    const cluster = scope ?? 'this console';
    await audit(settings.audit, {
      actor: session.username,
      action: 'access-denied',
      ip,
      detail: `${request.method} ${path}: no role on cluster "${cluster}"`,
      ...(scope !== null ? { cluster: scope } : {}),
    });
    return {
      ok: false,
      response: withHeaders(apiError(403, 'forbidden', noAccessMessage(cluster)), NO_STORE),
    };
  }

  if (options.need === 'admin' && roleOf(user) !== 'admin') {
    await audit(settings.audit, {
      actor: user.username,
      action: 'access-denied',
      ip,
      detail: `${request.method} ${path}: needs a UCP administrator`,
      ...(scope !== null ? { cluster: scope } : {}),
    });
    return {
      ok: false,
      response: apiError(403, 'forbidden', adminOnlyMessage(scope)),
    };
  }

  if (wantCsrf) {
    const csrf = checkCsrf(request, session.csrf);
    if (!csrf.ok) {
      await audit(settings.audit, {
        actor: user.username,
        action: 'access-denied',
        ip,
        detail: `${request.method} ${path}: ${csrf.message}`,
      });
      return { ok: false, response: apiError(403, 'forbidden', csrf.message) };
    }
  }
  return { ok: true, auth: { user, session, ip } };
}

/**
 * For /api/healthz (`requireCredentials` false): open when no METRICS_TOKEN is set; otherwise the
 * token as `Authorization: Bearer <token>`, or a signed-in viewer's session.
 * For /api/metrics (`requireCredentials` true): the token or a session, token configured or not.
 */
export async function checkScrapeAccess(
  request: Request,
  settings: ScrapeSettings,
  scope: AccessScope,
  now = Date.now(),
  requireCredentials = false,
): Promise<Response | null> {
  const token = settings.metricsToken;
  if (!settings.enabled) return null;
  if (!token && !requireCredentials) return null;
  if (metricsTokenSent(request.headers.get('authorization'), token)) return null;
  const session = await unsealSession(readSessionToken(request.headers.get('cookie')), {
    secret: settings.sessionSecret,
    revocations: settings.revocations,
    cache: settings.sessionCache,
    now,
  });
  if (session.ok) {
    if (userIn(session.session, scope)) return null;
    return withHeaders(
      apiError(403, 'forbidden', noAccessMessage(scope ?? 'this console')),
      NO_STORE,
    );
  }
  return withHeaders(
    apiError(
      401,
      'unauthorized',
      token
        ? 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".'
        : 'Sign in, or set METRICS_TOKEN on the console and send it as "Authorization: Bearer <METRICS_TOKEN>".',
    ),
    { 'www-authenticate': 'Bearer realm="dtr-ha-console"', ...NO_STORE },
  );
}

export type AuthedHandler<Ctx, Env> = (
  request: Request,
  auth: AuthContext,
  context: Ctx,
  env: Env,
) => Response | Promise<Response>;

/**
 * What a guard needs per request: the auth settings, what the handler is handed (`env`), and the
 * cluster whose role decides (`scope`: null for a fleet's console-wide routes).
 */
export type GuardLoader<S, Env> = (
  request: Request,
) => Promise<{ settings: S; env: Env; scope: AccessScope }>;

/**
 * Route wrappers bound to `load` (lib/server/route.ts binds them to the runtime):
 * `export const POST = withAuth(async (request, { user }, { params }, runtime) => ..., { need: 'admin' })`.
 * `context` is Next's second argument ({ params }) passed through unchanged. Whatever the handler
 * throws is answered in the one error shape (lib/http/errors.ts): an ApiError with its status, a
 * ZodError with 400, anything else with a logged 500.
 */
export function guards<Env>(load: GuardLoader<GuardSettings & ScrapeSettings, Env>) {
  const withAuth = <Ctx = unknown>(handler: AuthedHandler<Ctx, Env>, options: GuardOptions) =>
    withErrors(async (request: Request, context: Ctx) => {
      const { settings, env, scope } = await load(request);
      const checked = await checkRequest(request, options, settings, scope);
      if (!checked.ok) return checked.response;
      return handler(request, checked.auth, context, env);
    });

  /** Wraps a handler in checkScrapeAccess (`requireCredentials` as there) and the one error path. */
  const scrapeGuard =
    (requireCredentials: boolean) =>
    <Ctx = unknown>(
      handler: (request: Request, context: Ctx, env: Env) => Response | Promise<Response>,
    ) =>
      withErrors(async (request: Request, context: Ctx) => {
        const { settings, env, scope } = await load(request);
        const refused = await checkScrapeAccess(
          request,
          settings,
          scope,
          Date.now(),
          requireCredentials,
        );
        return refused ?? handler(request, context, env);
      });

  return {
    withAuth,
    /** /api/healthz: open unless METRICS_TOKEN is set, then the token or a session. */
    withScrapeAccess: scrapeGuard(false),
    /** /api/metrics: a session or the METRICS_TOKEN, never anonymous (see checkScrapeAccess). */
    withMetricsAccess: scrapeGuard(true),
  };
}
