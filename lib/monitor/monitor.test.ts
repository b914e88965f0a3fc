import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { hang, sendJson, type Handler } from '@/test/support/test-server';
import { Monitor } from './monitor';
import { healthyPing, startFakeCluster, type FakeCluster } from '@/test/support/monitor-cluster';
import { quickTimeoutMs } from './tracking';

// Loopback answers in a few ms; the slack keeps a loaded CI machine from flipping a probe.
const TIMEOUT = 600;
const T0 = Date.parse('2026-11-22T00:00:00Z');

let cluster: FakeCluster;
let nowMs: number;
let logs: string[];

beforeEach(async () => {
  cluster = await startFakeCluster(TIMEOUT);
  nowMs = T0;
  logs = [];
});
afterEach(() => cluster.close());

function monitor(extra: Partial<ConstructorParameters<typeof Monitor>[0]> = {}): Monitor {
  return new Monitor({
    target: cluster.target,
    mode: 'live',
    clock: () => new Date(nowMs),
    log: (l) => logs.push(l),
    ...extra,
  });
}

/** Polls at a later instant. */
async function pollAt(m: Monitor, secondsAfterStart: number): Promise<ClusterSnapshot> {
  nowMs = T0 + secondsAfterStart * 1000;
  return m.pollNow();
}

const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const replica = (s: ClusterSnapshot, id: string) => s.dtr.replicas.find((r) => r.id === id);
const unhealthy: Handler = (_req, res) =>
  sendJson(res, 503, { Error: 'registry: storage unreachable', Healthy: false });

/** Answers the next request with `first`, then goes back to healthy. */
function once(first: Handler): Handler {
  let used = false;
  return (req, res, body) => {
    if (used) return healthyPing(req, res, body);
    used = true;
    first(req, res, body);
  };
}

