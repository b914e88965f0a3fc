// NGINX config: a complete nginx.conf with a stream block, TCP passthrough, passive checks only.
//
// Open-source NGINX has no active health checks in stream mode (`health_check` is NGINX Plus);
// the header's failover paragraph says what that means instead of pretending otherwise.
import { configDuration } from './duration';
import { commentHeader } from './header';
import type { LbOptions } from './options';
import { endpoint, type LbExcluded, type LbReplica } from './replicas';
import { lbRunInstructions, lbTargetVersions, oneLine } from './run';

/** Where Debian and Ubuntu install libnginx-mod-stream. */
export const DEBIAN_STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

export const NGINX_UPSTREAMS = { http: 'dtr_http', https: 'dtr_https' } as const;

function upstream(
  name: string,
  replicas: readonly LbReplica[],
  portOf: (r: LbReplica) => number,
  options: LbOptions,
): string[] {
  return [
    `    upstream ${name} {`,
    ...replicas.flatMap((r) => [
      r.healthy === false
        ? `        # replica ${r.id}: UNHEALTHY when generated; NGINX cannot see /_ping, add "down" to keep traffic away`
        : `        # replica ${r.id}`,
      `        server ${endpoint(r, portOf(r))} max_fails=${options.fall} fail_timeout=${configDuration(options.failTimeoutMs)};`,
    ]),
    '    }',
  ];
}

function proxyServer(listenPort: number, upstreamName: string): string[] {
  return [
    '    server {',
    `        listen ${listenPort};`,
    `        proxy_pass ${upstreamName};`,
    '    }',
  ];
}

export function nginxConfig(
  replicas: readonly LbReplica[],
  options: LbOptions,
  excluded: readonly LbExcluded[] = [],
): string {
  const debian = options.nginxStreamModule === 'debian';
  const run = lbRunInstructions(options, 'dtr-nginx.conf');
  const notes = [
    lbTargetVersions(options),
    'Use this file as the whole nginx.conf of the load balancer (it has its own events and stream blocks). ' +
      (debian
        ? `Debian/Ubuntu: apt-get install libnginx-mod-stream; this file loads it from ${DEBIAN_STREAM_MODULE}. ` +
          'For the official nginx image or nginx.org packages (stream built in), generate with nginxStreamModule=builtin.'
        : 'It expects the stream module built in (official nginx image, nginx.org packages); on Debian/Ubuntu generate with nginxStreamModule=debian, which loads it.'),
    ...(replicas.some((r) => r.addressKind === 'hostname')
      ? [
          'NGINX resolves host names once, when it loads this file: a name that does not resolve stops it from starting.',
        ]
      : []),
    'Check this file with: nginx -t -c <file>',
    `Run it: ${oneLine(run.command)}`,
  ];
  const lines = [
    commentHeader(replicas, options, notes, excluded),
    '',
    ...(debian ? [`load_module ${DEBIAN_STREAM_MODULE};`, ''] : []),
    'worker_processes auto;',
    '',
    'events {',
    '    worker_connections 4096;',
    '}',
    '',
    'stream {',
    `    proxy_connect_timeout ${configDuration(options.connectTimeoutMs)};`,
    `    proxy_timeout ${configDuration(options.idleTimeoutMs)};`,
    '',
    ...upstream(NGINX_UPSTREAMS.http, replicas, (r) => r.httpPort, options),
    '',
    ...upstream(NGINX_UPSTREAMS.https, replicas, (r) => r.httpsPort, options),
    '',
    ...proxyServer(options.httpPort, NGINX_UPSTREAMS.http),
    '',
    ...proxyServer(options.httpsPort, NGINX_UPSTREAMS.https),
    '}',
  ];
  if (options.stats) {
    lines.push(
      '',
      'http {',
      '    access_log off;',
      '    server {',
      '        # Read-only connection counters (stub_status); keep this port behind your firewall.',
      `        listen ${options.statsPort};`,
      '        location = / {',
      '            stub_status;',
      '        }',
      '    }',
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}
