// Issue #20, "real parts in the tests": one console process (test/support/console-child.ts: the real
// fleet runtime and route handlers) watching several clusters through a CLUSTERS_FILE:
//   prod, dr  two demo clusters this test starts, UCP over HTTPS with their throwaway CA on file
//             (the console verifies it), DTR on loopback HTTP, a service password in a file;
//   swarm     the real 3-manager Docker Swarm of test/swarm/ (dockerd in network namespaces), read
//             through manager 1's socket (dockerHost) — only where the Swarm suites can run;
//   hung      a UCP and DTR URL at a TCP server that accepts and never answers, with a 10 s probe
//             timeout: were the clusters polled one after another, every other cluster would wait.
// GET /api/fleet must show a Swarm manager's death on the swarm row within one poll, a probe
// timeout and the confirming re-probe, while the demo rows stay as they were and keep arriving
// every interval, hung cluster or not.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCluster, type DemoCluster } from '@/lib/demo';
import type { FleetDocument, FleetRow } from '@/lib/domain/fleet';
import type { ClusterStatus } from '@/lib/domain/types';
import { quickTimeoutMs } from '@/lib/monitor/tracking';
import { waitFor } from '@/test/support/net';
import { startReadyChild } from '@/test/support/ready-child';
import { canRunSwarm, startSwarm, type Swarm } from '@/test/swarm/harness';

// The console's defaults (README, "How fast a failure is seen"): the clusters file leaves them be.
const POLL_MS = 2000;
const TIMEOUT_MS = 1500;
/** The hung cluster's own probe timeout: a poll of it takes at least this long. */
const HUNG_TIMEOUT_MS = 10_000;
/** Swarm marks a SIGKILLed follower unreachable well under a second (test/swarm/README.md). */
const SWARM_NOTICE_MS = 1000;
/** One GET /api/fleet every this often, and its own time on the wire. */
const SAMPLE_MS = 100;
const CHILD = path.join(__dirname, '..', 'support', 'console-child.ts');
const SERVICE_USER = 'console-service';

const withSwarm = canRunSwarm();
const DEMOS = ['prod', 'dr'] as const;

let workDir: string;
let swarm: Swarm | undefined;
const demos = new Map<string, DemoCluster>();
let hung: { server: Server; sockets: Set<Socket>; port: number } | undefined;
const children = new Set<ChildProcess>();
let consoleUrl: string;
let consoleStderr: () => string = () => '';

async function startHungServer(): Promise<NonNullable<typeof hung>> {
  const sockets = new Set<Socket>();
  // Accepts, reads and never writes a byte: no TLS handshake, no HTTP answer, no close.
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the hung server has no port');
  return { server, sockets, port: address.port };
}

function writeSecret(name: string, text: string): string {
  const file = path.join(workDir, name);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

async function fleetDocument(): Promise<FleetDocument> {
  const response = await fetch(`${consoleUrl}/api/fleet`);
  if (!response.ok) throw new Error(`GET /api/fleet: HTTP ${response.status}`);
  return (await response.json()) as FleetDocument;
}

function rowOf(doc: FleetDocument, name: string): FleetRow {
  const row = doc.clusters.find((r) => r.name === name);
  if (!row) throw new Error(`GET /api/fleet has no row for ${name}: ${JSON.stringify(doc)}`);
  return row;
}

/** What an operator reads off a row, without its times. */
function verdictOf(row: FleetRow) {
  return {
    state: row.state,
    dtr: row.dtr,
    ucp: row.ucp,
    worst: row.worst?.code ?? null,
    warnings: row.warnings,
    stale: row.stale,
  };
}

interface Sample {
  /** Date.now() when the answer arrived. */
  at: number;
  doc: FleetDocument;
}

/** GET /api/fleet every SAMPLE_MS for `ms`. */
async function sampleFleet(ms: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    samples.push({ doc: await fleetDocument(), at: Date.now() });
    await sleep(SAMPLE_MS);
  }
  return samples;
}

/** The distinct generatedAt values of one cluster's row, in order. */
function snapshotTimes(samples: Sample[], name: string): number[] {
  const times: number[] = [];
  for (const { doc } of samples) {
    const at = rowOf(doc, name).generatedAt;
    if (at === null) continue;
    const t = Date.parse(at);
    if (times.at(-1) !== t) times.push(t);
  }
  return times;
}

const gapsOf = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

const healthyRow = (row: FleetRow) =>
  row.state === 'ok' &&
  !row.stale &&
  row.ucp?.status === 'healthy' &&
  (row.dtr === null || row.dtr.status === 'healthy');

