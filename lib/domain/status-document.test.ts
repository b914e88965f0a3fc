import { describe, expect, it } from 'vitest';
import { TEST_UCP } from '@/test/support/assess';
import { buildSnapshot } from '@/test/support/snapshot';
import { assessCluster } from './assess';
import { currentQuorums, worstSingleFailure } from './placement';
import { summarizeLive } from './sizing/live';
import { ATTENTION_CAP, inventoryVersion, slimStatus } from './status-document';
import type { ClusterNode, ClusterSnapshot, ClusterStatus } from './types';

/** A fleet of `workers` application workers spread over three zones, every node realistic in size. */
function fleet(workers: number, down: string[] = []): ClusterStatus {
  const zones: Record<string, string> = {};
  const nodes: Record<string, Partial<ClusterNode>> = {};
  for (let i = 1; i <= workers; i++) {
    const name = `worker-${i}`;
    zones[name] = 'abc'[i % 3] as string;
    nodes[name] = {
      message: '',
      addr: `10.1.${Math.floor(i / 250)}.${i % 250}`,
      labels: {
        zone: 'abc'[i % 3] as string,
        'com.example.team': `team-${i % 40}`,
        'com.example.rack': `rack-${i % 97}`,
        'node.kubernetes.io/instance-type': 'm5.2xlarge',
      },
    };
  }
  for (const name of down)
    nodes[name] = { ...nodes[name], state: 'down', message: 'heartbeat failure' };
  const snapshot: ClusterSnapshot = buildSnapshot({
    workers,
    zones: {
      ...zones,
      'mgr-1': 'a',
      'mgr-2': 'b',
      'mgr-3': 'c',
      'dtr-1': 'a',
      'dtr-2': 'b',
      'dtr-3': 'c',
    },
    nodes,
  });
  return { ...snapshot, warnings: assessCluster(snapshot, TEST_UCP), zoneLabel: 'zone' };
}

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
const names = (list: readonly ClusterNode[]) => list.map((n) => n.hostname);

