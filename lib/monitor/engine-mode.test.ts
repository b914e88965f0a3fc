// The monitor with a plain Swarm manager (DOCKER_HOST) as its only source: manager quorum from
// /nodes alone, and what it says once /nodes fails.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterTarget } from '@/lib/config';
import { assessCluster } from '@/lib/domain/assess';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { startFakeEngine, swarmPayload, type FakeEngine } from '@/test/support/test-engine';
import { hang, type Handler } from '@/test/support/test-server';
import { Monitor } from './monitor';

const TIMEOUT = 400;
let engine: FakeEngine;
let logs: string[];

beforeEach(async () => {
  engine = await startFakeEngine();
  logs = [];
});
afterEach(() => engine.close());

function monitor(): Monitor {
  const socketPath = engine.socketPath as string;
  const target: ClusterTarget = {
    ucp: null,
    engine: { kind: 'unix', host: `unix://${socketPath}`, socketPath },
    dtr: null,
    pollIntervalMs: 50,
    probeTimeoutMs: TIMEOUT,
    dtrVersion: null,
  };
  return new Monitor({ target, mode: 'live', log: (line) => logs.push(line) });
}

const codes = (s: ClusterSnapshot) => assessCluster(s).map((w) => w.code);
const nodesCalls = () => engine.requests.filter((r) => r.path === '/nodes').length;

/** Fails the next request with `first`, then serves the healthy swarm again. */
function once(first: Handler): Handler {
  let used = false;
  return (req, res, body) => {
    if (used) return swarmPayload('swarm-nodes.json')(req, res, body);
    used = true;
    first(req, res, body);
  };
}