describe('Monitor poll', () => {
  it('builds a full snapshot of a healthy cluster', async () => {
    const s = await pollAt(monitor(), 0);
    expect(s).toMatchObject({ generatedAt: at(0), mode: 'live', pollIntervalMs: 50 });
    expect(s.dtr.version).toBe('2.7.8');
    expect(s.dtr.replicas.map((r) => [r.id, r.node, r.status, r.address, r.since])).toEqual([
      ['000000000003', 'dtr-node-1', 'healthy', '127.0.2.1', at(0)],
      ['5eb9459a7832', 'dtr-node-2', 'healthy', '127.0.2.2', at(0)],
      ['a1640e1c15b6', 'dtr-node-3', 'healthy', '127.0.2.3', at(0)],
    ]);
    expect(s.dtr.quorum).toEqual({
      replicas: 3,
      healthy: 3,
      majority: 2,
      failuresTolerated: 1,
      margin: 1,
      status: 'healthy',
      unknown: 0,
      basis:
        'RethinkDB’s own status shows 3 of 3 replicas in the majority, and its tables take writes.',
    });
    expect(s.dtr.replicas[0]).toMatchObject({
      quorumVote: 'up',
      verdict: { evidence: { console: 'ok', cluster: 'ok', inventory: 'ready' } },
      image: { repository: 'docker/dtr-registry', tag: '2.7.8' },
    });
    expect(s.ucp.managers).toEqual({
      total: 3,
      reachable: 3,
      leader: 'ucp-manager-1',
      majority: 2,
      failuresTolerated: 1,
      margin: 1,
      status: 'healthy',
      unknown: 0,
      basis: 'Swarm Raft reports 3 of 3 managers reachable, leader ucp-manager-1.',
      noLeader: false,
    });
    expect(s.ucp.nodes[0]?.manager).toMatchObject({ status: 'healthy', quorumVote: 'up' });
    expect(s.ucp.nodes.map((n) => [n.hostname, n.addr, n.hosts])).toEqual([
      ['ucp-manager-1', '127.0.1.1', ['ucp-manager']],
      ['ucp-manager-2', '127.0.1.2', ['ucp-manager']],
      ['ucp-manager-3', '127.0.1.3', ['ucp-manager']],
      ['dtr-node-1', '127.0.2.1', ['dtr-replica']],
      ['dtr-node-2', '127.0.2.2', ['dtr-replica']],
      ['dtr-node-3', '127.0.2.3', ['dtr-replica']],
    ]);
    expect(s.ucp.nodes[0]?.manager?.ping).toMatchObject({ status: 'healthy', since: at(0) });
    expect(s.sources.ucp).toEqual({
      state: 'ok',
      lastSuccessAt: at(0),
      lastError: null,
      checkedAt: at(0),
      configured: true,
    });
    expect(s.ucp.via).toBe('ucp');
    expect(s.sources.dtr.state).toBe('ok');
  });

  it('keeps since while nothing changes and moves checkedAt', async () => {
    const m = monitor();
    await pollAt(m, 0);
    await pollAt(m, 2);
    const s = await pollAt(m, 4);
    expect(replica(s, '5eb9459a7832')).toMatchObject({
      status: 'healthy',
      since: at(0),
      checkedAt: at(4),
    });
    expect(s.ucp.nodes[1]?.manager?.ping).toMatchObject({ since: at(0), checkedAt: at(4) });
  });

  it('learns the DTR version at the next poll after a failed first container read, then backs off', async () => {
    cluster.containersFail = true;
    const m = monitor();
    expect((await pollAt(m, 0)).dtr.version).toBeNull();
    // Retried 1 s later, then after 2 s, 4 s, 8 s: not at every 1 s poll while it keeps failing.
    for (let s = 1; s <= 15; s += 1) await pollAt(m, s);
    expect(cluster.containerReads()).toBe(5); // at 0, 1, 3, 7 and 15 s
    cluster.containersFail = false;
    await pollAt(m, 16);
    expect(cluster.containerReads()).toBe(5);
    // Still due at 31 s (15 + 16); once read, not again while every replica is healthy.
    const s = await pollAt(m, 31);
    expect(s.dtr.version).toBe('2.7.8');
    await pollAt(m, 32);
    expect(cluster.containerReads()).toBe(6);
  });

  it('knows the DTR version from the second poll when only the first container read fails', async () => {
    cluster.containersFail = true;
    const m = monitor();
    await pollAt(m, 0);
    cluster.containersFail = false;
    expect((await pollAt(m, 2)).dtr.version).toBe('2.7.8');
  });

  it('does not flip on a failure that a quick re-probe does not confirm', async () => {
    const m = monitor();
    await pollAt(m, 0);
    cluster.setReplica('5eb9459a7832', once(unhealthy));
    const before = cluster.pings('5eb9459a7832');
    const s = await pollAt(m, 2);
    expect(cluster.pings('5eb9459a7832') - before).toBe(2);
    expect(replica(s, '5eb9459a7832')).toMatchObject({
      status: 'healthy',
      error: null,
      since: at(0),
    });
    expect(s.dtr.quorum.status).toBe('healthy');
  });

  it('flips when the re-probe confirms, and says since when', async () => {
    const m = monitor();
    await pollAt(m, 0);
    cluster.setReplica('5eb9459a7832', unhealthy);
    const s = await pollAt(m, 2);
    expect(replica(s, '5eb9459a7832')).toMatchObject({
      status: 'unhealthy',
      error: 'registry: storage unreachable',
      since: at(2),
      // Its storage fails, its database does not: RethinkDB still counts it in the majority.
      quorumVote: 'up',
    });
    expect(s.dtr.quorum).toMatchObject({ healthy: 3, status: 'healthy' });
    const later = await pollAt(m, 4);
    expect(replica(later, '5eb9459a7832')).toMatchObject({
      status: 'unhealthy',
      since: at(2),
      checkedAt: at(4),
    });
  });

  it('confirms a hung replica with a short re-probe: one timeout plus a third, not two timeouts', async () => {
    const m = monitor();
    await pollAt(m, 0);
    cluster.setReplica('5eb9459a7832', hang);
    // Dead, as RethinkDB sees it too: the console's timeout is corroborated.
    cluster.disconnected.add('5eb9459a7832');
    const before = cluster.pings('5eb9459a7832');
    const started = performance.now();
    const s = await pollAt(m, 2);
    const tookMs = performance.now() - started;
    expect(cluster.pings('5eb9459a7832') - before).toBe(2);
    // 600 ms, then the 200 ms re-probe; the old confirmation took 2 × 600 ms. Node's timers count
    // from the event loop's cached time, which lags the clock by however long the loop has been
    // busy, so on a loaded machine they fire that much early (793.8 ms here once, in CI): the
    // lower bound only shows that the re-probe waited for its own timeout.
    expect(tookMs).toBeGreaterThanOrEqual(TIMEOUT + quickTimeoutMs(TIMEOUT) - 50);
    expect(tookMs).toBeLessThan(TIMEOUT + quickTimeoutMs(TIMEOUT) + 300);
    expect(replica(s, '5eb9459a7832')).toMatchObject({
      status: 'unreachable',
      // The reason names the probe timeout, not the re-probe's shorter one.
      error: expect.stringMatching(
        new RegExp(`^no answer within ${TIMEOUT} ms from 127\\.0\\.2\\.2:`),
      ),
      latencyMs: null,
      since: at(2),
    });
    expect(s.dtr.quorum.status).toBe('at-risk');
  });

  it('does not flip on one probe lost to a timeout when the short re-probe answers', async () => {
    const m = monitor();
    await pollAt(m, 0);
    cluster.setReplica('5eb9459a7832', once(hang));
    cluster.managers[1]?.handle(once(hang));
    const before = cluster.pings('5eb9459a7832');
    const s = await pollAt(m, 2);
    expect(cluster.pings('5eb9459a7832') - before).toBe(2);
    expect(replica(s, '5eb9459a7832')).toMatchObject({
      status: 'healthy',
      error: null,
      since: at(0),
      checkedAt: at(2),
    });
    expect(s.ucp.nodes[1]?.manager?.ping).toMatchObject({ status: 'healthy', since: at(0) });
    expect(s.dtr.quorum.status).toBe('healthy');
    expect(s.ucp.managers.status).toBe('healthy');
  });

  it('counts a replica the cluster reports cut off as unhealthy, though its /_ping is healthy', async () => {
    const m = monitor();
    cluster.replicaHealth['a1640e1c15b6'] =
      'cut off from the cluster: no heartbeat from 2 replicas';
    const s = await pollAt(m, 0);
    expect(replica(s, 'a1640e1c15b6')).toMatchObject({
      status: 'unhealthy',
      error: 'cut off from the cluster: no heartbeat from 2 replicas',
      ping: { status: 'healthy' },
      clusterHealth: 'cut off from the cluster: no heartbeat from 2 replicas',
      verdict: { evidence: { console: 'ok', cluster: 'failing' } },
    });
    // RethinkDB's table status (what the fake shows) still has it ready: it still votes.
    expect(s.dtr.quorum.healthy).toBe(3);
  });

  it('counts a replica RethinkDB shows disconnected as cut off, while replica_health still says OK', async () => {
    const m = monitor();
    await pollAt(m, 0);
    cluster.disconnected.add('000000000003');
    const s = await pollAt(m, 2);
    expect(replica(s, '000000000003')).toMatchObject({
      status: 'unhealthy',
      error: 'RethinkDB server dtr_rethinkdb_000000000003 is not ready',
      ping: { status: 'healthy', since: at(0) },
      since: at(2),
      quorumVote: 'down',
    });
    expect(s.dtr.quorum).toMatchObject({ healthy: 2, status: 'at-risk' });
  });

  it('does not let a hanging member hold up the others beyond the probe timeout', async () => {
    cluster.setReplica('000000000003', hang);
    cluster.disconnected.add('000000000003');
    cluster.managers[2]?.handle(hang);
    const started = Date.now();
    const s = await pollAt(monitor(), 0);
    expect(Date.now() - started).toBeLessThan(TIMEOUT + 400);
    expect(replica(s, '000000000003')).toMatchObject({
      status: 'unreachable',
      error: expect.stringMatching(new RegExp(`^no answer within ${TIMEOUT} ms`)),
    });
    expect(replica(s, '5eb9459a7832')?.status).toBe('healthy');
    // A hung /_ping is not a missing Raft member: Raft still reports the manager reachable.
    expect(s.ucp.nodes[2]?.manager).toMatchObject({
      status: 'unreachable-from-console',
      quorumVote: 'up',
    });
    expect(s.ucp.managers).toMatchObject({ total: 3, reachable: 3, status: 'healthy' });
  });

  it('a replica the console cannot reach while the majority vouches for it: unreachable-from-console, quorum intact', async () => {
    const m = monitor();
    await pollAt(m, 0);
    cluster.setReplica('000000000003', hang);
    cluster.setReplica('5eb9459a7832', (_req, res) => res.socket?.destroy());
    const s = await pollAt(m, 2);
    for (const id of ['000000000003', '5eb9459a7832'])
      expect(replica(s, id)).toMatchObject({
        status: 'unreachable-from-console',
        quorumVote: 'up',
        verdict: { evidence: { console: 'no-answer', cluster: 'ok', inventory: 'ready' } },
      });
    expect(s.dtr.quorum).toMatchObject({ healthy: 3, status: 'healthy' });
  });

  it('marks a dead source stale, keeps its data and still probes the members it knows', async () => {
    const m = monitor();
    await pollAt(m, 0);
    await Promise.all([cluster.dtrApi.close(), cluster.ucp.close()]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const pingsBefore = cluster.pings('a1640e1c15b6');
    const s = await pollAt(m, 2);
    expect(s.sources.dtr).toMatchObject({ state: 'stale', lastSuccessAt: at(0), checkedAt: at(2) });
    expect(s.sources.dtr.lastError).toMatch(
      // Over plain HTTP the replicas' own addresses are not asked with credentials (#18 item 6).
      /^replica list: connection refused by 127\.0\.0\.1:\d+; cluster status: /,
    );
    expect(s.sources.ucp).toMatchObject({ state: 'stale', lastSuccessAt: at(0) });
    expect(s.dtr.replicas).toHaveLength(3);
    expect(replica(s, 'a1640e1c15b6')).toMatchObject({ status: 'healthy', checkedAt: at(2) });
    expect(cluster.pings('a1640e1c15b6')).toBeGreaterThan(pingsBefore);
    expect(s.ucp.nodes).toHaveLength(6);
    // Raft's old word is void; the managers' own /_ping answers count them.
    expect(s.ucp.managers).toMatchObject({
      total: 3,
      reachable: 3,
      leader: null,
      status: 'healthy',
    });
    expect(
      logs.some((l) => l.startsWith('monitor: DTR source stale: replica list: connection refused')),
    ).toBe(true);
    expect(logs.join('\n')).not.toContain('pw');
  });

  it('reports a source that never answered as an error, with nothing to show', async () => {
    await cluster.dtrApi.close();
    const s = await pollAt(monitor(), 0);
    expect(s.sources.dtr).toMatchObject({ state: 'error', lastSuccessAt: null });
    expect(s.dtr.replicas).toEqual([]);
  });
});

describe('Monitor loop and subscriptions', () => {
  it('notifies subscribers only when the content changes', async () => {
    const m = monitor();
    const seen: ClusterSnapshot[] = [];
    const unsubscribe = m.subscribe((s) => seen.push(s));
    await pollAt(m, 0);
    await pollAt(m, 2);
    expect(seen).toHaveLength(1);
    cluster.setReplica('5eb9459a7832', unhealthy);
    await pollAt(m, 4);
    expect(seen).toHaveLength(2);
    expect(replica(seen[1] as ClusterSnapshot, '5eb9459a7832')?.status).toBe('unhealthy');
    unsubscribe();
    cluster.setReplica('5eb9459a7832', healthyPing);
    await pollAt(m, 6);
    expect(seen).toHaveLength(2);
    expect(m.latest()?.generatedAt).toBe(at(6));
  });

  it('polls on its own until stopped, one poll at a time, surviving a throwing listener', async () => {
    let polls = 0;
    const m = new Monitor({
      target: cluster.target,
      mode: 'demo',
      log: (l) => logs.push(l),
      onSnapshot: () => polls++,
    });
    m.subscribe(() => {
      throw new Error('listener bug');
    });
    const [a, b] = [m.pollNow(), m.pollNow()];
    expect(a).toBe(b);
    await a;
    m.start();
    await expect.poll(() => polls, { timeout: 3000 }).toBeGreaterThanOrEqual(4);
    m.stop();
    const stoppedAt = polls;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(polls - stoppedAt).toBeLessThanOrEqual(1);
    expect(m.latest()?.mode).toBe('demo');
    expect(logs).toContain('monitor: snapshot listener failed: listener bug');
  });

  /** Runs a monitor whose every poll waits `replicaMs` on one replica; returns the gaps between polls. */
  async function pollGaps(intervalMs: number, replicaMs: number, polls: number) {
    let inflight = 0;
    let overlap = 0;
    cluster.setReplica('a1640e1c15b6', (req, res, body) => {
      inflight += 1;
      overlap = Math.max(overlap, inflight);
      setTimeout(() => {
        inflight -= 1;
        healthyPing(req, res, body);
      }, replicaMs);
    });
    const ends: number[] = [];
    const m = monitor({
      target: { ...cluster.target, pollIntervalMs: intervalMs },
      onSnapshot: () => ends.push(performance.now()),
    });
    m.start();
    await expect.poll(() => ends.length, { timeout: 10_000 }).toBeGreaterThan(polls);
    m.stop();
    // Every poll takes about as long as the others, so end-to-end gaps are start-to-start gaps.
    const gaps = ends.slice(2).map((end, i) => end - (ends[i + 1] ?? end));
    const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? NaN;
    return { gaps, median, overlap };
  }

  it('polls at a fixed rate: one poll per interval however long each poll takes', async () => {
    // Each poll takes about 150 ms: scheduling after the end would make the cycle 400 + 150 ms.
    const { gaps, median, overlap } = await pollGaps(400, 150, 6);
    expect(median).toBeGreaterThanOrEqual(395);
    expect(median).toBeLessThan(475);
    // End-to-end gaps jitter with each poll's length, but never come near two polls an interval.
    expect(Math.min(...gaps)).toBeGreaterThan(300);
    expect(overlap).toBe(1);
  });

  it('follows a poll that overran its interval at once, without overlapping or making up missed polls', async () => {
    // Each poll takes about 350 ms, the interval is 200 ms: back to back, one at a time.
    const { gaps, median, overlap } = await pollGaps(200, 350, 5);
    expect(median).toBeGreaterThanOrEqual(345);
    // After the end + interval would be 550 ms; waiting for the next whole slot, 400 ms.
    expect(median).toBeLessThan(400);
    expect(Math.min(...gaps)).toBeGreaterThan(250);
    expect(overlap).toBe(1);
  });
});
