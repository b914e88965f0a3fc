import { describe, expect, it } from 'vitest';
import { GENERATED_AT, replicaSet } from '@/test/support/lb-fixtures';
import { generateLbConfig, type LbConfigFile } from './generate';
import type { LbOptionsInput } from './options';
import type { LbReplicaInput } from './replicas';

function haproxy(replicas: LbReplicaInput[], options: Partial<LbOptionsInput> = {}): LbConfigFile {
  return generateLbConfig(replicas, { kind: 'haproxy', generatedAt: GENERATED_AT, ...options });
}

/** Section header ("backend dtr_https_pool") → its indented, non-comment lines. */
function sections(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      current = [];
      map.set(line, current);
    } else if (!line.trim().startsWith('#')) {
      current?.push(line.trim());
    }
  }
  return map;
}

function section(text: string, name: string): string[] {
  const lines = sections(text).get(name);
  if (!lines) throw new Error(`no section ${name}`);
  return lines;
}

describe('haproxyConfig', () => {
  const custom = replicaSet(3, { customPorts: true });

  it('passes TCP through: 443 to each replica’s HTTPS port, 80 to its HTTP port, never swapped', () => {
    const { text } = haproxy(custom);
    expect(section(text, 'defaults')).toContain('mode tcp');
    expect(section(text, 'frontend dtr_https')).toContain('default_backend dtr_https_pool');
    expect(section(text, 'frontend dtr_https')).toContain('bind :443');
    expect(section(text, 'frontend dtr_http')).toContain('bind :80');
    expect(section(text, 'backend dtr_https_pool').filter((l) => l.startsWith('server '))).toEqual([
      'server replica-a1b2c3000111 10.0.0.10:9000 track dtr_check_a1b2c3000111/replica-a1b2c3000111',
      'server replica-a1b2c3000222 10.0.0.11:9001 track dtr_check_a1b2c3000222/replica-a1b2c3000222',
      'server replica-a1b2c3000333 10.0.0.12:9002 track dtr_check_a1b2c3000333/replica-a1b2c3000333',
    ]);
    expect(section(text, 'backend dtr_http_pool').filter((l) => l.startsWith('server '))).toEqual([
      'server replica-a1b2c3000111 10.0.0.10:8000 track dtr_check_a1b2c3000111/replica-a1b2c3000111',
      'server replica-a1b2c3000222 10.0.0.11:8001 track dtr_check_a1b2c3000222/replica-a1b2c3000222',
      'server replica-a1b2c3000333 10.0.0.12:8002 track dtr_check_a1b2c3000333/replica-a1b2c3000333',
    ]);
  });

  it('checks GET /_ping on each replica by default with option httpchk, which HAProxy 1.7 knows', () => {
    const { text } = haproxy(replicaSet(3, { addresses: 'mixed', customPorts: true }));
    expect(text).not.toContain('http-check send');
    expect(section(text, 'backend dtr_check_a1b2c3000111')).toEqual([
      'option httpchk GET /_ping',
      'http-check expect status 200',
      'server replica-a1b2c3000111 10.0.0.10:9000 check check-ssl verify none inter 5s rise 2 fall 3',
    ]);
    expect(section(text, 'backend dtr_check_a1b2c3000333')).toContain(
      'server replica-a1b2c3000333 [fd00::c]:9002 check check-ssl verify none inter 5s rise 2 fall 3',
    );
    // No run-time DNS (parse-resolv-conf needs 1.9): names resolve once, at start.
    expect(text).not.toMatch(/^resolvers /m);
    expect(section(text, 'defaults')).toContain('default-server init-addr last,libc,none');
    expect(text).toContain('# For HAProxy 1.7 and later');
  });

  it('for HAProxy 2.2 and later, names the replica in a Host header and re-resolves host names', () => {
    const { text } = haproxy(replicaSet(3, { addresses: 'mixed', customPorts: true }), {
      haproxyVersion: '2.2',
    });
    expect(section(text, 'resolvers system')).toEqual(['parse-resolv-conf']);
    expect(section(text, 'defaults')).toContain(
      'default-server init-addr last,libc,none resolvers system',
    );
    expect(text).toContain('# For HAProxy 2.2 and later');
    expect(section(text, 'backend dtr_check_a1b2c3000111')).toEqual([
      'option httpchk',
      'http-check send meth GET uri /_ping ver HTTP/1.1 hdr Host 10.0.0.10',
      'http-check expect status 200',
      'server replica-a1b2c3000111 10.0.0.10:9000 check check-ssl verify none inter 5s rise 2 fall 3',
    ]);
    expect(section(text, 'backend dtr_check_a1b2c3000222')).toContain(
      'http-check send meth GET uri /_ping ver HTTP/1.1 hdr Host dtr-2.example.com',
    );
    expect(section(text, 'backend dtr_check_a1b2c3000333')).toContain(
      'http-check send meth GET uri /_ping ver HTTP/1.1 hdr Host [fd00::c]',
    );
    expect(section(text, 'backend dtr_check_a1b2c3000333')).toContain(
      'server replica-a1b2c3000333 [fd00::c]:9002 check check-ssl verify none inter 5s rise 2 fall 3',
    );
  });

  it('can check over the replicas’ HTTP port instead, without TLS', () => {
    const { text } = haproxy(custom, {
      checkScheme: 'http',
      checkIntervalMs: 2500,
      rise: 1,
      fall: 2,
    });
    expect(section(text, 'backend dtr_check_a1b2c3000111')).toContain(
      'server replica-a1b2c3000111 10.0.0.10:8000 check inter 2500ms rise 1 fall 2',
    );
  });

  it('writes the timeouts and frontend ports it is given', () => {
    const { text } = haproxy(custom, {
      httpPort: 8080,
      httpsPort: 8443,
      connectTimeoutMs: 3000,
      idleTimeoutMs: 3_600_000,
      checkTimeoutMs: 1500,
    });
    expect(section(text, 'defaults')).toEqual(
      expect.arrayContaining([
        'timeout connect 3s',
        'timeout client 60m',
        'timeout server 60m',
        'timeout check 1500ms',
      ]),
    );
    expect(section(text, 'frontend dtr_http')).toContain('bind :8080');
    expect(section(text, 'frontend dtr_https')).toContain('bind :8443');
    expect(text).toContain(
      "# Port 8443 goes to each replica's HTTPS port, port 8080 to its HTTP port.",
    );
  });

  it('adds a stats page only when asked', () => {
    expect(haproxy(custom).text).not.toContain('stats enable');
    const { text } = haproxy(custom, { stats: true, statsPort: 9999 });
    expect(section(text, 'listen stats')).toEqual([
      'bind :9999',
      'mode http',
      'stats enable',
      'stats uri /',
      'stats refresh 10s',
    ]);
  });

  it('keeps unhealthy replicas in the pool, marked with a comment', () => {
    const { text } = haproxy(
      replicaSet(3, { healthy: (i) => (i === 1 ? false : i === 2 ? undefined : true) }),
    );
    expect(text).toContain(
      '#   a1b2c3000222  10.0.0.11  HTTP 80  HTTPS 443  UNHEALTHY when generated (still listed: the load balancer decides)',
    );
    expect(text).toContain('#   a1b2c3000333  10.0.0.12  HTTP 80  HTTPS 443  health unknown');
    expect(
      text.match(/# replica a1b2c3000222 was unhealthy when generated; its health check decides/g),
    ).toHaveLength(2);
    expect(section(text, 'backend dtr_https_pool')).toContain(
      'server replica-a1b2c3000222 10.0.0.11:443 track dtr_check_a1b2c3000222/replica-a1b2c3000222',
    );
  });

  it('starts with what generated it, when, for which replicas, and the permalink', () => {
    const { text } = haproxy(custom, { permalinkBase: 'https://console.example.com', fall: 4 });
    const header = text.slice(0, text.indexOf('\nglobal'));
    expect(header.split('\n').every((line) => line === '' || line.startsWith('#'))).toBe(true);
    expect(header).toContain(
      '# Generated by DTR HA Console at 2024-05-01T12:00:00.000Z for 3 DTR replicas:',
    );
    expect(header).toContain('#   a1b2c3000111  10.0.0.10  HTTP 8000  HTTPS 9000');
    expect(header).toContain(
      '# Permalink: https://console.example.com/api/load-balancer/config?kind=haproxy&fall=4',
    );
    expect(header).toContain('# Failover: A failed replica leaves the pool after ~22 s.');
    expect(header).toContain('haproxy -c -f <file>');
  });

  it('says how to run it: the image of its version, the file at the image’s path, the ports published', () => {
    const v17 = haproxy(custom, { stats: true });
    expect(v17.run.command).toBe(
      [
        'docker run -d --name dtr-lb --restart=unless-stopped',
        '-p 80:80',
        '-p 443:443',
        '-p 8404:8404',
        '-v "$PWD/dtr-haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"',
        'haproxy:1.7-alpine',
      ].join(' \\\n  '),
    );
    expect(v17.text.replace(/\n# /g, ' ')).toContain(
      'Run it: docker run -d --name dtr-lb --restart=unless-stopped -p 80:80 -p 443:443 -p 8404:8404 -v "$PWD/dtr-haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" haproxy:1.7-alpine',
    );
    // 2.4+ images run as the haproxy user: ports below 1024 need the unprivileged port floor lowered.
    const v22 = haproxy(custom, { haproxyVersion: '2.2' });
    expect(v22.run.command).toContain('--sysctl net.ipv4.ip_unprivileged_port_start=0');
    expect(v22.run.command).toMatch(/haproxy:lts-alpine$/);
    const high = haproxy(custom, { haproxyVersion: '2.2', httpPort: 8080, httpsPort: 8443 });
    expect(high.run.command).not.toContain('--sysctl');
    expect(high.run.command).toContain('-p 8443:8443');
  });

  it('says one replica, not one replicas', () => {
    expect(haproxy(replicaSet(1)).text).toContain('for 1 DTR replica:');
  });
});