describe('Monitor on a plain Swarm manager', () => {
  it('judges the managers from /nodes alone and reports DTR as not configured', async () => {
    const s = await monitor().pollNow();
    expect(s.ucp.via).toBe('engine');
    expect(s.ucp.managers).toEqual({
      total: 3,
      reachable: 3,
      leader: 'dhc-manager-1',
      majority: 2,
      failuresTolerated: 1,
      margin: 1,
      status: 'healthy',
      unknown: 0,
      basis: 'Swarm Raft reports 3 of 3 managers reachable, leader dhc-manager-1.',
      noLeader: false,
    });
    expect(s.ucp.nodes.every((n) => n.manager === null || n.manager.ping === null)).toBe(true);
    expect(s.sources).toEqual({
      ucp: expect.objectContaining({ state: 'ok', configured: true }),
      dtr: {
        state: 'ok',
        lastSuccessAt: null,
        lastError: null,
        checkedAt: null,
        configured: false,
      },
    });
    expect(s.dtr.replicas).toEqual([]);
    expect(s.dtr.version).toBeNull();
    expect(codes(s)).toEqual([]);
    // No /_ping: a Swarm manager answers it with or without quorum.
    expect(engine.requests.map((r) => r.path)).toEqual(['/nodes']);
  });

  it('reads a killed manager as margin 0: UCP_QUORUM_AT_RISK', async () => {
    const m = monitor();
    await m.pollNow();
    engine.nodes(swarmPayload('swarm-nodes-manager-down.json'));
    const s = await m.pollNow();
    expect(s.ucp.managers).toMatchObject({ reachable: 2, margin: 0, status: 'at-risk' });
    expect(codes(s)).toEqual(['UCP_QUORUM_AT_RISK', 'UCP_MANAGER_UNREACHABLE', 'NODE_DOWN']);
  });

  it('says quorum LOST when the manager it can talk to says "no leader", keeping the old list', async () => {
    const m = monitor();
    await m.pollNow();
    engine.nodes(swarmPayload('swarm-nodes-manager-down.json'));
    await m.pollNow();
    engine.nodes(swarmPayload('swarm-nodes-no-leader.json'));
    const before = nodesCalls();
    const s = await m.pollNow();
    expect(nodesCalls() - before).toBe(2); // confirmed once before the verdict flips
    expect(s.sources.ucp).toMatchObject({ state: 'stale' });
    expect(s.sources.ucp.lastError).toMatch(/^Swarm has no leader \(manager quorum lost\)/);
    expect(s.ucp.managers).toMatchObject({ total: 3, reachable: 0, leader: null, status: 'lost' });
    expect(
      s.ucp.nodes.flatMap((n) => (n.manager ? [[n.hostname, n.manager.reachability]] : [])),
    ).toEqual([
      ['dhc-manager-3', 'unknown'],
      ['dhc-manager-2', 'unreachable'],
      ['dhc-manager-1', 'unknown'],
    ]);
    const warnings = assessCluster(s);
    expect(warnings[0]).toMatchObject({ code: 'UCP_QUORUM_LOST', severity: 'critical' });
    const source = warnings.find((w) => w.code === 'SOURCE_UNREACHABLE');
    expect(source?.detail).toMatch(/Last error: Swarm has no leader/);
    expect(logs.some((l) => l.includes('source stale: Swarm has no leader'))).toBe(true);
  });

  it('does not hang when /nodes does: the cycle stays within two timeouts; the old figures are void', async () => {
    const m = monitor();
    await m.pollNow();
    engine.nodes(hang);
    const started = performance.now();
    const s = await m.pollNow();
    const cycleMs = performance.now() - started;
    expect(cycleMs).toBeLessThan(2 * TIMEOUT + 600);
    // A silent /nodes is not Swarm saying "no leader": never the old healthy figures, never
    // "lost" on the console's own word. (With managers Raft last called unreachable, it is lost:
    // see the real-Swarm suite.)
    expect(s.ucp.managers).toMatchObject({ status: 'unknown', reachable: 0, unknown: 3 });
    expect(s.sources.ucp.lastError).toMatch(/^no answer within 400 ms from unix:\/\//);
    const again = performance.now();
    await m.pollNow();
    // Once stale, no retry: one timeout per cycle.
    expect(performance.now() - again).toBeLessThan(TIMEOUT + 600);
  });

  it('does not flip on one failed /nodes that a retry does not confirm', async () => {
    const m = monitor();
    await m.pollNow();
    engine.nodes(once(hang));
    const s = await m.pollNow();
    expect(s.sources.ucp.state).toBe('ok');
    expect(s.ucp.managers.status).toBe('healthy');
  });

  it('recovers on its own once /nodes answers again', async () => {
    const m = monitor();
    await m.pollNow();
    engine.nodes(swarmPayload('swarm-nodes-no-leader.json'));
    await m.pollNow();
    engine.nodes(swarmPayload('swarm-nodes.json'));
    const s = await m.pollNow();
    expect(s.sources.ucp.state).toBe('ok');
    expect(s.ucp.managers).toMatchObject({
      reachable: 3,
      status: 'healthy',
      leader: 'dhc-manager-1',
    });
    expect(logs.at(-1)).toMatch(/^monitor: Swarm manager unix:\/\/\S+ source answering again$/);
  });

  it('says quorum LOST even when started during the outage, from the managers /info knows', async () => {
    engine.nodes(swarmPayload('swarm-nodes-no-leader.json'));
    const s = await monitor().pollNow();
    expect(s.sources.ucp).toMatchObject({ state: 'error', lastSuccessAt: null });
    expect(s.ucp.managers).toMatchObject({ total: 3, reachable: 0, status: 'lost' });
    expect(s.ucp.nodes.map((n) => [n.hostname, n.manager?.reachability])).toEqual([
      ['10.69.190.13', 'unknown'],
      ['10.69.190.12', 'unknown'],
      ['dhc-manager-1', 'unknown'],
    ]);
    const warnings = assessCluster(s);
    expect(warnings.map((w) => [w.code, w.subjects.join(), w.group, w.primary])).toEqual([
      ['UCP_QUORUM_LOST', '10.69.190.13,10.69.190.12,dhc-manager-1', 'ucp-quorum', true],
      ['UCP_NO_LEADER', '10.69.190.13,10.69.190.12,dhc-manager-1', 'ucp-quorum', false],
      ['NODE_DOWN', '10.69.190.12', 'ucp-quorum', false],
      ['NODE_DOWN', '10.69.190.13', 'ucp-quorum', false],
      ['SOURCE_UNREACHABLE', 'ucp', 'SOURCE_UNREACHABLE:ucp', true],
    ]);
    expect(warnings[4]).toMatchObject({ severity: 'critical', title: 'No data from Swarm' });
    expect(warnings[4]?.detail).toMatch(/manager quorum lost/);
  });

  it('has nothing to judge when the daemon cannot be reached at all, and says so', async () => {
    const socketPath = engine.socketPath as string;
    await engine.close();
    const s = await monitor().pollNow();
    expect(s.ucp.managers.total).toBe(0);
    const [source] = assessCluster(s);
    expect(source).toMatchObject({ code: 'SOURCE_UNREACHABLE', title: 'No data from Swarm' });
    expect(source?.detail).toContain(`unix://${socketPath}`);
  });
});
