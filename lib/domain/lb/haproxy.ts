// HAProxy config: TCP passthrough on the HTTP and HTTPS ports, one active /_ping check per replica.
//
// Each replica gets a small check backend of its own, which the two traffic pools `track`, so a
// replica leaves (and rejoins) both pools at the same moment, after one check, not two.
//
// Two versions (options.haproxyVersion). `1.7`, the default: only keywords of the HAProxy 1.7
// manual (haproxy-17.test.ts holds the list and checks every variant against it), so the file
// starts on the haproxy:1.7-alpine of the DTR document and on every later release; the check is
// `option httpchk GET /_ping`, an HTTP/1.0 request without a Host header, which DTR answers
// (Classic ELB checks send none either). `2.2`: the check names the replica in a Host header
// (`http-check send`, 2.2+) and host names are re-resolved at run time (`parse-resolv-conf`, 1.9+).
import { configDuration } from './duration';
import { commentHeader } from './header';
import type { LbOptions } from './options';
import { endpoint, hostForUrl, type LbExcluded, type LbReplica } from './replicas';
import { lbRunInstructions, lbTargetVersions, oneLine } from './run';

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
  const request =
    options.haproxyVersion === '1.7'
      ? ['    option httpchk GET /_ping']
      : [
          '    option httpchk',
          `    http-check send meth GET uri /_ping ver HTTP/1.1 hdr Host ${hostForUrl(replica)}`,
        ];
  return [
    `backend ${checkBackendName(replica)}`,
    `    # /_ping of replica ${replica.id}; both pools follow this server's state`,
    ...request,
    '    http-check expect status 200',
    `    server ${serverName(replica)} ${endpoint(replica, port)} check${tls} inter ${configDuration(options.checkIntervalMs)} rise ${options.rise} fall ${options.fall}`,
  ];
}

export function haproxyConfig(
  replicas: readonly LbReplica[],
  options: LbOptions,
  excluded: readonly LbExcluded[] = [],
): string {
  const modern = options.haproxyVersion !== '1.7';
  const run = lbRunInstructions(options, 'dtr-haproxy.cfg');
  const notes = [
    lbTargetVersions(options),
    `Health check: GET /_ping ${modern ? 'with a Host header naming the replica' : '(HTTP/1.0, no Host header)'}, on its ${options.checkScheme.toUpperCase()} port` +
      (options.checkScheme === 'https'
        ? ' (certificate not verified: the check tests liveness, not identity).'
        : '.') +
      ' DTR answers 200 when the replica is healthy and 503 when a part of it (registry, garant, rethinkdb, notary) fails.',
    modern
      ? 'Host names are resolved at start and re-resolved through /etc/resolv.conf; a replica whose name does not resolve yet starts out of the pool instead of stopping HAProxy.'
      : 'Host names are resolved once, at start; a replica whose name does not resolve yet starts out of the pool instead of stopping HAProxy. Restart HAProxy after a replica changes address.',
    'Check this file with: haproxy -c -f <file>',
    `Run it: ${oneLine(run.command)}`,
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
      `    default-server init-addr last,libc,none${modern ? ' resolvers system' : ''}`,
    ],
    ...(modern ? [['resolvers system', '    parse-resolv-conf']] : []),
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
