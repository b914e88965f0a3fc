// Options of the load-balancer generators. One zod schema serves both callers: code passes
// numbers and booleans, GET /api/load-balancer/config passes query-string text.
import { z } from 'zod';
import { LbConfigError } from './errors';
import { normalizeConsoleUrl } from '../console-url';
import { HAPROXY_VERSIONS, isElbListenerPort, LB_KINDS, LB_OPTION_DEFAULTS } from './option-values';

// The values (kinds, defaults, which option each kind uses, the permalink) need no zod: client code
// imports them from option-values.ts, and this module's schema stays on the server and in forms.
export * from './option-values';

/** The ports clients expect for plain HTTP and for HTTPS. */
const WELL_KNOWN = { http: 80, https: 443 } as const;

const whole = (min: number, max: number, unit: string) =>
  z.coerce
    .number({ error: `must be a whole number${unit} from ${min} to ${max}` })
    .int()
    .min(min)
    .max(max);
const port = whole(1, 65535, ' (a port)');
const flag = z.union([z.boolean(), z.stringbool()], { error: 'must be true or false' });

export const LbOptionsSchema = z
  .strictObject({
    kind: z.enum(LB_KINDS, { error: `must be one of: ${LB_KINDS.join(', ')}` }),
    /** When the config is generated (the domain never reads the clock). */
    generatedAt: z.iso.datetime({
      offset: true,
      error: 'must be an ISO 8601 date-time, e.g. 2024-05-01T12:00:00Z',
    }),
    /** Base URL of this console, for the permalink in the header; without it the permalink is a path. */
    permalinkBase: z
      .string({ error: 'must be a URL' })
      .transform((value, ctx) => {
        const base = normalizeConsoleUrl(value);
        if (base === null) {
          ctx.addIssue({
            code: 'custom',
            message:
              'must be an http(s) URL of this console: host, optional port and path, no query',
          });
          return z.NEVER;
        }
        return base;
      })
      .optional(),
    /** Port the load balancer listens on for HTTP (sent to each replica's HTTP port). */
    httpPort: port.default(LB_OPTION_DEFAULTS.httpPort),
    /** Port the load balancer listens on for HTTPS (sent to each replica's HTTPS port). */
    httpsPort: port.default(LB_OPTION_DEFAULTS.httpsPort),
    /** Which replica port the health check (`GET /_ping`) uses; https checks without verifying the certificate. */
    checkScheme: z
      .enum(['https', 'http'], { error: 'must be https or http' })
      .default(LB_OPTION_DEFAULTS.checkScheme),
    /** Time between health checks: HAProxy `inter`, ELB `Interval`. */
    checkIntervalMs: whole(500, 300_000, ' of milliseconds').default(
      LB_OPTION_DEFAULTS.checkIntervalMs,
    ),
    /** How long one health check may take: HAProxy `timeout check`, ELB `Timeout`. */
    checkTimeoutMs: whole(100, 60_000, ' of milliseconds').default(
      LB_OPTION_DEFAULTS.checkTimeoutMs,
    ),
    /** Successful checks that bring a replica back: HAProxy `rise`, ELB `HealthyThreshold`. */
    rise: whole(1, 10, '').default(LB_OPTION_DEFAULTS.rise),
    /** Failed checks that take a replica out: HAProxy `fall`, ELB `UnhealthyThreshold`, NGINX `max_fails`. */
    fall: whole(1, 10, '').default(LB_OPTION_DEFAULTS.fall),
    /** NGINX `fail_timeout`: the window for `max_fails`, and how long a failed replica then sits out. */
    failTimeoutMs: whole(1000, 3_600_000, ' of milliseconds').default(
      LB_OPTION_DEFAULTS.failTimeoutMs,
    ),
    /** Time to open a connection to a replica: HAProxy `timeout connect`, NGINX `proxy_connect_timeout`. */
    connectTimeoutMs: whole(100, 300_000, ' of milliseconds').default(
      LB_OPTION_DEFAULTS.connectTimeoutMs,
    ),
    /**
     * Idle time before a proxied connection is closed: HAProxy `timeout client`/`server`, NGINX
     * `proxy_timeout`, ELB `IdleTimeout`. Long, because a layer push can sit quiet for a while.
     */
    idleTimeoutMs: whole(1000, 86_400_000, ' of milliseconds').default(
      LB_OPTION_DEFAULTS.idleTimeoutMs,
    ),
    /** A read-only stats page: HAProxy's stats listener, NGINX `stub_status`. ELB has none (CloudWatch). */
    stats: flag.default(LB_OPTION_DEFAULTS.stats),
    statsPort: port.default(LB_OPTION_DEFAULTS.statsPort),
    /** Which HAProxy the config is for; see HAPROXY_VERSIONS. */
    haproxyVersion: z
      .enum(HAPROXY_VERSIONS, { error: `must be one of: ${HAPROXY_VERSIONS.join(', ')}` })
      .default(LB_OPTION_DEFAULTS.haproxyVersion),
    /**
     * How NGINX gets its stream module: `builtin` for builds with stream compiled in (the official
     * nginx image, e.g. nginx:stable-alpine, and nginx.org packages); `debian` loads Debian/Ubuntu's
     * libnginx-mod-stream from /usr/lib/nginx/modules with `load_module`.
     */
    nginxStreamModule: z
      .enum(['builtin', 'debian'], { error: 'must be builtin or debian' })
      .default(LB_OPTION_DEFAULTS.nginxStreamModule),
  })
  .superRefine((o, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (o.httpPort === o.httpsPort)
      issue('httpsPort', `must differ from httpPort (both are ${o.httpPort})`);
    else portRoleIssues(o.httpPort, o.httpsPort).forEach(([key, message]) => issue(key, message));
    if (o.stats && (o.statsPort === o.httpPort || o.statsPort === o.httpsPort)) {
      issue('statsPort', `must differ from httpPort and httpsPort (is ${o.statsPort})`);
    }
    if (o.checkTimeoutMs >= o.checkIntervalMs) {
      issue(
        'checkTimeoutMs',
        `must be shorter than checkIntervalMs (${o.checkTimeoutMs} ≥ ${o.checkIntervalMs})`,
      );
    }
    if (o.kind !== 'elb') return;
    // Classic ELB limits (AWS ConfigureHealthCheck and ConnectionSettings).
    const seconds = (ms: number) => ms % 1000 === 0;
    if (!seconds(o.checkIntervalMs) || o.checkIntervalMs < 5000) {
      issue('checkIntervalMs', 'for ELB must be whole seconds from 5000 to 300000');
    }
    if (!seconds(o.checkTimeoutMs) || o.checkTimeoutMs < 2000)
      issue('checkTimeoutMs', 'for ELB must be whole seconds from 2000 to 60000');
    if (o.rise < 2) issue('rise', 'for ELB (HealthyThreshold) must be from 2 to 10');
    if (o.fall < 2) issue('fall', 'for ELB (UnhealthyThreshold) must be from 2 to 10');
    if (!seconds(o.idleTimeoutMs) || o.idleTimeoutMs > 4_000_000)
      issue('idleTimeoutMs', 'for ELB must be whole seconds from 1000 to 4000000');
    for (const key of ['httpPort', 'httpsPort'] as const) {
      if (!isElbListenerPort(o[key]))
        issue(key, 'for ELB must be 25, 80, 443, 465, 587 or 1024 to 65535');
    }
    if (o.stats) issue('stats', 'ELB has no stats page; use its CloudWatch metrics');
  });

