import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  annotateHosts,
  currentQuorums,
  failureZones,
  replicaAddress,
  whatIfEachNodeFails,
  whatIfNodeFails,
  whatIfZoneFails,
  worstSingleFailure,
} from './placement';
import { buildSnapshot, testReplicaId } from '@/test/support/snapshot';
import type { ClusterNode, DtrReplicaConfig, MemberStatus } from './types';

function node(
  hostname: string,
  role: ClusterNode['role'],
  addr: string | null,
  labels: Record<string, string> = {},
): ClusterNode {
  return {
    id: `id-${hostname}`,
    hostname,
    role,
    availability: 'active',
    state: 'ready',
    message: '',
    addr,
    labels,
    engineVersion: null,
    nanoCpus: null,
    memoryBytes: null,
    hosts: [],
    os: null,
    architecture: null,
    manager:
      role === 'manager'
        ? { leader: false, reachability: 'reachable', raftAddr: null, ping: null }
        : null,
  };
}

const replica = (id: string, onNode: string): DtrReplicaConfig => ({
  id,
  node: onNode,
  httpPort: 80,
  httpsPort: 443,
});

const nodes = [
  node('ucp-manager-1', 'manager', '10.0.0.11'),
  node('dtr-node-1', 'worker', '10.0.1.11'),
  node('cache-node-1', 'worker', '10.0.2.11', { 'dtr.cache': 'true' }),
  node('app-node-1', 'worker', null, { 'dtr.cache': 'false' }),
  node('odd-manager', 'manager', '10.0.0.12', { 'dtr.cache': 'TRUE' }),
];

describe('annotateHosts', () => {
  it('marks managers, replica nodes and cache nodes', () => {
    const annotated = annotateHosts(nodes, [
      replica('a1640e1c15b6', 'dtr-node-1'),
      replica('000000000003', 'odd-manager'),
    ]);
    expect(Object.fromEntries(annotated.map((n) => [n.hostname, n.hosts]))).toEqual({
      'ucp-manager-1': ['ucp-manager'],
      'dtr-node-1': ['dtr-replica'],
      'cache-node-1': ['dtr-cache'],
      'app-node-1': [],
      'odd-manager': ['ucp-manager', 'dtr-replica', 'dtr-cache'],
    });
  });

  it('does not modify its input and replaces stale annotations', () => {
    const stale = nodes.map((n) => ({ ...n, hosts: ['dtr-replica' as const] }));
    const annotated = annotateHosts(stale, []);
    expect(annotated.find((n) => n.hostname === 'dtr-node-1')?.hosts).toEqual([]);
    expect(stale[1]?.hosts).toEqual(['dtr-replica']);
  });
});

describe('replicaAddress', () => {
  it("is the address of the replica's node, or null when the node or its address is unknown", () => {
    expect(replicaAddress(replica('a', 'dtr-node-1'), nodes)).toBe('10.0.1.11');
    expect(replicaAddress(replica('b', 'app-node-1'), nodes)).toBeNull();
    expect(replicaAddress(replica('c', 'gone-node'), nodes)).toBeNull();
  });
});

// ---------------------------------------------------------------------------
// What if it fails

const ZONES = {
  'mgr-1': 'a',
  'mgr-2': 'b',
  'mgr-3': 'c',
  'dtr-1': 'a',
  'dtr-2': 'b',
  'dtr-3': 'c',
};

