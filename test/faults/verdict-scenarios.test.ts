// Issue #13: verdicts that stay right on clusters that differ from our own demo. The real Monitor
// polls an upstream built from the documented wire formats (./wire-cluster.ts, not the demo) in
// the states real clusters reach; the whole assessment and the wizards' gates are checked.
// In none of them may the console say the registry is down, or offer emergency repair, unless
// the cluster's own view corroborates it.
import { afterEach, describe, expect, it } from 'vitest';
import { assessCluster } from '@/lib/domain/assess';
import { generateLbConfig, lbReplicasFromStatus } from '@/lib/domain/lb';
import type { ClusterSnapshot, ClusterStatus, Warning } from '@/lib/domain/types';
import { planJoin, planRemove, planRepair } from '@/lib/domain/wizards';
import { Monitor } from '@/lib/monitor/monitor';
import { oneLine } from '@/lib/domain/shell';
import {
  DTR_LB,
  IDS,
  setNotWritable,
  setReplicaInStatus,
  startWireCluster,
  UCP_LB,
  type WireCluster,
  type WireState,
} from './wire-cluster';

const TIMEOUT = 400;
const UCP = { ucpUrl: 'https://ucp.example.com', ucpUsername: 'admin' };
const [A, B, C] = IDS;

let cluster: WireCluster | null = null;
afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

/**
 * Two polls, then the status /api/status would serve. `then` runs between them: what changes
 * after the console has seen the cluster once (a source that stops answering).
 */
async function scenario(
  setup: (state: WireState) => void,
  then?: (cluster: WireCluster) => Promise<void> | void,
): Promise<ClusterStatus> {
  cluster = await startWireCluster(setup, TIMEOUT);
  const monitor = new Monitor({ target: cluster.target, mode: 'live', log: () => undefined });
  await monitor.pollNow();
  await then?.(cluster);
  const snapshot: ClusterSnapshot = await monitor.pollNow();
  return { ...snapshot, warnings: assessCluster(snapshot, UCP) };
}

it('the wire-format upstream as set up is a healthy cluster the console has nothing to say about', async () => {
  const s = await scenario(() => undefined);
  expect(s.dtr.quorum.status).toBe('healthy');
  expect(s.ucp.managers.status).toBe('healthy');
  expect(s.warnings).toEqual([]);
});

const codes = (s: ClusterStatus) => s.warnings.map((w) => w.code);
const replica = (s: ClusterStatus, id: string) => s.dtr.replicas.find((r) => r.id === id);
const manager = (s: ClusterStatus, host: string) =>
  s.ucp.nodes.find((n) => n.hostname === host)?.manager;
const primaries = (s: ClusterStatus): Warning[] => s.warnings.filter((w) => w.primary);

/** The acceptance rule: no "registry is down", no emergency repair, no remove, without corroboration. */
function expectNoDestructiveAdvice(s: ClusterStatus): void {
  expect(codes(s)).not.toContain('DTR_QUORUM_LOST');
  for (const w of s.warnings) {
    expect(w.command ?? '', w.code).not.toMatch(/emergency-repair|destroy/);
    expect(w.title + w.detail, w.code).not.toMatch(/registry is down/);
  }
  expect(planRepair(s).offered).toBe(false);
}

