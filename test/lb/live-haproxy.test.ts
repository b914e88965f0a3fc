// Real HAProxy, run with the generated config in front of the demo cluster's replicas on loopback:
// traffic keeps flowing when a replica stops, HAProxy's stats mark it DOWN within inter x fall,
// and the console's drift check reads the same stats and agrees. Skips without haproxy only
// when not root, like real-binaries.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCluster, type DemoCluster } from '@/lib/demo';
import { fetchHaproxyStats } from '@/lib/sources/haproxy-stats';
import { LbDriftPoller } from '@/lib/monitor/lb-drift';
import { compareLbPool, type DriftReplica, type LbServerState } from '@/lib/domain/lb/drift';
import { GENERATED_AT } from '@/test/support/lb-fixtures';
import { generateLbConfig } from '@/lib/domain/lb/generate';
import { freePort, waitFor } from '@/test/support/net';

const isRoot = process.getuid?.() === 0;
const haproxy =
  ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin', '/usr/local/bin']
    .map((dir) => path.join(dir, 'haproxy'))
    .find((file) => existsSync(file)) ?? null;

const CHECK = { checkIntervalMs: 500, checkTimeoutMs: 400, rise: 1, fall: 2 } as const;

function get(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: urlPath, agent: false, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const work = mkdtempSync(path.join(tmpdir(), 'dtr-lb-live-'));
let demo: DemoCluster | null = null;
let child: ChildProcess | null = null;
let output = '';
let ports = { httpPort: 0, httpsPort: 0, statsPort: 0 };
const statsUrl = () => `http://127.0.0.1:${ports.statsPort}/`;
const stats = () => fetchHaproxyStats({ statsUrl: statsUrl(), timeoutMs: 2000 });

/** The demo's replicas as the console would see them: a stopped one is unreachable. */
function replicasOfDemo(cluster: DemoCluster): (DriftReplica & { address: string })[] {
  const { replicas, members } = cluster.describe();
  return replicas.map((r) => {
    const fault = members.find((m) => m.target === r.id)?.fault ?? 'none';
    return {
      id: r.id,
      node: r.node,
      status: fault === 'none' ? 'healthy' : 'unreachable',
      address: new URL(r.url).hostname,
      httpPort: r.httpPort,
      httpsPort: r.httpsPort,
    };
  });
}

const rowsOf = (pool: LbServerState[], id: string) => pool.filter((row) => row.replicaId === id);
const allIn = (pool: LbServerState[], id: string, status: string) => {
  const rows = rowsOf(pool, id);
  return rows.length === 3 && rows.every((row) => row.status === status);
};

async function stopHaproxy(): Promise<void> {
  const running = child;
  child = null;
  if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  process.kill(running.pid, 'SIGTERM');
  const timer = setTimeout(() => running.pid && process.kill(running.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  if (haproxy === null) return;
  demo = await startDemoCluster({ applyDelayMs: 300, seed: 'lb-live' });
  ports = { httpPort: await freePort(), httpsPort: await freePort(), statsPort: await freePort() };
  const replicas = replicasOfDemo(demo);
  // The demo serves plain HTTP only: check over HTTP and send traffic through the HTTP frontend.
  const file = generateLbConfig(replicas, {
    kind: 'haproxy',
    generatedAt: GENERATED_AT,
    ...ports,
    ...CHECK,
    checkScheme: 'http',
    stats: true,
  });
  // Production configs bind every address; the test keeps to loopback.
  const config = path.join(work, 'haproxy.cfg');
  writeFileSync(config, file.text.replaceAll('    bind :', '    bind 127.0.0.1:'));
  // Foreground (-db): the child's pid is HAProxy's, and afterAll stops exactly that process.
  child = spawn(haproxy, ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  // Should the test process die before afterAll, HAProxy must not outlive it.
  process.once('exit', () => {
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(`HAProxy to check every replica UP: ${output}`, async () => {
    const pool = await stats();
    return replicas.every((r) => allIn(pool, r.id, 'UP')) ? pool : null;
  });
}, 30_000);

let poller: LbDriftPoller | null = null;

afterAll(async () => {
  poller?.stop();
  await stopHaproxy();
  await demo?.close();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(haproxy === null && !isRoot)('HAProxy in front of the demo replicas', () => {
  it('keeps traffic flowing when a replica stops, marks it DOWN, and the drift check agrees', async () => {
    if (haproxy === null) throw new Error('haproxy is not installed: apt-get install -y haproxy');
    const cluster = demo!;
    const [stopped, ...others] = replicasOfDemo(cluster);
    if (!stopped || others.length !== 2) throw new Error('the demo should have three replicas');

    // As the runtime starts it when LB_STATS_URL is set.
    const drift = new LbDriftPoller({
      statsUrl: statsUrl(),
      intervalMs: 200,
      timeoutMs: 2000,
      getReplicas: () => replicasOfDemo(cluster),
    });
    poller = drift;
    drift.start();
    const synced = await drift.pollNow();
    expect(synced).toMatchObject({ configured: true, error: null, findings: [] });
    expect(synced.source).toBe(`127.0.0.1:${ports.statsPort}`);
    expect(synced.pool).toHaveLength(9);

    const before = await Promise.all(
      Array.from({ length: 12 }, () => get(ports.httpPort, '/_ping')),
    );
    expect(before.every((status) => status === 200)).toBe(true);

    await cluster.setFault(stopped.id, 'stop');
    const stoppedAt = performance.now();
    // Clients keep getting answers while HAProxy's checks notice (retries, then redispatch).
    const during: number[] = [];
    const down = await waitFor('HAProxy to mark the stopped replica DOWN', async () => {
      during.push(await get(ports.httpPort, '/_ping'));
      const pool = await stats();
      return allIn(pool, stopped.id, 'DOWN') ? pool : null;
    });
    const detectedMs = performance.now() - stoppedAt;
    console.log(
      `HAProxy marked ${stopped.id} DOWN after ${Math.round(detectedMs)} ms (inter ${CHECK.checkIntervalMs} ms x fall ${CHECK.fall} + timeout ${CHECK.checkTimeoutMs} ms = ${CHECK.checkIntervalMs * CHECK.fall + CHECK.checkTimeoutMs} ms worst case); ${during.length} requests meanwhile`,
    );
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((status) => status === 200)).toBe(true);
    // Worst case inter x fall + timeout, plus slack for a busy CI machine and the stats read.
    expect(detectedMs).toBeLessThan(
      CHECK.checkIntervalMs * CHECK.fall + CHECK.checkTimeoutMs + 2000,
    );
    const check = down.find((row) => row.backend === `dtr_check_${stopped.id}`);
    expect(check).toMatchObject({ status: 'DOWN', checkStatus: 'L4CON' });
    expect(check?.checkDetail).toMatch(/Connection refused/);
    for (const other of others) expect(allIn(down, other.id, 'UP')).toBe(true);

    const after = await Promise.all(
      Array.from({ length: 12 }, () => get(ports.httpPort, '/_ping')),
    );
    expect(after.every((status) => status === 200)).toBe(true);

    // LB and cluster agree the replica is down: nothing to report. Had the cluster still called it
    // healthy, the check would be the one to flag.
    const replicas = replicasOfDemo(cluster);
    expect(replicas.find((r) => r.id === stopped.id)?.status).toBe('unreachable');
    expect(compareLbPool(replicas, down)).toEqual([]);
    const claimedHealthy = replicas.map((r) => ({ ...r, status: 'healthy' as const }));
    expect(compareLbPool(claimedHealthy, down).map((f) => [f.code, f.subjects])).toEqual([
      ['lb-down-cluster-healthy', [stopped.id]],
    ]);
    const seen = await waitFor('the drift poller to see the replica DOWN', async () => {
      const state = drift.state();
      return state.pool.length > 0 && allIn(state.pool, stopped.id, 'DOWN') ? state : null;
    });
    expect(seen.findings).toEqual([]);

    // `dtr remove` leaves the load balancer alone: the pool now lists a replica that is gone.
    await cluster.removeReplicas([stopped.id]).done;
    expect(replicasOfDemo(cluster).map((r) => r.id)).not.toContain(stopped.id);
    const stale = compareLbPool(replicasOfDemo(cluster), await stats());
    expect(stale.map((f) => [f.code, f.subjects, f.severity])).toEqual([
      ['stale-in-pool', [stopped.id], 'warning'],
    ]);
    const flagged = await waitFor('the drift poller to flag the removed replica', async () => {
      const state = drift.state();
      return state.findings.some((f) => f.code === 'stale-in-pool') ? state : null;
    });
    expect(flagged.findings.map((f) => [f.code, f.subjects])).toEqual([
      ['stale-in-pool', [stopped.id]],
    ]);
    expect(flagged.findings[0]?.href).toBe('/load-balancer');
  });
});