describe('whatIfNodeFails', () => {
  it('losing a healthy replica node takes a 3-replica DTR to margin 0 and leaves UCP alone', () => {
    const snapshot = buildSnapshot();
    const impact = whatIfNodeFails(snapshot, 'dtr-2');
    expect(impact.dtr).toMatchObject({ members: 3, healthy: 2, margin: 0, status: 'at-risk' });
    expect(impact.ucp).toEqual(currentQuorums(snapshot).ucp);
    expect(impact.lost).toEqual([testReplicaId(1)]);
    expect(impact.cachesLost).toEqual([]);
  });

  it('losing the second replica of three loses DTR quorum', () => {
    const snapshot = buildSnapshot({ replicas: ['unreachable', 'healthy', 'healthy'] });
    expect(whatIfNodeFails(snapshot, 'dtr-3').dtr).toMatchObject({
      healthy: 1,
      margin: -1,
      status: 'lost',
    });
  });

  it('a member already down changes nothing when its node fails, but is still listed as lost', () => {
    const snapshot = buildSnapshot({ replicas: ['unreachable', 'healthy', 'healthy'] });
    const impact = whatIfNodeFails(snapshot, 'dtr-1');
    expect(impact.dtr).toEqual(currentQuorums(snapshot).dtr);
    expect(impact.lost).toEqual([testReplicaId(0)]);
  });

  it('a manager that also runs a replica hurts both groups', () => {
    const snapshot = buildSnapshot({
      replicas: [{ node: 'mgr-1' }, 'healthy', 'healthy'],
    });
    const impact = whatIfNodeFails(snapshot, 'mgr-1');
    expect(impact.dtr.margin).toBe(0);
    expect(impact.ucp).toMatchObject({ members: 3, healthy: 2, margin: 0, status: 'at-risk' });
    expect(impact.lost).toEqual([testReplicaId(0), 'mgr-1']);
  });

  it('counts managers the way the monitor does: Raft decides, whatever their /_ping says', () => {
    const snapshot = buildSnapshot({
      managers: ['healthy', 'unhealthy', 'unreachable-from-console'],
    });
    expect(currentQuorums(snapshot).ucp).toMatchObject({ healthy: 3, margin: 1 });
    expect(whatIfNodeFails(snapshot, 'mgr-2').ucp.margin).toBe(0);
    const oneDown = buildSnapshot({ managers: ['healthy', 'unreachable', 'healthy'] });
    expect(currentQuorums(oneDown).ucp).toMatchObject({ healthy: 2, margin: 0 });
    expect(whatIfNodeFails(oneDown, 'mgr-1').ucp.status).toBe('lost');
  });

  it('a member of unknown state stays unknown in the what-if: losing another can leave it undecided', () => {
    const snapshot = buildSnapshot({ replicas: ['healthy', 'healthy', 'unknown'] });
    expect(currentQuorums(snapshot).dtr).toMatchObject({
      healthy: 2,
      unknown: 1,
      status: 'at-risk',
    });
    expect(whatIfNodeFails(snapshot, 'dtr-1').dtr).toMatchObject({
      healthy: 1,
      unknown: 1,
      status: 'unknown',
    });
    expect(whatIfNodeFails(snapshot, 'dtr-3').dtr).toMatchObject({
      healthy: 2,
      unknown: 0,
      status: 'at-risk',
    });
  });

  it('with a stale node list only the managers answering their own /_ping count', () => {
    const snapshot = buildSnapshot({
      managers: [{ ping: 'healthy' }, { ping: null }, { ping: 'healthy' }],
      sources: { ucp: { state: 'stale', lastError: 'timeout' } },
    });
    expect(currentQuorums(snapshot).ucp.healthy).toBe(2);
    expect(whatIfNodeFails(snapshot, 'mgr-2').ucp.healthy).toBe(2);
  });

  it('reports cache nodes it takes down', () => {
    expect(whatIfNodeFails(buildSnapshot(), 'cache-1').cachesLost).toEqual(['cache-1']);
  });

  it('an unknown hostname changes nothing', () => {
    const snapshot = buildSnapshot();
    expect(whatIfNodeFails(snapshot, 'nowhere')).toEqual({
      ...currentQuorums(snapshot),
      lost: [],
      cachesLost: [],
    });
  });
});

describe('whatIfZoneFails', () => {
  it('one member of each group per zone: losing a zone leaves both at margin 0', () => {
    const snapshot = buildSnapshot({ zones: ZONES });
    const impact = whatIfZoneFails(snapshot, 'b');
    expect(impact.dtr).toMatchObject({ healthy: 2, margin: 0, status: 'at-risk' });
    expect(impact.ucp).toMatchObject({ healthy: 2, margin: 0, status: 'at-risk' });
    expect(impact.lost).toEqual([testReplicaId(1), 'mgr-2']);
  });

  it('two replicas in one zone: losing it loses DTR quorum', () => {
    const snapshot = buildSnapshot({ zones: { ...ZONES, 'dtr-3': 'a' } });
    expect(whatIfZoneFails(snapshot, 'a').dtr.status).toBe('lost');
    expect(whatIfZoneFails(snapshot, 'c').dtr).toEqual(currentQuorums(snapshot).dtr);
  });

  it('reads the configured label', () => {
    const snapshot = buildSnapshot({
      nodes: { 'dtr-1': { labels: { rack: 'r1' } }, 'dtr-2': { labels: { rack: 'r1' } } },
    });
    expect(whatIfZoneFails(snapshot, 'r1', 'rack').dtr.status).toBe('lost');
    expect(whatIfZoneFails(snapshot, 'r1').lost).toEqual([]);
    expect(failureZones(snapshot, 'rack')).toEqual(['r1']);
  });
});

describe('whatIfEachNodeFails', () => {
  it('agrees with whatIfNodeFails for every node', () => {
    const snapshot = buildSnapshot({ replicas: ['healthy', 'unhealthy', { node: 'mgr-2' }] });
    const all = whatIfEachNodeFails(snapshot);
    expect(all.size).toBe(snapshot.ucp.nodes.length);
    for (const node of snapshot.ucp.nodes)
      expect(all.get(node.hostname)).toEqual(whatIfNodeFails(snapshot, node.hostname));
  });
});

