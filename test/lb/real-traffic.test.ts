// The generated configs, run: real HAProxy and NGINX in front of stand-in DTR replicas on
// loopback, each listening on its own HTTP and HTTPS ports and answering with who it is.
// TCP passthrough means the stand-ins can speak plain HTTP on both ports.
// Skips only without the binary and without root, like real-binaries.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, type TestContext } from 'vitest';
import { GENERATED_AT } from '@/test/support/lb-fixtures';
import { generateLbConfig } from '@/lib/domain/lb/generate';
import { DEBIAN_STREAM_MODULE } from '@/lib/domain/lb/nginx';
import { HAPROXY_VERSIONS, type LbOptionsInput } from '@/lib/domain/lb/options';
import type { LbReplicaInput } from '@/lib/domain/lb/replicas';
import { freePort, waitFor } from '@/test/support/net';

const isRoot = process.getuid?.() === 0;
function findBinary(name: string): string | null {
  const dirs = [
    ...(process.env.PATH ?? '').split(path.delimiter),
    '/usr/sbin',
    '/usr/local/sbin',
    '/sbin',
  ].filter(Boolean);
  return dirs.map((dir) => path.join(dir, name)).find((file) => existsSync(file)) ?? null;
}
function need(ctx: TestContext, name: string, packages: string): string {
  const binary = findBinary(name);
  if (binary !== null) return binary;
  if (!isRoot)
    ctx.skip(
      `${name} is not installed and the tests do not run as root; apt-get install -y ${packages}`,
    );
  throw new Error(
    `${name} is not installed: apt-get install -y ${packages} (CI installs it in .ci/run)`,
  );
}

interface Hit {
  replica: string;
  port: 'http' | 'https';
}

/** A stand-in replica: `/_ping` answers 200 (or 503 when sick) and records the Host header; anything else says who answered. */
class FakeReplica {
  readonly pingHosts: string[] = [];
  private readonly servers: http.Server[] = [];
  httpPort = 0;
  httpsPort = 0;
  constructor(
    readonly id: string,
    readonly address: string,
    readonly sick = false,
  ) {}

  async start(): Promise<void> {
    for (const port of ['http', 'https'] as const) {
      const server = http.createServer((req, res) => {
        if (req.url === '/_ping') {
          this.pingHosts.push(req.headers.host ?? '');
          res.writeHead(this.sick ? 503 : 200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              Healthy: !this.sick,
              Error: this.sick ? 'rethinkdb: unable to reach the database' : '',
            }),
          );
          return;
        }
        res.end(JSON.stringify({ replica: this.id, port } satisfies Hit));
      });
      await new Promise<void>((resolve) => server.listen(0, this.address, resolve));
      this[port === 'http' ? 'httpPort' : 'httpsPort'] = (server.address() as AddressInfo).port;
      this.servers.push(server);
    }
  }

  input(): LbReplicaInput {
    return {
      id: this.id,
      address: this.address,
      httpPort: this.httpPort,
      httpsPort: this.httpsPort,
      healthy: !this.sick,
    };
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))),
    );
  }
}

function get(port: number, urlPath = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: urlPath, agent: false, timeout: 2000 },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function hits(port: number, count: number): Promise<Hit[]> {
  const out: Hit[] = [];
  for (let i = 0; i < count; i += 1) out.push(JSON.parse((await get(port)).body) as Hit);
  return out;
}