describe('verdict scenarios on a wire-format upstream', () => {
  it('the console cut off from 2 of 3 replicas while cluster_status says all OK: healthy, not lost', async () => {
    const s = await scenario((st) => {
      st.replicaPing[B] = 'refuse';
      st.replicaPing[C] = 'hang';
    });
    expect(s.dtr.replicas.map((r) => [r.id, r.status, r.quorumVote])).toEqual(
      [
        [C, 'unreachable-from-console', 'up'],
        [B, 'unreachable-from-console', 'up'],
        [A, 'healthy', 'up'],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect(s.dtr.quorum).toMatchObject({ status: 'healthy', healthy: 3, unknown: 0 });
    expect(s.dtr.quorum.basis).toMatch(/2 replicas the console cannot reach are vouched for/);
    expectNoDestructiveAdvice(s);
    expect(codes(s)).toEqual(['DTR_PING_DISAGREES', 'DTR_PING_DISAGREES']);
    // One incident: the console's own reach.
    expect(new Set(s.warnings.map((w) => w.group))).toEqual(new Set(['console-reach']));
    expect(primaries(s)).toHaveLength(1);
    expect(s.warnings[0]?.severity).toBe('warning');
  });

  it('managers Raft-reachable while two /_ping answer 500: quorum intact, wizards not blocked', async () => {
    const s = await scenario((st) => {
      st.managerPing['ucp-manager-2'] = 'unhealthy';
      st.managerPing['ucp-manager-3'] = 'unhealthy';
    });
    expect(s.ucp.managers).toMatchObject({ status: 'healthy', reachable: 3, total: 3 });
    expect(manager(s, 'ucp-manager-2')).toMatchObject({ status: 'unhealthy', quorumVote: 'up' });
    expect(codes(s)).toEqual(['UCP_MANAGER_UNHEALTHY', 'UCP_MANAGER_UNHEALTHY']);
    expect(s.warnings.every((w) => w.severity === 'warning')).toBe(true);
    expect(planJoin(s, { node: 'app-node-1' }).gates.map((g) => g.id)).not.toContain(
      'ucp-quorum-lost',
    );
  });

  it('a console that reaches only UCP’s load balancer: every manager counted by Raft, one info', async () => {
    const s = await scenario((st) => {
      for (const host of Object.keys(st.managerPing)) st.managerPing[host] = 'refuse';
    });
    expect(s.sources.ucp.state).toBe('ok');
    expect(s.ucp.managers).toMatchObject({ status: 'healthy', reachable: 3 });
    expect(s.ucp.nodes.filter((n) => n.manager).map((n) => n.manager?.status)).toEqual([
      'unreachable-from-console',
      'unreachable-from-console',
      'unreachable-from-console',
    ]);
    expect(s.warnings.map((w) => [w.code, w.severity])).toEqual([['UCP_PING_DISAGREES', 'info']]);
    expect(cluster?.requests('ucp-lb').some((r) => r.path === '/nodes')).toBe(true);
  });

  it('a replica whose node left the swarm: a ghost, never probed through the load balancer, left out of LB configs', async () => {
    const s = await scenario((st) => {
      st.nodes = st.nodes.filter((n) => n.Description.Hostname !== 'dtr-node-3');
      setReplicaInStatus(st.clusterStatus, C, {
        state: 'disconnected',
        health: 'replica reported health too long ago: 2026-12-01T00:00:00Z',
        timestamp: '2026-12-01T00:00:00Z',
      });
      st.containers = st.containers.filter((c) => !c.Names[0]?.includes(C));
    });
    expect(replica(s, C)).toMatchObject({
      status: 'ghost',
      quorumVote: 'down',
      ping: null,
      address: null,
    });
    // Nothing answered for it: not its (gone) address, not the DTR load balancer.
    expect(cluster?.requests(`replica:${C}`)).toEqual([]);
    expect(cluster?.requests('dtr-lb').filter((r) => r.path === '/_ping')).toEqual([]);
    expect(s.dtr.quorum).toMatchObject({ status: 'at-risk', healthy: 2 });
    const ghost = s.warnings.find((w) => w.code === 'DTR_REPLICA_GHOST');
    expect(oneLine(ghost?.command)).toMatch(new RegExp(` remove .*--replica-ids ${C}`));
    expect(ghost?.command).not.toMatch(/--ucp-node/);
    for (const kind of ['haproxy', 'nginx', 'elb'] as const) {
      const { text } = generateLbConfig(lbReplicasFromStatus(s), {
        kind,
        generatedAt: s.generatedAt,
      });
      expect(text).not.toContain(DTR_LB);
      expect(text).not.toContain(UCP_LB);
      expect(text).toContain(`${C}  LEFT OUT`);
    }
  });

  it('two replica IDs on one node: the leftover counts against the majority, and is named', async () => {
    const leftover = 'abcdef012345';
    const s = await scenario((st) => {
      st.settings[leftover] = { HTTPPort: 0, HTTPSPort: 443, node: 'dtr-node-1' };
      (st.clusterStatus.replica_health as Record<string, string>)[leftover] =
        'replica reported health too long ago: 2026-11-01T00:00:00Z';
      const tables = (
        st.clusterStatus.rethink_system_tables as {
          table_status: { shards: { replicas: { server: string; state: string }[] }[] }[];
        }
      ).table_status;
      for (const t of tables)
        t.shards[0]?.replicas.push({ server: `dtr_rethinkdb_${leftover}`, state: 'disconnected' });
    });
    // Its node's nginx answers for it, but the majority reports it failing and not ready.
    expect(replica(s, leftover)).toMatchObject({ status: 'unhealthy', quorumVote: 'down' });
    expect(s.dtr.quorum).toMatchObject({ replicas: 4, healthy: 3, status: 'at-risk' });
    const shared = s.warnings.find((w) => w.code === 'DTR_REPLICAS_SHARE_NODE');
    expect(shared?.detail).toMatch(
      new RegExp(`UCP lists containers only for ${A}: ${leftover} has none`),
    );
    expect(shared?.nextStep).toMatch(new RegExp(`Remove the leftover ${leftover}`));
    expectNoDestructiveAdvice(s);
  });

  it('a read-only replica and mixed versions: named, nothing else disturbed', async () => {
    const s = await scenario((st) => {
      setReplicaInStatus(st.clusterStatus, B, { readonly: true });
      const registry = st.containers.find((c) => c.Names[0] === `/dtr-node-3/dtr-registry-${C}`);
      if (registry) registry.Image = 'docker/dtr-registry:2.9.15';
    });
    expect(s.dtr.quorum.status).toBe('healthy');
    expect(codes(s).sort()).toEqual(['DTR_REPLICA_READONLY', 'DTR_VERSION_SKEW']);
    expect(replica(s, C)?.image).toEqual({ repository: 'docker/dtr-registry', tag: '2.9.15' });
    expect(s.dtr.version).toBe('2.9.16');
    expect(s.warnings.find((w) => w.code === 'DTR_VERSION_SKEW')?.title).toBe(
      'DTR replicas run different versions (2.9.16, 2.9.15)',
    );
  });

  it('no Raft leader in the node list: critical, the quorum itself not called lost', async () => {
    const s = await scenario((st) => {
      for (const n of st.nodes) if (n.ManagerStatus) n.ManagerStatus.Leader = false;
    });
    expect(s.ucp.managers).toMatchObject({ status: 'healthy', noLeader: true, leader: null });
    expect(s.warnings.map((w) => [w.code, w.severity])).toEqual([['UCP_NO_LEADER', 'critical']]);
  });

  it('Swarm answering "does not have a leader": lost on Swarm’s own word, one incident', async () => {
    const s = await scenario(
      () => undefined,
      (c) => {
        c.state.nodesError = {
          status: 500,
          message:
            "rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online.",
        };
      },
    );
    expect(s.ucp.managers).toMatchObject({ status: 'lost', noLeader: true });
    expect(codes(s)).toEqual(
      expect.arrayContaining(['UCP_QUORUM_LOST', 'UCP_NO_LEADER', 'SOURCE_UNREACHABLE']),
    );
    const ucpIncident = s.warnings.filter((w) => w.group === 'ucp-quorum');
    expect(ucpIncident.filter((w) => w.primary).map((w) => w.code)).toEqual(['UCP_QUORUM_LOST']);
    expect(planRemove(s, { replicaId: A }).gates.map((g) => g.id)).toContain('ucp-quorum-lost');
  });

  it('replicas the console cannot reach with no cluster view to ask: unknown, never lost', async () => {
    const s = await scenario(
      (st) => {
        st.replicaPing[B] = 'hang';
        st.replicaPing[C] = 'refuse';
      },
      // The DTR API (its load balancer) stops answering after the console's first poll.
      (c) => c.stop('dtr-lb'),
    );
    expect(s.sources.dtr.state).toBe('stale');
    expect(replica(s, B)?.status).toBe('unknown');
    expect(replica(s, C)?.status).toBe('unknown');
    expect(s.dtr.quorum).toMatchObject({ status: 'unknown', healthy: 1, unknown: 2 });
    expectNoDestructiveAdvice(s);
    expect(codes(s)).toContain('DTR_QUORUM_UNKNOWN');
    for (const plan of [planRemove(s, { replicaId: B }), planJoin(s, { node: 'app-node-1' })])
      expect(plan.gates.map((g) => g.id)).toContain('dtr-state-unknown');
  });

  it('quorum really lost, corroborated by the survivor’s own view and UCP: lost, with emergency repair', async () => {
    const s = await scenario((st) => {
      st.replicaPing[B] = 'refuse';
      st.replicaPing[C] = 'refuse';
      st.replicaPing[A] = 'unhealthy';
      setNotWritable(st.clusterStatus);
      setReplicaInStatus(st.clusterStatus, A, { state: 'waiting_for_quorum' });
      for (const id of [B, C]) setReplicaInStatus(st.clusterStatus, id, { state: 'disconnected' });
      for (const c of st.containers) if (!c.Names[0]?.includes(A)) c.State = 'exited';
    });
    expect(s.dtr.replicas.map((r) => r.status).sort()).toEqual([
      'unhealthy',
      'unreachable',
      'unreachable',
    ]);
    expect(s.dtr.quorum.status).toBe('lost');
    expect(s.warnings[0]).toMatchObject({ code: 'DTR_QUORUM_LOST', primary: true });
    // The first suggestion loses nothing: bring the stopped replicas back. Emergency repair is a
    // later rung, and its command waits for the person to say none could be brought back.
    const lost = s.warnings[0];
    expect(oneLine(lost?.command)).toMatch(new RegExp(`docker start .*dtr-\\w+-${B}`));
    expect(lost?.command).not.toMatch(/emergency-repair/);
    const repair = lost?.ladder?.find((step) => step.id === 'emergency-repair');
    expect(oneLine(repair?.command)).toMatch(
      new RegExp(`emergency-repair .*--existing-replica-id ${A}`),
    );
    expect(repair?.acknowledge).toBeTruthy();
    const levels = (lost?.ladder ?? []).map((step) => step.level);
    expect(levels.indexOf('bring-back')).toBeLessThan(levels.indexOf('shrink'));
    // One incident: every other DTR fact folds inside the quorum card.
    const dtr = s.warnings.filter((w) => w.code.startsWith('DTR_') || w.code === 'NODE_DOWN');
    expect(new Set(dtr.map((w) => w.group))).toEqual(new Set(['dtr-quorum']));
    expect(dtr.filter((w) => w.primary && w.severity === 'critical')).toHaveLength(1);
  });
});