describe('worstSingleFailure', () => {
  it('prefers the failure that hurts both groups: a zone holding a replica and a manager', () => {
    const worst = worstSingleFailure(buildSnapshot({ zones: ZONES }));
    expect(worst?.scenario).toEqual({ kind: 'zone', zone: 'a', zoneLabel: 'zone' });
    expect(worst?.nodes).toEqual(['mgr-1', 'dtr-1']);
    expect(worst?.dtr.margin).toBe(0);
    expect(worst?.ucp.margin).toBe(0);
  });

  it('without zones, DTR first on a tie: a replica node before a manager', () => {
    const worst = worstSingleFailure(buildSnapshot());
    expect(worst?.scenario).toEqual({ kind: 'node', hostname: 'dtr-1' });
  });

  it('picks the node whose loss loses a quorum', () => {
    const worst = worstSingleFailure(
      buildSnapshot({
        replicas: ['healthy', 'healthy', 'healthy'],
        managers: ['healthy', 'unreachable', 'healthy'],
      }),
    );
    expect(worst?.scenario).toEqual({ kind: 'node', hostname: 'mgr-1' });
    expect(worst?.ucp.status).toBe('lost');
  });

  it('a single zone is not a failure domain worth naming', () => {
    const zones = Object.fromEntries(Object.keys(ZONES).map((h) => [h, 'only']));
    expect(worstSingleFailure(buildSnapshot({ zones }))?.scenario.kind).toBe('node');
  });

  it('is null when nothing hosts a replica or manager', () => {
    expect(worstSingleFailure(buildSnapshot({ replicas: [], managers: [] }))).toBeNull();
  });
});

describe('what-if properties', () => {
  const member = fc.constantFrom<MemberStatus>('healthy', 'unhealthy', 'unreachable', 'unknown');
  const cluster = fc
    .record({
      replicas: fc.array(member, { maxLength: 7 }),
      managers: fc.array(member, { maxLength: 7 }),
      zoneOf: fc.array(fc.constantFrom('a', 'b', 'c', ''), { minLength: 20, maxLength: 20 }),
      placeOnManager: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
    })
    .map(({ replicas, managers, zoneOf, placeOnManager }) => {
      const specs = replicas.map((status, i) => ({
        status,
        ...(placeOnManager[i] && i < managers.length ? { node: `mgr-${i + 1}` } : {}),
      }));
      const probe = buildSnapshot({ replicas: specs, managers });
      const zones = Object.fromEntries(
        probe.ucp.nodes.flatMap((n, i) => (zoneOf[i] ? [[n.hostname, zoneOf[i]]] : [])),
      );
      return buildSnapshot({ replicas: specs, managers, zones });
    });

  it('failing a node never raises a margin', () => {
    fc.assert(
      fc.property(cluster, fc.nat(), (snapshot, pick) => {
        const now = currentQuorums(snapshot);
        const hostnames = snapshot.ucp.nodes.map((n) => n.hostname);
        const hostname = hostnames[pick % Math.max(hostnames.length, 1)] ?? 'none';
        const impact = whatIfNodeFails(snapshot, hostname);
        expect(impact.dtr.margin).toBeLessThanOrEqual(now.dtr.margin);
        expect(impact.ucp.margin).toBeLessThanOrEqual(now.ucp.margin);
        expect(impact.dtr.members).toBe(now.dtr.members);
        expect(impact.ucp.members).toBe(now.ucp.members);
      }),
    );
  });

  it('failing a node that hosts nothing changes nothing', () => {
    fc.assert(
      fc.property(cluster, (snapshot) => {
        const now = currentQuorums(snapshot);
        for (const node of snapshot.ucp.nodes.filter((n) => n.hosts.length === 0)) {
          expect(whatIfNodeFails(snapshot, node.hostname)).toEqual({
            ...now,
            lost: [],
            cachesLost: [],
          });
        }
      }),
    );
  });

  it('a zone failure hurts at least as much as the failure of any node in it', () => {
    fc.assert(
      fc.property(cluster, (snapshot) => {
        for (const zone of failureZones(snapshot)) {
          const whole = whatIfZoneFails(snapshot, zone);
          for (const node of snapshot.ucp.nodes.filter((n) => n.labels.zone === zone)) {
            const one = whatIfNodeFails(snapshot, node.hostname);
            expect(whole.dtr.margin).toBeLessThanOrEqual(one.dtr.margin);
            expect(whole.ucp.margin).toBeLessThanOrEqual(one.ucp.margin);
          }
        }
      }),
    );
  });

  it('nothing is worse than the worst single failure', () => {
    fc.assert(
      fc.property(cluster, (snapshot) => {
        const worst = worstSingleFailure(snapshot);
        const hostsMember =
          snapshot.ucp.nodes.some((n) => n.role === 'manager') ||
          snapshot.dtr.replicas.some((r) => snapshot.ucp.nodes.some((n) => n.hostname === r.node));
        if (!worst) {
          expect(hostsMember).toBe(false);
          return;
        }
        const floor = Math.min(worst.dtr.margin, worst.ucp.margin);
        for (const node of snapshot.ucp.nodes) {
          const impact = whatIfNodeFails(snapshot, node.hostname);
          expect(Math.min(impact.dtr.margin, impact.ucp.margin)).toBeGreaterThanOrEqual(floor);
        }
      }),
    );
  });
});