const work = mkdtempSync(path.join(tmpdir(), 'dtr-lb-run-'));
const children: ChildProcess[] = [];
const replicas: FakeReplica[] = [];
afterEach(async () => {
  const exits = children.splice(0).map((child) => {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    return exited;
  });
  await Promise.all([...exits, ...replicas.splice(0).map((r) => r.stop())]);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Starts the load balancer in the foreground; returns what it has printed so far, for failure messages. */
function startLb(binary: string, args: string[]): () => string {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return () => `${output}${child.exitCode !== null ? ` (exited with ${child.exitCode})` : ''}`;
}

async function cluster(): Promise<FakeReplica[]> {
  const set = [
    new FakeReplica('a1b2c3000111', '127.0.0.2'),
    new FakeReplica('a1b2c3000222', '127.0.0.3', true),
    new FakeReplica('a1b2c3000333', '127.0.0.4'),
  ];
  await Promise.all(set.map((r) => r.start()));
  replicas.push(...set);
  return set;
}

async function frontends(): Promise<Pick<LbOptionsInput, 'httpPort' | 'httpsPort' | 'statsPort'>> {
  return { httpPort: await freePort(), httpsPort: await freePort(), statsPort: await freePort() };
}

describe('HAProxy in front of replicas', () => {
  it.for(HAPROXY_VERSIONS)(
    'sends 443 traffic to HTTPS ports and 80 to HTTP ports of healthy replicas only (HAProxy %s syntax)',
    async (haproxyVersion, ctx) => {
      const binary = need(ctx, 'haproxy', 'haproxy');
      const set = await cluster();
      const ports = await frontends();
      const options = {
        kind: 'haproxy',
        generatedAt: GENERATED_AT,
        ...ports,
        stats: true,
        checkScheme: 'http',
        checkIntervalMs: 500,
        checkTimeoutMs: 400,
        rise: 1,
        fall: 1,
        haproxyVersion,
      } as const;
      const file = path.join(work, `haproxy-${haproxyVersion}.cfg`);
      writeFileSync(
        file,
        generateLbConfig(
          set.map((r) => r.input()),
          options,
        ).text,
      );
      const output = startLb(binary, ['-db', '-f', file]);

      // Wait until every replica has been checked (none left in INI) and the pools follow the checks.
      await waitFor(
        () => `HAProxy to check every replica: ${output()}`,
        async () => {
          const rows = (await get(ports.statsPort!, '/;csv')).body
            .split('\n')
            .map((line) => line.split(','));
          const row = (backend: string, id: string) =>
            rows.find((r) => r[0] === backend && r[1] === `replica-${id}`);
          const checked = set.every((r) => {
            const check = row(`dtr_check_${r.id}`, r.id);
            return (
              check?.[17] === (r.sick ? 'DOWN' : 'UP') && check[36] === (r.sick ? 'L7STS' : 'L7OK')
            );
          });
          const followed = ['dtr_http_pool', 'dtr_https_pool'].every((pool) =>
            set.every((r) => row(pool, r.id)?.[17] === (r.sick ? 'DOWN' : 'UP')),
          );
          return checked && followed ? true : null;
        },
        10_000,
        100,
      );

      const viaHttps = await hits(ports.httpsPort!, 8);
      const viaHttp = await hits(ports.httpPort!, 8);
      expect(new Set(viaHttps.map((h) => h.replica))).toEqual(
        new Set(['a1b2c3000111', 'a1b2c3000333']),
      );
      expect(viaHttps.every((h) => h.port === 'https')).toBe(true);
      expect(new Set(viaHttp.map((h) => h.replica))).toEqual(
        new Set(['a1b2c3000111', 'a1b2c3000333']),
      );
      expect(viaHttp.every((h) => h.port === 'http')).toBe(true);
      for (const replica of set) {
        expect(replica.pingHosts.length).toBeGreaterThan(0);
        // 1.7 syntax checks with HTTP/1.0 and no Host; 2.2 names the replica being checked.
        expect(new Set(replica.pingHosts)).toEqual(
          new Set([haproxyVersion === '1.7' ? '' : replica.address]),
        );
      }
    },
  );
});

describe('NGINX in front of replicas', () => {
  it('maps the ports right, cannot see an unhealthy /_ping, and skips a replica that refuses connections', async (ctx) => {
    const binary = need(ctx, 'nginx', 'nginx-light libnginx-mod-stream');
    const set = await cluster();
    const ports = await frontends();
    const options = { kind: 'nginx', generatedAt: GENERATED_AT, ...ports } as const;
    const dir = mkdtempSync(path.join(work, 'nginx-'));
    const file = path.join(dir, 'nginx.conf');
    writeFileSync(
      file,
      generateLbConfig(
        set.map((r) => r.input()),
        options,
      ).text,
    );
    const output = startLb(binary, [
      '-p',
      `${dir}/`,
      '-e',
      path.join(dir, 'error.log'),
      '-c',
      file,
      '-g',
      // The default file expects stream built in (official image); Debian's nginx loads it as a module.
      `load_module ${DEBIAN_STREAM_MODULE}; daemon off; pid ${path.join(dir, 'nginx.pid')};`,
    ]);
    await waitFor(
      () => `NGINX to listen: ${output()}`,
      async () => ((await get(ports.httpsPort!)).status === 200 ? true : null),
      10_000,
      100,
    );

    const viaHttps = await hits(ports.httpsPort!, 9);
    const viaHttp = await hits(ports.httpPort!, 9);
    // Passive checks only: the replica whose /_ping says unhealthy still gets its share.
    expect(new Set(viaHttps.map((h) => h.replica))).toEqual(new Set(set.map((r) => r.id)));
    expect(viaHttps.every((h) => h.port === 'https')).toBe(true);
    expect(new Set(viaHttp.map((h) => h.replica))).toEqual(new Set(set.map((r) => r.id)));
    expect(viaHttp.every((h) => h.port === 'http')).toBe(true);
    expect(set.every((r) => r.pingHosts.length === 0)).toBe(true);

    // A replica that refuses connections: NGINX tries the next one, so clients still get answers.
    await set[1]!.stop();
    const after = await hits(ports.httpsPort!, 9);
    expect(new Set(after.map((h) => h.replica))).toEqual(new Set(['a1b2c3000111', 'a1b2c3000333']));
  });
});