describe('slimStatus', () => {
  it('stays under 64 kB on 2,000 and 10,000 nodes, where the full document does not', () => {
    for (const workers of [2000, 10_000]) {
      const status = fleet(workers, ['worker-17', 'worker-1999']);
      expect(jsonBytes(status)).toBeGreaterThan(500_000);
      const slim = slimStatus(status);
      expect(jsonBytes(slim)).toBeLessThanOrEqual(64 * 1024);
      expect(slim.ucp.nodeCounts?.total).toBe(status.ucp.nodes.length);
    }
  });

  it('keeps every manager, DTR replica and cache node and every node not ready or not active', () => {
    const status = fleet(300, ['worker-5', 'worker-250']);
    status.ucp.nodes = status.ucp.nodes.map((n) =>
      n.hostname === 'worker-9' ? { ...n, availability: 'drain' } : n,
    );
    const slim = slimStatus(status);
    const kept = names(slim.ucp.nodes);
    for (const node of status.ucp.nodes) {
      if (node.role === 'manager' || node.hosts.length > 0)
        expect(kept, node.hostname).toContain(node.hostname);
    }
    expect(kept).toEqual(
      expect.arrayContaining(['mgr-1', 'dtr-1', 'cache-1', 'worker-5', 'worker-250', 'worker-9']),
    );
    // Ready, active application workers are counted, not listed.
    expect(kept).not.toContain('worker-6');
    expect(slim.ucp.nodeList).toMatchObject({
      complete: false,
      listed: kept.length,
      omitted: status.ucp.nodes.length - kept.length,
      attentionOmitted: 0,
      href: '/api/nodes',
      fullDocument: '/api/status?nodes=all',
    });
    // The rest of the document is the full one, unchanged.
    expect(slim.dtr).toBe(status.dtr);
    expect(slim.warnings).toBe(status.warnings);
    expect(slim.ucp.managers).toBe(status.ucp.managers);
  });

  it('counts the whole inventory by role, state, availability and zone', () => {
    const status = fleet(30, ['worker-1', 'worker-2']);
    status.ucp.nodes = status.ucp.nodes.map((n) =>
      n.hostname === 'worker-3' ? { ...n, availability: 'pause', labels: {} } : n,
    );
    const counts = slimStatus(status).ucp.nodeCounts;
    const all = status.ucp.nodes;
    expect(counts).toMatchObject({
      total: all.length,
      role: {
        manager: all.filter((n) => n.role === 'manager').length,
        worker: all.filter((n) => n.role === 'worker').length,
      },
      state: { ready: all.length - 2, down: 2, unknown: 0, disconnected: 0 },
      availability: { active: all.length - 1, pause: 1, drain: 0, unknown: 0 },
      readyActive: all.length - 3,
      applicationWorkers: 30,
    });
    const zoned = (zone: string) => all.filter((n) => n.labels.zone === zone).length;
    expect(counts?.zone).toEqual({ a: zoned('a'), b: zoned('b'), c: zoned('c') });
    expect(counts?.unzoned).toBe(all.filter((n) => !n.labels.zone).length);
    expect(counts?.unzoned).toBeGreaterThan(0);
  });

  it('keeps a node a warning names, even when it is ready and active', () => {
    const status = fleet(50);
    status.warnings = [
      ...status.warnings,
      {
        code: 'ZONE_CONCENTRATION',
        severity: 'warning',
        title: 'test',
        detail: '',
        nextStep: '',
        subjects: ['WORKER-42'],
      },
    ];
    expect(names(slimStatus(status).ucp.nodes)).toContain('worker-42');
    expect(names(slimStatus(fleet(50)).ucp.nodes)).not.toContain('worker-42');
  });

  it('caps nodes needing attention that host nothing, down ones first, and says how many it left out', () => {
    const downs = Array.from({ length: 3000 }, (_, i) => `worker-${i + 1}`);
    const status = fleet(10_000, downs);
    status.ucp.nodes = status.ucp.nodes.map((n) =>
      n.hostname === 'worker-9999' ? { ...n, availability: 'drain' } : n,
    );
    const slim = slimStatus(status);
    expect(jsonBytes(slim)).toBeLessThanOrEqual(64 * 1024);
    const attention = slim.ucp.nodes.filter((n) => n.role === 'worker' && n.hosts.length === 0);
    expect(attention).toHaveLength(ATTENTION_CAP);
    expect(attention.every((n) => n.state === 'down')).toBe(true);
    expect(slim.ucp.nodeList?.attentionOmitted).toBe(3001 - ATTENTION_CAP);
    expect(slim.ucp.nodeCounts?.state.down).toBe(3000);
    // Members are never capped.
    expect(names(slim.ucp.nodes)).toEqual(
      expect.arrayContaining(['mgr-1', 'mgr-2', 'mgr-3', 'dtr-1', 'dtr-2', 'dtr-3']),
    );
  });

  it('says the list is complete when nothing was left out', () => {
    const status = fleet(0);
    const slim = slimStatus(status);
    expect(slim.ucp.nodes).toEqual(status.ucp.nodes);
    expect(slim.ucp.nodeList).toMatchObject({ complete: true, omitted: 0 });
  });

  it('gives the client views that read nodes the same answers as the full document', () => {
    const status = fleet(600, ['worker-10']);
    const slim = slimStatus(status);
    expect(currentQuorums(slim)).toEqual(currentQuorums(status));
    const { nodes: fullZoneNodes, ...worst } = worstSingleFailure(status, 'zone') ?? { nodes: [] };
    const { nodes: slimZoneNodes, ...slimWorst } = worstSingleFailure(slim, 'zone') ?? {
      nodes: [],
    };
    expect(slimWorst).toEqual(worst);
    expect(slimZoneNodes.length).toBeLessThan(fullZoneNodes.length);
    const live = summarizeLive(status);
    const served = summarizeLive(slim);
    expect(served).toEqual(live);
    expect(served.appWorkers).toBe(600);
  });

  it('changes its inventory version when a node or vote changes, not on a quiet poll', () => {
    const before = slimStatus(fleet(100));
    const quiet = slimStatus({ ...fleet(100), generatedAt: '2030-01-01T00:00:00.000Z' });
    expect(inventoryVersion(quiet)).toBe(inventoryVersion(before));
    expect(inventoryVersion(slimStatus(fleet(100, ['worker-40'])))).not.toBe(
      inventoryVersion(before),
    );
    const voted = structuredClone(before);
    voted.dtr.replicas[0]!.quorumVote = 'down';
    expect(inventoryVersion(voted)).not.toBe(inventoryVersion(before));
  });
});
