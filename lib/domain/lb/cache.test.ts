// The cache load-balancer configs: what they balance and check, and the real binaries' verdict
// (Debian's haproxy and nginx, as in real-binaries.test.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { cacheLbConfig, cacheLbDockerRun, type CacheLbInput } from './cache';
import { LbConfigError } from './errors';
import { DEBIAN_STREAM_MODULE } from './nginx';

const AT = '2026-12-04T12:00:00.000Z';
const HA: CacheLbInput = {
  name: 'cache-ha',
  url: 'https://cache.example.com:443',
  replicas: [
    { node: 'cache-node-1', address: '10.0.3.1' },
    { node: 'cache-node-2', address: '10.0.3.2' },
    { node: 'cache-node-3', address: 'fd00::3' },
  ],
  generatedAt: AT,
};

describe('cacheLbConfig', () => {
  it('HAProxy: one server per replica on the registered port, checked on /v2/ for 200 or 401 over TLS', () => {
    const text = cacheLbConfig('haproxy', HA);
    expect(text).toContain('    bind :443');
    expect(text).toContain('    mode tcp');
    expect(text).toContain('    option httpchk GET /v2/');
    expect(text).toContain('    http-check expect rstatus ^(200|401)$');
    expect(text.match(/^ {4}server .*$/gm)).toEqual([
      '    server cache-node-1 10.0.3.1:443 check inter 5s fall 3 rise 2 check-ssl verify none',
      '    server cache-node-2 10.0.3.2:443 check inter 5s fall 3 rise 2 check-ssl verify none',
      '    server cache-node-3 [fd00::3]:443 check inter 5s fall 3 rise 2 check-ssl verify none',
    ]);
    // Nothing HAProxy 1.7 would refuse, nor DTR's /_ping, which a cache does not serve.
    const directives = text.split('\n').filter((line) => !line.startsWith('#'));
    expect(directives.join('\n')).not.toMatch(/http-check send|\/_ping/);
  });

  it('uses only keywords HAProxy 1.7 knows (the document runs haproxy:1.7-alpine)', () => {
    // HAProxy 1.7 configuration.txt: section 3 (global: maxconn), 4.1 keyword matrix (mode,
    // timeout, bind, default_backend, balance, option httpchk, http-check expect, server), and
    // 5.2 server options (check, inter, fall, rise, check-ssl, verify).
    const KNOWN_17 = new Set([
      'global',
      'defaults',
      'frontend',
      'backend',
      'maxconn',
      'mode',
      'timeout',
      'bind',
      'default_backend',
      'balance',
      'option',
      'http-check',
      'server',
    ]);
    const SERVER_OPTIONS_17 = new Set([
      'check',
      'inter',
      'fall',
      'rise',
      'check-ssl',
      'verify',
      'none',
    ]);
    for (const input of [HA, { ...HA, url: 'http://cache:5000' }]) {
      const lines = cacheLbConfig('haproxy', input)
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith('#'));
      for (const line of lines) expect(KNOWN_17, line).toContain(line.trim().split(/\s+/)[0]);
      for (const line of lines.filter((l) => l.trim().startsWith('server '))) {
        const options = line
          .trim()
          .split(/\s+/)
          .slice(3)
          .filter((w) => /^[a-z-]+$/.test(w));
        for (const option of options) expect(SERVER_OPTIONS_17, line).toContain(option);
      }
      expect(lines.filter((l) => l.trim().startsWith('option '))).toEqual([
        '    option httpchk GET /v2/',
      ]);
    }
  });

  it('an http cache on its own port: no TLS on the check, that port on both sides', () => {
    const text = cacheLbConfig('haproxy', { ...HA, url: 'http://10.9.9.9:5000' });
    expect(text).toContain('    bind :5000');
    expect(text).toContain('    server cache-node-1 10.0.3.1:5000 check inter 5s fall 3 rise 2\n');
    expect(text).not.toContain('check-ssl');
  });

  it('NGINX: a stream upstream of the replicas, built-in stream (official image), passive checks said so', () => {
    const text = cacheLbConfig('nginx', HA);
    expect(text).not.toMatch(/^load_module/m);
    expect(text).toContain('        server 10.0.3.2:443 max_fails=3 fail_timeout=10s;');
    expect(text).toContain('        listen 443;');
    expect(text).toContain('no active health checks');
  });

  it('lists a replica without a usable address in the header, not in the pool', () => {
    const text = cacheLbConfig('haproxy', {
      ...HA,
      replicas: [...HA.replicas, { node: 'cache-node-4', address: null }],
    });
    expect(text).toContain('#   cache-node-4  left out: the console has no usable address for it');
    expect(text).not.toMatch(/server cache-node-4/);
  });

  it('refuses input it cannot make a safe config from, with a sentence', () => {
    expect(() => cacheLbConfig('haproxy', { ...HA, replicas: [] })).toThrow(
      'replicas: the cache has no replica node with a usable address, so there is nothing to balance',
    );
    expect(() =>
      cacheLbConfig('haproxy', {
        ...HA,
        replicas: [{ node: 'x\n    bind :1', address: '1.2.3.4' }],
      }),
    ).toThrow(LbConfigError);
    expect(() => cacheLbConfig('nginx', { ...HA, url: 'ftp://cache:21' })).toThrow(
      'url: a cache is reached over https or http, got ftp:',
    );
  });

  it('names the official images the document launches in the docker run lines', () => {
    expect(cacheLbDockerRun('haproxy', 443)).toContain('haproxy:1.7-alpine');
    expect(cacheLbDockerRun('haproxy', 443)).toContain('/usr/local/etc/haproxy/haproxy.cfg:ro');
    expect(cacheLbDockerRun('nginx', 443)).toContain('nginx:stable-alpine');
  });
});

