// Every way the upstream can fail becomes a clear state in the snapshot (and so in /api/status),
// never a crash or an empty page: the real adapters and monitor against the demo cluster.
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterTarget } from '@/lib/config';
import { assessCluster } from '@/lib/domain/assess';
import type { ClusterSnapshot, ClusterStatus } from '@/lib/domain/types';
import { startDemoCluster, type DemoCluster, type StartDemoClusterOptions } from '@/lib/demo';
import { createUcpClient } from '@/lib/sources/ucp';
import { sourceFailure } from '@/test/support/test-server';
import { Monitor } from './monitor';

// Generous where timing is not the point (the suite runs in parallel with real daemons); the
// hang tests use HANG_TIMEOUT and check the cycle against it.
const TIMEOUT = 2000;
const HANG_TIMEOUT = 500;
const SERVICE = { username: 'console-service', password: 'svc-pw-1c8e0f5a' };
let demo: DemoCluster | null = null;

afterEach(async () => {
  await demo?.close();
  demo = null;
});

async function startDemo(options: StartDemoClusterOptions = {}): Promise<DemoCluster> {
  demo = await startDemoCluster({
    seed: 'failure-states',
    extraUsers: [{ ...SERVICE, isAdmin: true }],
    ...options,
  });
  return demo;
}

function targetFor(
  cluster: DemoCluster,
  ucp: Partial<NonNullable<ClusterTarget['ucp']>> = {},
  probeTimeoutMs = TIMEOUT,
): ClusterTarget {
  return {
    ucp: { url: cluster.ucpUrl, ...SERVICE, insecureTls: false, ...ucp },
    dtr: {
      url: cluster.dtrUrl,
      ...SERVICE,
      insecureTls: false,
      probeScheme: 'http',
    },
    pollIntervalMs: 1000,
    probeTimeoutMs,
    dtrVersion: null,
    // The demo's members are the console's own loopback servers, as when the console runs it.
    trustMemberOrigins: true,
  };
}

/** What GET /api/status would serve for this snapshot: it must serialise and assess. */
function statusOf(snapshot: ClusterSnapshot): ClusterStatus {
  const status = { ...snapshot, warnings: assessCluster(snapshot) };
  return JSON.parse(JSON.stringify(status)) as ClusterStatus;
}

const monitorFor = (target: ClusterTarget, logs: string[] = []) =>
  new Monitor({ target, mode: 'live', log: (line) => logs.push(line) });

const logins = (cluster: DemoCluster) =>
  Object.values(cluster.counters()).reduce((n, paths) => n + (paths['/auth/login'] ?? 0), 0);

