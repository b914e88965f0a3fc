// The generated configs, proven by the real load balancers (Debian's haproxy and nginx):
// every HAProxy config passes `haproxy -c`, every NGINX config `nginx -t`, in every variant
// (HAProxy 1.7 and 2.2 syntax; NGINX with the stream module built in or loaded). Debian has no
// HAProxy 1.7: haproxy-17.test.ts checks the 1.7 variant against the 1.7 manual's keyword lists.
// Without a binary the tests skip only when not running as root; as root (CI) they fail,
// because the binary should have been installed: apt-get install -y haproxy nginx-light libnginx-mod-stream.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { GENERATED_AT, replicaSet, type ReplicaSetSpec } from '@/test/support/lb-fixtures';
import { generateLbConfig } from '@/lib/domain/lb/generate';
import { DEBIAN_STREAM_MODULE } from '@/lib/domain/lb/nginx';
import { HAPROXY_VERSIONS, type LbOptionsInput } from '@/lib/domain/lb/options';

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];
const isRoot = process.getuid?.() === 0;

function findBinary(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...SBIN].filter(Boolean);
  return dirs.map((dir) => path.join(dir, name)).find((file) => existsSync(file)) ?? null;
}

const haproxy = findBinary('haproxy');
const nginx = findBinary('nginx');

/** Skips when the binary is missing and we are not root; as root a missing binary fails the test. */
function need(ctx: TestContext, binary: string | null, name: string, packages: string): string {
  if (binary !== null) return binary;
  const install = `apt-get install -y ${packages}`;
  if (!isRoot)
    ctx.skip(
      `${name} is not installed and the tests do not run as root, so they cannot check real configs; ${install}`,
    );
  throw new Error(`${name} is not installed: ${install} (CI installs it in .ci/run)`);
}

const work = mkdtempSync(path.join(tmpdir(), 'dtr-lb-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let fileCount = 0;
function writeConfig(text: string, name: string): string {
  const dir = path.join(work, `${(fileCount += 1)}`);
  const file = path.join(dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, text);
  return file;
}

function run(binary: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(binary, args, { encoding: 'utf8', timeout: 15_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

interface Case {
  name: string;
  count: number;
  replicas: ReplicaSetSpec;
  options: Partial<LbOptionsInput>;
}

const SIZES = [1, 3, 5, 7];

function cases(hostname: (i: number) => string): Case[] {
  return SIZES.flatMap((count) => [
    { name: `${count} replicas, default ports`, count, replicas: {}, options: {} },
    {
      name: `${count} replicas, custom ports, IPv4/host name/IPv6, stats page, HTTP check`,
      count,
      replicas: {
        customPorts: true,
        addresses: 'mixed',
        hostname,
        healthy: (i) => (i === 1 ? false : undefined),
      },
      options: {
        httpPort: 8080,
        httpsPort: 8443,
        stats: true,
        statsPort: 9090,
        checkScheme: 'http',
        checkIntervalMs: 2500,
        fall: 2,
        rise: 1,
        idleTimeoutMs: 3_600_000,
      },
    },
  ]);
}

describe('haproxy -c', () => {
  const version = haproxy
    ? `HAProxy ${/version (\S+)/.exec(run(haproxy, ['-v']).output)?.[1] ?? '?'}`
    : 'not installed';

  const haproxyCases = HAPROXY_VERSIONS.flatMap((haproxyVersion) =>
    cases((i) => `dtr-${i + 1}.example.com`).map((c) => ({
      ...c,
      name: `${c.name}, HAProxy ${haproxyVersion} syntax`,
      options: { ...c.options, haproxyVersion },
    })),
  );

  it.for(haproxyCases)(`accepts the config for $name (${version})`, (c, ctx) => {
    const binary = need(ctx, haproxy, 'haproxy', 'haproxy');
    const replicas = replicaSet(c.count, c.replicas);
    const file = writeConfig(
      generateLbConfig(replicas, { kind: 'haproxy', generatedAt: GENERATED_AT, ...c.options }).text,
      'haproxy.cfg',
    );
    const { status, output } = run(binary, ['-c', '-f', file]);
    expect(output).toContain('Configuration file is valid');
    expect(status).toBe(0);
    // The only acceptable warning: a host name that does not resolve here (the server then starts out of the pool).
    const warnings = output
      .split('\n')
      .filter(
        (line) =>
          /\[(WARNING|ALERT)\]/.test(line) &&
          !/could not resolve address 'dtr-\d+\.example\.com'/.test(line),
      );
    expect(warnings).toEqual([]);
  });
});

describe('nginx -t', () => {
  const version = nginx
    ? (/nginx\/\S+/.exec(run(nginx, ['-v']).output)?.[0] ?? '?')
    : 'not installed';

  /** `nginx -t` on a private prefix, so pid and logs stay in the temporary directory. */
  function check(
    binary: string,
    file: string,
    extra = '',
  ): { status: number | null; output: string } {
    const dir = path.dirname(file);
    return run(binary, [
      '-t',
      '-p',
      `${dir}/`,
      '-e',
      path.join(dir, 'error.log'),
      '-c',
      file,
      '-g',
      `${extra}pid ${path.join(dir, 'nginx.pid')};`,
    ]);
  }

  const nginxCases = (['builtin', 'debian'] as const).flatMap((nginxStreamModule) =>
    cases(() => 'localhost').map((c) => ({
      ...c,
      name: `${c.name}, stream module ${nginxStreamModule === 'builtin' ? 'built in' : 'loaded (Debian)'}`,
      options: { ...c.options, nginxStreamModule },
    })),
  );

  // NGINX resolves upstream host names when it loads the config, so use one that resolves everywhere.
  it.for(nginxCases)(`accepts the config for $name (${version})`, (c, ctx) => {
    const binary = need(ctx, nginx, 'nginx', 'nginx-light libnginx-mod-stream');
    expect(
      existsSync(DEBIAN_STREAM_MODULE),
      `${DEBIAN_STREAM_MODULE} is missing: apt-get install -y libnginx-mod-stream`,
    ).toBe(true);
    const replicas = replicaSet(c.count, c.replicas);
    const file = writeConfig(
      generateLbConfig(replicas, { kind: 'nginx', generatedAt: GENERATED_AT, ...c.options }).text,
      'nginx.conf',
    );
    if (c.options.nginxStreamModule === 'builtin') {
      // Debian builds stream as a module: the file does not load it (the official image has it
      // built in), so here it is refused as it stands and accepted once the module is there.
      expect(check(binary, file).output).toContain('unknown directive "stream"');
      const { status, output } = check(binary, file, `load_module ${DEBIAN_STREAM_MODULE}; `);
      expect(output).toContain('test is successful');
      expect(status).toBe(0);
    } else {
      const { status, output } = check(binary, file);
      expect(output).toContain('test is successful');
      expect(status).toBe(0);
    }
  });
});
