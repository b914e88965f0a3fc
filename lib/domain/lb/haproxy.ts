// HAProxy config: TCP passthrough on the HTTP and HTTPS ports, one active /_ping check per replica.
//
// Each replica gets a small check backend of its own, because `http-check send` is set per
// backend and we want the Host header to name the replica being checked. The two traffic pools
// `track` that check, so a replica leaves (and rejoins) both pools at the same moment.
import { configDuration } from './duration';
import { commentHeader } from './header';
import type { LbOptions } from './options';
import { endpoint, hostForUrl, type LbExcluded, type LbReplica } from './replicas';

export const HAPROXY_POOLS = { http: 'dtr_http_pool', https: 'dtr_https_pool' } as const;

export const serverName = (replica: LbReplica) => `replica-${replica.id}`;
export const checkBackendName = (replica: LbReplica) => `dtr_check_${replica.id}`;

function poolBackend(
  name: string,
  replicas: readonly LbReplica[],
  portOf: (r: LbReplica) => number,
): string[] {
  return [
    `backend ${name}`,
    '    balance roundrobin',
    ...replicas.flatMap((r) => [
      ...(r.healthy === false
        ? [`    # replica ${r.id} was unhealthy when generated; its health check decides`]
        : []),
      `    server ${serverName(r)} ${endpoint(r, portOf(r))} track ${checkBackendName(r)}/${serverName(r)}`,
    ]),
  ];
}

function checkBackend(replica: LbReplica, options: LbOptions): string[] {
  const https = options.checkScheme === 'https';
  const port = https ? replica.httpsPort : replica.httpPort;
  const tls = https ? ' check-ssl verify none' : '';
  return [
    `backend ${checkBackendName(replica)}`,
    `    # /_ping of replica ${replica.id}; both pools follow this server's state`,
    '    option httpchk',
    `    http-check send meth GET uri /_ping ver HTTP/1.1 hdr Host ${hostForUrl(replica)}`,
    '    http-check expect status 200',
    `    server ${serverName(replica)} ${endpoint(replica, port)} check${tls} inter ${configDuration(options.checkIntervalMs)} rise ${options.rise} fall ${options.fall}`,
  ];
}

export function haproxyConfig(
  replicas: readonly LbReplica[],
  options: LbOptions,
  excluded: readonly LbExcluded[] = [],
): string {
  const notes = [
    `Health check: GET /_ping with a Host header naming the replica, on its ${options.checkScheme.toUpperCase()} port` +
      (options.checkScheme === 'https'
        ? ' (certificate not verified: the check tests liveness, not identity).'
        : '.'),
    'Host names are resolved at start and re-resolved through /etc/resolv.conf; a replica whose name does not resolve yet starts out of the pool instead of stopping HAProxy.',
    'Check this file with: haproxy -c -f <file>',
  ];
  const sections: string[][] = [
    [commentHeader(replicas, options, notes, excluded)],
    ['global', '    log /dev/log local0'],
    [
      'defaults',
      '    mode tcp',
      '    log global',
      `    timeout connect ${configDuration(options.connectTimeoutMs)}`,
      `    timeout client ${configDuration(options.idleTimeoutMs)}`,
      `    timeout server ${configDuration(options.idleTimeoutMs)}`,
      `    timeout check ${configDuration(options.checkTimeoutMs)}`,
      '    retries 3',
      '    option redispatch',
      '    default-server init-addr last,libc,none resolvers system',
    ],
    ['resolvers system', '    parse-resolv-conf'],
    [
      'frontend dtr_http',
      `    bind :${options.httpPort}`,
      '    option tcplog',
      `    default_backend ${HAPROXY_POOLS.http}`,
    ],
    [
      'frontend dtr_https',
      `    bind :${options.httpsPort}`,
      '    option tcplog',
      `    default_backend ${HAPROXY_POOLS.https}`,
    ],
    poolBackend(HAPROXY_POOLS.http, replicas, (r) => r.httpPort),
    poolBackend(HAPROXY_POOLS.https, replicas, (r) => r.httpsPort),
    ...replicas.map((r) => checkBackend(r, options)),
  ];
  if (options.stats) {
    sections.push([
      'listen stats',
      '    # Read-only status page; keep this port behind your firewall.',
      `    bind :${options.statsPort}`,
      '    mode http',
      '    stats enable',
      '    stats uri /',
      '    stats refresh 10s',
    ]);
  }
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
