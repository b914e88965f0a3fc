import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '@/test/support/snapshot';
import { DEFAULT_QUERY, type NodeQuery } from './node-query';
import { filterRows, nodeRows, sortRows, visibleRows } from './node-rows';

const snapshot = buildSnapshot({
  replicas: ['unreachable', 'healthy', 'healthy'],
  zones: { 'mgr-1': 'a', 'mgr-2': 'b', 'mgr-3': 'c', 'dtr-1': 'a', 'dtr-2': 'b', 'dtr-3': 'c' },
  nodes: {
    'worker-2': { availability: 'drain', engineVersion: '19.03.8' },
    'worker-3': { nanoCpus: 16e9, memoryBytes: 64 * 1024 ** 3 },
    'worker-4': { state: 'down', message: 'heartbeat failure' },
  },
});
const rows = nodeRows(snapshot, 'zone');
const names = (list: { node: { hostname: string } }[]) => list.map((r) => r.node.hostname);
const query = (q: Partial<NodeQuery>): NodeQuery => ({ ...DEFAULT_QUERY, ...q });

describe('nodeRows', () => {
  it('gives every node its zone and what-if', () => {
    expect(rows).toHaveLength(snapshot.ucp.nodes.length);
    const dtr2 = rows.find((r) => r.node.hostname === 'dtr-2');
    expect(dtr2?.zone).toBe('b');
    expect(dtr2?.impact.dtr.status).toBe('lost');
    expect(rows.find((r) => r.node.hostname === 'worker-1')?.zone).toBeNull();
  });
});

describe('filterRows', () => {
  it('filters by role, state, availability, zone, hosts and label', () => {
    expect(names(filterRows(rows, query({ role: 'manager' })))).toEqual([
      'mgr-1',
      'mgr-2',
      'mgr-3',
    ]);
    expect(names(filterRows(rows, query({ state: 'down' })))).toEqual(['worker-4']);
    expect(names(filterRows(rows, query({ availability: 'drain' })))).toEqual(['worker-2']);
    expect(names(filterRows(rows, query({ zone: 'b' })))).toEqual(['mgr-2', 'dtr-2']);
    expect(names(filterRows(rows, query({ hosts: 'dtr-cache' })))).toEqual(['cache-1', 'cache-2']);
    expect(names(filterRows(rows, query({ hosts: 'none' })))).toHaveLength(4);
    expect(names(filterRows(rows, query({ label: { key: 'dtr.cache', value: 'true' } })))).toEqual([
      'cache-1',
      'cache-2',
    ]);
  });

  it('matches every word of the search, case-insensitively, in names, messages and labels', () => {
    expect(names(filterRows(rows, query({ q: 'HEARTBEAT' })))).toEqual(['worker-4']);
    expect(names(filterRows(rows, query({ q: 'zone=a mgr' })))).toEqual(['mgr-1']);
    expect(names(filterRows(rows, query({ q: '19.03' })))).toEqual(['worker-2']);
    expect(filterRows(rows, query({ q: 'no-such-node' }))).toEqual([]);
  });
});

describe('sortRows', () => {
  it('sorts hostnames naturally, both ways', () => {
    const many = nodeRows(
      buildSnapshot({ workers: 12, caches: 0, replicas: [], managers: [] }),
      'zone',
    );
    expect(names(sortRows(many, 'hostname', 'asc')).slice(0, 3)).toEqual([
      'worker-1',
      'worker-2',
      'worker-3',
    ]);
    expect(names(sortRows(many, 'hostname', 'desc')).slice(0, 3)).toEqual([
      'worker-12',
      'worker-11',
      'worker-10',
    ]);
  });

  it('puts the most dangerous failure first on what-if ascending', () => {
    const sorted = names(sortRows(rows, 'what-if', 'asc'));
    expect(sorted.slice(0, 2)).toEqual(['dtr-2', 'dtr-3']);
  });

  it('puts the leader first and workers last by manager status', () => {
    const sorted = names(sortRows(rows, 'manager', 'asc'));
    expect(sorted[0]).toBe('mgr-1');
    expect(sorted.slice(3)).not.toContain('mgr-2');
    // Missing values stay last in either direction.
    expect(names(sortRows(rows, 'manager', 'desc')).slice(0, 3)).toEqual([
      'mgr-2',
      'mgr-3',
      'mgr-1',
    ]);
    expect(names(sortRows(rows, 'zone', 'desc')).slice(-1)[0]).toMatch(/^(cache|worker)-/);
  });

  it('sorts by CPUs then memory', () => {
    expect(names(sortRows(rows, 'resources', 'desc'))[0]).toBe('worker-3');
  });
});

describe('visibleRows', () => {
  it('filters then sorts', () => {
    expect(names(visibleRows(rows, query({ role: 'manager', dir: 'desc' })))).toEqual([
      'mgr-3',
      'mgr-2',
      'mgr-1',
    ]);
  });
});