describe('failure states against the demo cluster', () => {
  it('wrong password: UCP says 401 on login, a source error naming the credentials, no retry storm', async () => {
    const cluster = await startDemo();
    const logs: string[] = [];
    const m = monitorFor(targetFor(cluster, { password: 'not-the-password' }), logs);
    const status = statusOf(await m.pollNow());
    expect(status.sources.ucp).toMatchObject({ state: 'error', lastSuccessAt: null });
    expect(status.sources.ucp.lastError).toMatch(
      /^UCP rejected the console's credentials \(401\) at 127\.0\.1\.1:\d+: check UCP_USERNAME and UCP_PASSWORD/,
    );
    expect(status.sources.dtr.state).toBe('ok');
    expect(status.warnings.find((w) => w.code === 'SOURCE_UNREACHABLE')).toMatchObject({
      severity: 'critical',
      title: 'No data from UCP',
    });
    const attempts = logins(cluster);
    await m.pollNow();
    expect(logins(cluster)).toBe(attempts);
    expect(logs).toContain(`monitor: UCP source error: ${status.sources.ucp.lastError}`);
  });

  it('expired token: the next poll logs in again and stays ok', async () => {
    const cluster = await startDemo();
    const m = monitorFor(targetFor(cluster));
    expect((await m.pollNow()).sources.ucp.state).toBe('ok');
    const before = logins(cluster);
    cluster.expireTokens();
    const s = await m.pollNow();
    expect(s.sources.ucp).toMatchObject({ state: 'ok', lastError: null });
    expect(s.ucp.managers.status).toBe('healthy');
    expect(logins(cluster)).toBe(before + 1);
  });

  it('DTR image storage comes with the replica list; null while DTR was never read', async () => {
    const cluster = await startDemo();
    const target = targetFor(cluster);
    // The demo's settings leave nfsHost, nfsPath and storageVolume empty: nothing says where.
    expect((await monitorFor(target).pollNow()).dtr.storage).toEqual({ kind: 'unknown' });
    const refused = await monitorFor({
      ...target,
      dtr: { ...target.dtr!, password: 'not-the-password' },
    }).pollNow();
    expect(refused.sources.dtr.state).toBe('error');
    expect(refused.dtr.storage).toBeNull();
  });

  describe('UCP over HTTPS (the demo with tls: true)', () => {
    it('trusts UCP with its CA, pinging every manager on its own address', async () => {
      const cluster = await startDemo({ tls: true });
      expect(cluster.ucpUrl).toMatch(/^https:\/\/127\.0\.1\.1:\d+$/);
      const s = await monitorFor(targetFor(cluster, { ca: cluster.ucpCa ?? '' })).pollNow();
      expect(s.sources.ucp.state).toBe('ok');
      expect(s.ucp.managers).toMatchObject({ total: 3, reachable: 3, status: 'healthy' });
      expect(s.ucp.nodes.filter((n) => n.manager?.ping?.status === 'healthy')).toHaveLength(3);
    });

    it('without the CA: a TLS source error, "certificate signed by unknown authority"', async () => {
      const cluster = await startDemo({ tls: true });
      const status = statusOf(await monitorFor(targetFor(cluster)).pollNow());
      expect(status.sources.ucp.state).toBe('error');
      expect(status.sources.ucp.lastError).toMatch(
        /^TLS: certificate signed by unknown authority.*\(127\.0\.1\.1:\d+\); set the CA file or, for tests only, insecure TLS/,
      );
      const err = await sourceFailure(
        createUcpClient({ ...targetFor(cluster), ucp: targetFor(cluster).ucp! }).listNodes(),
      );
      expect(err.kind).toBe('tls');
    });

    it('with UCP_INSECURE_TLS: ok, as asked', async () => {
      const cluster = await startDemo({ tls: true });
      const s = await monitorFor(targetFor(cluster, { insecureTls: true })).pollNow();
      expect(s.sources.ucp.state).toBe('ok');
      expect(s.ucp.managers.reachable).toBe(3);
    });
  });

  it('DNS failure: UCP_URL that does not resolve is a readable dns error', async () => {
    const cluster = await startDemo();
    const target = targetFor(cluster, { url: 'https://ucp.invalid' });
    const status = statusOf(await monitorFor(target).pollNow());
    expect(status.sources.ucp).toMatchObject({
      state: 'error',
      lastError: 'cannot resolve host ucp.invalid',
    });
    const err = await sourceFailure(
      createUcpClient({ ucp: target.ucp!, probeTimeoutMs: 2000 }).listNodes(),
    );
    expect(err.kind).toBe('dns');
  });

  it('a hanging manager: its ping times out, the others answer, the cycle stays bounded', async () => {
    const cluster = await startDemo();
    const m = monitorFor(targetFor(cluster, {}, HANG_TIMEOUT));
    await m.pollNow();
    await cluster.setFault('ucp-manager-2', 'hang');
    const started = performance.now();
    const s = await m.pollNow();
    const cycleMs = performance.now() - started;
    // One confirming re-probe: two timeouts at most, plus the rest of the poll.
    expect(cycleMs).toBeLessThan(2 * HANG_TIMEOUT + 700);
    const manager = (hostname: string) => s.ucp.nodes.find((n) => n.hostname === hostname);
    expect(manager('ucp-manager-2')?.manager?.ping).toMatchObject({
      status: 'unreachable',
      error: expect.stringMatching(
        /^no answer within 500 ms from 127\.0\.1\.2:\d+ \(GET \/_ping\)$/,
      ),
    });
    expect(manager('ucp-manager-1')?.manager?.ping?.status).toBe('healthy');
    // Raft still reaches it: a hung /_ping is the console's problem, not a missing member.
    expect(manager('ucp-manager-2')?.manager).toMatchObject({
      status: 'unreachable-from-console',
      quorumVote: 'up',
    });
    expect(s.ucp.managers).toMatchObject({ reachable: 3, margin: 1, status: 'healthy' });
    expect(s.sources.ucp.state).toBe('ok');
    const codes = statusOf(s).warnings.map((w) => w.code);
    expect(codes).toContain('UCP_PING_DISAGREES');
    expect(codes).not.toContain('UCP_QUORUM_AT_RISK');
  });

  it('a hanging UCP URL: nodes come from another manager within two timeouts', async () => {
    const cluster = await startDemo();
    const m = monitorFor(targetFor(cluster, {}, HANG_TIMEOUT));
    await m.pollNow();
    await cluster.setFault('ucp-manager-1', 'hang');
    const started = performance.now();
    const s = await m.pollNow();
    // Two timeouts for the nodes (URL, then the other managers), two for the hung ping's check.
    expect(performance.now() - started).toBeLessThan(4 * HANG_TIMEOUT + 700);
    expect(s.sources.ucp.state).toBe('ok');
    expect(s.ucp.nodes.length).toBeGreaterThan(3);
  });
});
