// Who may do what, by route and method: one table for proxy.ts, route guards and the matrix test.
// Unknown routes fall to the strict defaults (reads need a viewer, changes need an admin), so a
// new route is protected before anyone remembers to list it.

/** none: signed in, but without a role on the request's cluster (its UCP did not accept them). */
export type Role = 'anonymous' | 'none' | 'viewer' | 'admin';

/**
 * public: anyone; scrape: anyone when no METRICS_TOKEN is set, else the token or a viewer;
 * metrics: the METRICS_TOKEN or a viewer, never anonymous (the series name replicas and nodes).
 */
export type Access = 'public' | 'scrape' | 'metrics' | 'viewer' | 'admin';

/** no-access: signed in, with no role on the request's cluster (lib/domain/access.ts says why). */
export type Decision = 'allow' | 'unauthenticated' | 'forbidden' | 'no-access';

interface Rule {
  /** Exact path, or a prefix when it ends in "/". */
  path: string;
  /** Methods the rule covers; "safe" = GET/HEAD/OPTIONS, "unsafe" = everything else. */
  methods: 'safe' | 'unsafe' | 'any';
  access: Access;
}

/** First match wins. Keep in step with the routes under app/ (the matrix test lists them). */
export const ROUTE_RULES: readonly Rule[] = [
  { path: '/_next/', methods: 'safe', access: 'public' },
  { path: '/login', methods: 'safe', access: 'public' },
  { path: '/api/auth/login', methods: 'unsafe', access: 'public' },
  // Sign-out must work with an expired session; with a live one the handler checks CSRF.
  { path: '/api/auth/logout', methods: 'unsafe', access: 'public' },
  { path: '/api/healthz', methods: 'safe', access: 'scrape' },
  // Names replicas and nodes: a session or the METRICS_TOKEN, even when no token is configured.
  { path: '/api/metrics', methods: 'safe', access: 'metrics' },
  // The audit trail names people and addresses: its data is for administrators only. The /audit
  // page itself opens for viewers too, to say so inside the console rather than as a raw 403.
  { path: '/api/audit', methods: 'safe', access: 'admin' },
  // Channels name where alerts go (hosts, secret hints): administrators only, reads included.
  { path: '/api/alerts/channels/', methods: 'safe', access: 'admin' },
];

const STATIC_FILE = /^\/[^/]+\.(?:ico|png|svg|jpe?g|gif|webp|avif|txt|xml|webmanifest|woff2?)$/i;

export function isSafe(method: string): boolean {
  const m = method.toUpperCase();
  return m === 'GET' || m === 'HEAD' || m === 'OPTIONS';
}

function matches(rule: Rule, method: string, pathname: string): boolean {
  const methodOk = rule.methods === 'any' || (rule.methods === 'safe') === isSafe(method);
  if (!methodOk) return false;
  return rule.path.endsWith('/') ? pathname.startsWith(rule.path) : pathname === rule.path;
}

/** "/api/status/" and "/api/status" are one route; "//x" is not a shortcut around the table. */
function normalise(pathname: string): string {
  const collapsed = pathname.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') || '/' : collapsed;
}

export function requiredAccess(method: string, pathname: string): Access {
  const path = normalise(pathname);
  for (const rule of ROUTE_RULES) {
    if (matches(rule, method, path) || matches(rule, method, `${path}/`)) return rule.access;
  }
  // Top-level files from public/ (favicon.ico, robots.txt, icons).
  if (isSafe(method) && STATIC_FILE.test(path)) return 'public';
  return isSafe(method) ? 'viewer' : 'admin';
}

export function roleOf(user: { isAdmin: boolean } | null | undefined): Role {
  if (!user) return 'anonymous';
  return user.isAdmin ? 'admin' : 'viewer';
}

export interface AuthorizeContext {
  /** For scrape routes: no METRICS_TOKEN is configured, or the request carries the right one. */
  scrapeAllowed?: boolean;
  /** The request carries the configured METRICS_TOKEN (false when none is configured). */
  metricsTokenValid?: boolean;
}

export function authorize(
  role: Role,
  method: string,
  pathname: string,
  context: AuthorizeContext = {},
): Decision {
  const access = requiredAccess(method, pathname);
  const refusal: Decision = role === 'none' ? 'no-access' : 'unauthenticated';
  const hasRole = role === 'viewer' || role === 'admin';
  switch (access) {
    case 'public':
      return 'allow';
    case 'scrape':
      return context.scrapeAllowed || hasRole ? 'allow' : refusal;
    case 'metrics':
      return context.metricsTokenValid || hasRole ? 'allow' : refusal;
    case 'viewer':
      return hasRole ? 'allow' : refusal;
    case 'admin':
      if (!hasRole) return refusal;
      return role === 'admin' ? 'allow' : 'forbidden';
  }
}