/**
 * The well-known ports used for the wrong protocol: 443 carries TLS and 80 plain HTTP in every
 * client, so HTTP on 443 or HTTPS on 80 sends one protocol to the other's port on the replicas.
 * Other ports (8080, 8443, ...) are the operator's choice and pass.
 */
export function portRoleIssues(
  httpPort: number,
  httpsPort: number,
): ['httpPort' | 'httpsPort', string][] {
  if (httpPort === WELL_KNOWN.https && httpsPort === WELL_KNOWN.http) {
    return [
      [
        'httpPort',
        'is 443 and httpsPort is 80: the two are swapped. Clients send HTTPS to port 443 and plain HTTP to port 80, so as given TLS would reach the replicas’ HTTP port; use httpPort=80 and httpsPort=443',
      ],
      [
        'httpsPort',
        'is 80 and httpPort is 443: the two are swapped; use httpPort=80 and httpsPort=443',
      ],
    ];
  }
  const issues: ['httpPort' | 'httpsPort', string][] = [];
  if (httpsPort === WELL_KNOWN.http)
    issues.push([
      'httpsPort',
      'must not be 80: clients send plain HTTP to port 80, and this port goes to the replicas’ HTTPS port; use 443 or a port from 1024 such as 8443',
    ]);
  if (httpPort === WELL_KNOWN.https)
    issues.push([
      'httpPort',
      'must not be 443: clients send HTTPS to port 443, and this port goes to the replicas’ HTTP port; use 80 or a port from 1024 such as 8080',
    ]);
  return issues;
}

/** Parsed options: every field present and checked. */
export type LbOptions = z.output<typeof LbOptionsSchema>;

/** What callers in code pass: kind and time, the rest optional. */
export type LbOptionsInput = Pick<LbOptions, 'kind' | 'generatedAt'> &
  Partial<Omit<LbOptions, 'kind' | 'generatedAt'>>;

/** Parses options, turning the first problem into an LbConfigError. */
export function parseLbOptions(input: LbOptionsInput): LbOptions {
  const parsed = LbOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new LbConfigError(first?.path.join('.') || 'options', first?.message ?? 'invalid options');
}
