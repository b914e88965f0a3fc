import { describe, expect, it } from 'vitest';
import { GENERATED_AT, replicaSet } from '@/test/support/lb-fixtures';
import { generateLbConfig } from './generate';
import { DEBIAN_STREAM_MODULE } from './nginx';
import type { LbOptionsInput } from './options';
import type { LbReplicaInput } from './replicas';

function nginx(replicas: LbReplicaInput[], options: Partial<LbOptionsInput> = {}): string {
  return generateLbConfig(replicas, { kind: 'nginx', generatedAt: GENERATED_AT, ...options }).text;
}

/** The directive lines (comments and blank lines dropped, trimmed) of the block that opens with `opening`. */
function block(text: string, opening: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `${opening} {`);
  if (start < 0) throw new Error(`no block ${opening}`);
  const out: string[] = [];
  let depth = 0;
  for (const line of lines.slice(start)) {
    const trimmed = line.trim();
    if (trimmed.endsWith('{')) depth += 1;
    if (trimmed === '}') depth -= 1;
    if (trimmed !== '' && !trimmed.startsWith('#')) out.push(trimmed);
    if (depth === 0) break;
  }
  return out.slice(1, -1);
}

/** The `server { listen N; proxy_pass X; }` blocks of the stream section as [listen, upstream] pairs. */
function listeners(text: string): [number, string][] {
  return [...text.matchAll(/server \{\n\s+listen (\d+);\n\s+proxy_pass (\w+);/g)].map((m) => [
    Number(m[1]),
    m[2]!,
  ]);
}

describe('nginxConfig', () => {
  const custom = replicaSet(3, { customPorts: true });

  it('maps 443 to the replicas’ HTTPS ports and 80 to their HTTP ports (the vendor sample swaps them)', () => {
    const text = nginx(custom);
    expect(listeners(text)).toEqual([
      [80, 'dtr_http'],
      [443, 'dtr_https'],
    ]);
    expect(block(text, 'upstream dtr_https')).toEqual([
      'server 10.0.0.10:9000 max_fails=3 fail_timeout=10s;',
      'server 10.0.0.11:9001 max_fails=3 fail_timeout=10s;',
      'server 10.0.0.12:9002 max_fails=3 fail_timeout=10s;',
    ]);
    expect(block(text, 'upstream dtr_http')).toEqual([
      'server 10.0.0.10:8000 max_fails=3 fail_timeout=10s;',
      'server 10.0.0.11:8001 max_fails=3 fail_timeout=10s;',
      'server 10.0.0.12:8002 max_fails=3 fail_timeout=10s;',
    ]);
  });

  it('is a complete nginx.conf: events, a stream block, TCP passthrough', () => {
    const text = nginx(custom, {
      httpPort: 8080,
      httpsPort: 8443,
      fall: 2,
      failTimeoutMs: 30_000,
      connectTimeoutMs: 1500,
    });
    expect(block(text, 'events')).toEqual(['worker_connections 4096;']);
    expect(listeners(text)).toEqual([
      [8080, 'dtr_http'],
      [8443, 'dtr_https'],
    ]);
    expect(block(text, 'stream')).toEqual(
      expect.arrayContaining(['proxy_connect_timeout 1500ms;', 'proxy_timeout 10m;']),
    );
    expect(block(text, 'upstream dtr_https')[0]).toBe(
      'server 10.0.0.10:9000 max_fails=2 fail_timeout=30s;',
    );
    // TCP passthrough: no TLS termination, no HTTP proxying of registry traffic.
    expect(text).not.toMatch(/ssl_certificate|proxy_ssl|^http \{/m);
  });

  it('says that open-source NGINX has no active checks in stream mode, and never writes health_check', () => {
    const text = nginx(custom);
    expect(text).not.toMatch(/^\s*health_check/m);
    expect(text).toContain(
      '# Failover: Depends on traffic: a replica leaves the pool after 3 failed connections within',
    );
    expect(text.replace(/\n# /g, ' ')).toContain(
      'Open-source NGINX has no active health checks in stream mode',
    );
  });

  it('expects the stream module built in by default (official image), and loads Debian’s when asked', () => {
    const builtin = nginx(custom);
    expect(builtin).not.toMatch(/^\s*load_module/m);
    expect(builtin).toContain('# For NGINX 1.9 and later with the stream module built in');
    const debian = nginx(custom, { nginxStreamModule: 'debian' });
    expect(debian.split('\n')).toContain(`load_module ${DEBIAN_STREAM_MODULE};`);
    expect(debian).toContain('# For NGINX 1.9.11 and later from Debian or Ubuntu');
  });

  it('says how to run it: the official image with the file at /etc/nginx/nginx.conf, or on a Debian host', () => {
    const file = generateLbConfig(custom, {
      kind: 'nginx',
      generatedAt: GENERATED_AT,
      httpsPort: 8443,
      stats: true,
      statsPort: 8405,
    });
    expect(file.run.command).toBe(
      [
        'docker run -d --name dtr-lb --restart=unless-stopped',
        '-p 80:80',
        '-p 8443:8443',
        '-p 8405:8405',
        '-v "$PWD/dtr-nginx.conf:/etc/nginx/nginx.conf:ro"',
        'nginx:stable-alpine',
      ].join(' \\\n  '),
    );
    expect(file.text.replace(/\n# /g, ' ')).toContain(
      'Run it: docker run -d --name dtr-lb --restart=unless-stopped -p 80:80 -p 8443:8443 -p 8405:8405 -v "$PWD/dtr-nginx.conf:/etc/nginx/nginx.conf:ro" nginx:stable-alpine',
    );
    const debian = generateLbConfig(custom, {
      kind: 'nginx',
      generatedAt: GENERATED_AT,
      nginxStreamModule: 'debian',
    });
    // The official image has stream built in, so the load_module variant is not for it.
    expect(debian.run.command).not.toContain('docker run');
    expect(debian.run.command).toContain('apt-get install -y nginx-light libnginx-mod-stream');
    expect(debian.text.replace(/\n# /g, ' ')).toContain(
      'Run it: apt-get install -y nginx-light libnginx-mod-stream && install -m 644 dtr-nginx.conf /etc/nginx/nginx.conf && nginx -t && systemctl reload nginx',
    );
  });

  it('brackets IPv6 addresses and warns that host names must resolve when NGINX starts', () => {
    const text = nginx(replicaSet(3, { addresses: 'mixed' }));
    expect(block(text, 'upstream dtr_https')).toEqual([
      'server 10.0.0.10:443 max_fails=3 fail_timeout=10s;',
      'server dtr-2.example.com:443 max_fails=3 fail_timeout=10s;',
      'server [fd00::c]:443 max_fails=3 fail_timeout=10s;',
    ]);
    expect(text).toContain('# NGINX resolves host names once, when it loads this file');
    expect(nginx(custom)).not.toContain('resolves host names');
  });

  it('marks unhealthy replicas and tells how to take them out by hand', () => {
    const text = nginx(replicaSet(3, { healthy: (i) => i !== 0 }));
    expect(
      text.match(
        /# replica a1b2c3000111: UNHEALTHY when generated; NGINX cannot see \/_ping, add "down"/g,
      ),
    ).toHaveLength(2);
    expect(block(text, 'upstream dtr_https')).toHaveLength(3);
  });

  it('serves stub_status on the stats port only when asked', () => {
    expect(nginx(custom)).not.toContain('stub_status');
    const text = nginx(custom, { stats: true, statsPort: 8405 });
    expect(block(text, 'http')).toEqual([
      'access_log off;',
      'server {',
      'listen 8405;',
      'location = / {',
      'stub_status;',
      '}',
      '}',
    ]);
  });
});