// --- The real binaries ---------------------------------------------------------------------------

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];
const isRoot = process.getuid?.() === 0;
const findBinary = (name: string): string | null =>
  [...(process.env.PATH ?? '').split(path.delimiter), ...SBIN]
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find((file) => existsSync(file)) ?? null;
const haproxy = findBinary('haproxy');
const nginx = findBinary('nginx');

function need(ctx: TestContext, binary: string | null, name: string, packages: string): string {
  if (binary !== null) return binary;
  if (!isRoot) ctx.skip(`${name} is not installed: apt-get install -y ${packages}`);
  throw new Error(`${name} is not installed: apt-get install -y ${packages}`);
}

const work = mkdtempSync(path.join(tmpdir(), 'dtr-cache-lb-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let files = 0;
function write(text: string, name: string): string {
  const file = path.join(work, `${(files += 1)}-${name}`);
  writeFileSync(file, text);
  return file;
}
const run = (binary: string, args: string[]) => {
  const r = spawnSync(binary, args, { encoding: 'utf8', timeout: 15_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
};

const VARIANTS: [string, CacheLbInput][] = [
  ['3 replicas over HTTPS, IPv4 and IPv6', HA],
  [
    '1 replica over HTTP on port 5000',
    { ...HA, url: 'http://cache:5000', replicas: [HA.replicas[0]!] },
  ],
];

describe('the real binaries accept the cache configs', () => {
  it.for(VARIANTS)('haproxy -c: %s', ([, input], ctx) => {
    const binary = need(ctx, haproxy, 'haproxy', 'haproxy');
    const { status, output } = run(binary, [
      '-c',
      '-f',
      write(cacheLbConfig('haproxy', input), 'haproxy.cfg'),
    ]);
    expect(output).toContain('Configuration file is valid');
    expect(status).toBe(0);
    expect(output.split('\n').filter((l) => /\[(WARNING|ALERT)\]/.test(l))).toEqual([]);
  });

  it.for(VARIANTS)('nginx -t: %s (stream loaded as Debian builds it)', ([, input], ctx) => {
    const binary = need(ctx, nginx, 'nginx', 'nginx-light libnginx-mod-stream');
    const file = write(cacheLbConfig('nginx', input), 'nginx.conf');
    const { status, output } = run(binary, [
      '-t',
      '-p',
      `${work}/`,
      '-e',
      path.join(work, 'error.log'),
      '-c',
      file,
      '-g',
      `load_module ${DEBIAN_STREAM_MODULE}; pid ${path.join(work, `nginx-${files}.pid`)};`,
    ]);
    expect(output).toContain('test is successful');
    expect(status).toBe(0);
  });
});
