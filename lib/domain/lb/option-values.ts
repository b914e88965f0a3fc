// The load-balancer options' values: kinds, defaults, which options each kind uses, the
// permalink. No zod here: the pages import these without shipping the schema (options.ts).
import type { LbOptions } from './options';

export const LB_KINDS = ['haproxy', 'nginx', 'elb'] as const;
export type LbKind = (typeof LB_KINDS)[number];

export const LB_OPTION_DEFAULTS = {
  httpPort: 80,
  httpsPort: 443,
  checkScheme: 'https',
  checkIntervalMs: 5000,
  checkTimeoutMs: 2000,
  rise: 2,
  fall: 3,
  failTimeoutMs: 10_000,
  connectTimeoutMs: 5000,
  idleTimeoutMs: 600_000,
  stats: false,
  statsPort: 8404,
  haproxyVersion: '1.7',
  nginxStreamModule: 'builtin',
} as const;

/**
 * The HAProxy versions a config can be written for. `1.7`: only keywords HAProxy 1.7 knows (the
 * DTR load-balancer document runs `haproxy:1.7-alpine`), so it also starts on every 2.x and 3.x.
 * `2.2`: adds what needs 2.2 or later: a Host header on the health check (`http-check send`) and
 * run-time re-resolution of host names through /etc/resolv.conf (`parse-resolv-conf`, 1.9+).
 */
export const HAPROXY_VERSIONS = ['1.7', '2.2'] as const;
export type HaproxyVersion = (typeof HAPROXY_VERSIONS)[number];

/** Ports a Classic ELB listener may use. */
export function isElbListenerPort(port: number): boolean {
  return [25, 80, 443, 465, 587].includes(port) || (port >= 1024 && port <= 65535);
}

type TunableKey = keyof typeof LB_OPTION_DEFAULTS;

/** The options each kind of load balancer uses; the others are accepted and ignored. */
export const LB_OPTIONS_USED: Record<LbKind, readonly TunableKey[]> = {
  haproxy: [
    'httpPort',
    'httpsPort',
    'checkScheme',
    'checkIntervalMs',
    'checkTimeoutMs',
    'rise',
    'fall',
    'connectTimeoutMs',
    'idleTimeoutMs',
    'stats',
    'statsPort',
    'haproxyVersion',
  ],
  nginx: [
    'httpPort',
    'httpsPort',
    'fall',
    'failTimeoutMs',
    'connectTimeoutMs',
    'idleTimeoutMs',
    'stats',
    'statsPort',
    'nginxStreamModule',
  ],
  elb: [
    'httpPort',
    'httpsPort',
    'checkScheme',
    'checkIntervalMs',
    'checkTimeoutMs',
    'rise',
    'fall',
    'idleTimeoutMs',
  ],
};

export const LB_CONFIG_PATH = '/api/load-balancer/config';

/** URL that regenerates this config for the replicas of the moment: the options that differ from the defaults. */
export function permalinkOf(options: LbOptions): string {
  const query = [`kind=${options.kind}`];
  for (const key of LB_OPTIONS_USED[options.kind]) {
    if (key === 'statsPort' && !options.stats) continue;
    if (options[key] !== LB_OPTION_DEFAULTS[key]) query.push(`${key}=${String(options[key])}`);
  }
  return `${options.permalinkBase ?? ''}${LB_CONFIG_PATH}?${query.join('&')}`;
}