describe('one console watching several clusters (CLUSTERS_FILE)', () => {
  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'dtr-fleet-'));
    // The Swarm first: forming it is the slow part, and the console needs its socket.
    if (withSwarm) swarm = await startSwarm({ managers: 3, namePrefix: 'dhcf' });
    const password = randomBytes(18).toString('base64url');
    for (const name of DEMOS)
      demos.set(
        name,
        await startDemoCluster({
          seed: `fleet-${name}`,
          tls: true,
          // prod: the default demo; dr: the small disaster-recovery site DEMO_CLUSTERS=2 runs.
          ...(name === 'dr' ? { managers: 3, replicas: 1, caches: 0, workers: 2 } : {}),
          extraUsers: [{ username: SERVICE_USER, password, isAdmin: true }],
        }),
      );
    hung = await startHungServer();
    const passwordFile = writeSecret('ucp-password', `${password}\n`);
    const clusters: Record<string, unknown>[] = [];
    for (const [name, demo] of demos) {
      clusters.push({
        name,
        ucpUrl: demo.ucpUrl,
        ucpCaFile: writeSecret(`${name}-ucp-ca.pem`, demo.ucpCa ?? ''),
        username: SERVICE_USER,
        passwordFile,
        dtrUrl: demo.dtrUrl,
        dtrProbeScheme: 'http',
        probeAllowedHosts: [...demo.probeAllowedHosts],
      });
    }
    if (swarm) clusters.push({ name: 'swarm', dockerHost: `unix://${swarm.managerSocket(0)}` });
    clusters.push({
      name: 'hung',
      ucpUrl: `https://127.0.0.1:${hung.port}`,
      ucpCaFile: path.join(workDir, 'prod-ucp-ca.pem'),
      username: SERVICE_USER,
      passwordFile,
      dtrUrl: `https://127.0.0.1:${hung.port}`,
      probeTimeoutMs: HUNG_TIMEOUT_MS,
    });
    const clustersFile = path.join(workDir, 'clusters.json');
    writeFileSync(clustersFile, JSON.stringify({ clusters }, null, 2));

    const { ready, stderr } = await startReadyChild<{ port: number }>(
      CHILD,
      {
        NODE_ENV: 'production',
        CLUSTERS_FILE: clustersFile,
        // The swarm cluster has no UCP to check passwords against (README, "Several clusters").
        AUTH: 'off',
        SESSION_SECRET: randomBytes(36).toString('base64url'),
        DATABASE_URL: `file:${path.join(workDir, 'console.db')}`,
        CONSOLE_CHILD_PORT: '0',
        CONSOLE_CHILD_ROUTES: 'GET /api/fleet,GET /api/healthz,GET /api/status',
        CONSOLE_CHILD_CLUSTER_PREFIX: 'on',
      },
      { label: 'fleet console', timeoutMs: 60_000, live: children },
    );
    consoleUrl = `http://127.0.0.1:${ready.port}`;
    consoleStderr = stderr;
  }, 240_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const socket of hung?.sockets ?? []) socket.destroy();
    await new Promise((resolve) => (hung ? hung.server.close(resolve) : resolve(undefined)));
    await Promise.all([...demos.values()].map((demo) => demo.close()));
    await swarm?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  }, 90_000);

  it('keeps every cluster’s row arriving each interval while one cluster hangs', async () => {
    const live = [...DEMOS, ...(swarm ? ['swarm'] : [])];
    await waitFor(
      () => `every cluster but hung to read healthy; console stderr: ${consoleStderr()}`,
      async () => {
        const doc = await fleetDocument();
        return live.every((name) => healthyRow(rowOf(doc, name))) ? doc : null;
      },
      30_000,
      SAMPLE_MS,
    );

    // Five intervals, with the hung cluster's polls each taking its whole 10 s timeout.
    const samples = await sampleFleet(5 * POLL_MS + 500);
    const report: string[] = [];
    for (const name of live) {
      const times = snapshotTimes(samples, name);
      const gaps = gapsOf(times);
      report.push(`${name}: ${times.length} snapshots, gaps ${gaps.join(', ')} ms`);
      // A snapshot per interval (re-probes may add one in between, never take one away).
      expect(times.length, report.join('\n')).toBeGreaterThanOrEqual(5);
      expect(Math.max(...gaps), report.join('\n')).toBeLessThanOrEqual(POLL_MS + 500);
      // Fresh all along: never the stale mark, never older than one interval and a poll.
      for (const { doc } of samples) {
        const row = rowOf(doc, name);
        expect(row.stale).toBe(false);
        expect(Date.parse(doc.generatedAt) - Date.parse(row.generatedAt!)).toBeLessThanOrEqual(
          POLL_MS + TIMEOUT_MS,
        );
      }
    }
    // The hung cluster itself: waiting for a first poll, or its figures marked stale.
    for (const { doc } of samples) {
      const row = rowOf(doc, 'hung');
      expect(row.state === 'waiting' || row.stale, JSON.stringify(row)).toBe(true);
      if (row.state === 'ok') expect(row.worst?.code).toBe('SOURCE_UNREACHABLE');
    }
    console.log(
      `fleet, hung cluster (probe timeout ${HUNG_TIMEOUT_MS} ms) beside the others:\n  ${report.join('\n  ')}`,
    );
  }, 60_000);

  // A cluster the console has never read (its UCP and DTR accept and never answer): after its
  // first poll times out, its row says unknown for DTR and UCP, not a lost quorum of 0/0.
  it('says "unknown", not "quorum lost", for a cluster it has never been able to read', async () => {
    const doc = await waitFor(
      'the hung cluster’s first poll to time out',
      async () => {
        const d = await fleetDocument();
        return rowOf(d, 'hung').state === 'ok' ? d : null;
      },
      HUNG_TIMEOUT_MS + 2 * POLL_MS + 5_000,
      SAMPLE_MS,
    );
    const row = rowOf(doc, 'hung');
    expect(row.stale).toBe(true);
    expect(row.ucp?.status).toBe('unknown');
    expect(row.dtr?.status).toBe('unknown');
  }, 30_000);

  it.skipIf(!withSwarm)(
    'shows a Swarm manager’s death on the swarm row within one poll, leaving the demo rows as they were',
    async () => {
      const theSwarm = swarm!;
      const before = await waitFor(
        'the swarm and demo rows to read healthy',
        async () => {
          const doc = await fleetDocument();
          return ['swarm', ...DEMOS].every((name) => healthyRow(rowOf(doc, name))) ? doc : null;
        },
        30_000,
        SAMPLE_MS,
      );
      expect(rowOf(before, 'swarm')).toMatchObject({
        dtr: null,
        ucp: { status: 'healthy', healthy: 3, members: 3, margin: 1 },
        worst: null,
      });
      const swarmStatus = (await (
        await fetch(`${consoleUrl}/c/swarm/api/status`)
      ).json()) as ClusterStatus;
      // A follower the console does not read through: no new leader to elect, the socket stays.
      const victim = theSwarm.nodes.find(
        (n) =>
          n.role === 'manager' &&
          n.socketPath !== theSwarm.managerSocket(0) &&
          n.hostname !== swarmStatus.ucp.managers.leader,
      );
      if (!victim) throw new Error('no follower to kill');

      const killedAt = Date.now();
      await theSwarm.kill(victim.hostname);
      const seen = await waitFor(
        'the swarm row to show a manager lost',
        async () => {
          const doc = await fleetDocument();
          const row = rowOf(doc, 'swarm');
          return row.ucp?.margin === 0 ? { doc, at: Date.now() } : null;
        },
        30_000,
        SAMPLE_MS,
      );
      const detectedMs = seen.at - killedAt;
      const boundMs =
        SWARM_NOTICE_MS + POLL_MS + TIMEOUT_MS + quickTimeoutMs(TIMEOUT_MS) + SAMPLE_MS;
      const swarmRow = rowOf(seen.doc, 'swarm');
      expect(swarmRow).toMatchObject({
        state: 'ok',
        ucp: { status: 'at-risk', healthy: 2, members: 3, margin: 0 },
        worst: { code: 'UCP_QUORUM_AT_RISK', severity: 'critical' },
        stale: false,
      });
      // Worst first: the cluster at risk now reads above the healthy ones.
      const order = seen.doc.clusters.map((r) => r.name);
      for (const name of DEMOS) expect(order.indexOf('swarm')).toBeLessThan(order.indexOf(name));

      // The demo clusters: the same figures as before the kill, and still new ones every interval.
      const after = await sampleFleet(3 * POLL_MS);
      for (const name of DEMOS) {
        const was = rowOf(before, name);
        for (const { doc } of [seen, ...after])
          expect(verdictOf(rowOf(doc, name)), name).toEqual(verdictOf(was));
        const times = snapshotTimes(after, name);
        expect(times[0]!).toBeGreaterThan(Date.parse(was.generatedAt!));
        expect(times.length, `${name}: ${times.join(', ')}`).toBeGreaterThanOrEqual(3);
        expect(Math.max(...gapsOf(times))).toBeLessThanOrEqual(POLL_MS + 500);
      }
      console.log(
        `fleet: swarm manager ${victim.hostname} killed → swarm row margin 0, UCP_QUORUM_AT_RISK in GET /api/fleet after ${detectedMs} ms (bound ${boundMs} ms); prod and dr unchanged`,
      );
      expect(detectedMs).toBeLessThanOrEqual(boundMs);
    },
    60_000,
  );
});
