import { describe, expect, it } from 'vitest';
import { warningsFor } from '@/test/support/assess';
import { testReplicaId } from '@/test/support/snapshot';

const [R1, R2] = [testReplicaId(0), testReplicaId(1)];
const spread = {
  'dtr-1': 'a',
  'dtr-2': 'b',
  'dtr-3': 'c',
  'mgr-1': 'a',
  'mgr-2': 'b',
  'mgr-3': 'c',
};

describe('ZONE_CONCENTRATION', () => {
  it('is quiet without zone labels, with one zone, or with members spread over three zones', () => {
    expect(warningsFor('ZONE_CONCENTRATION')).toEqual([]);
    expect(
      warningsFor('ZONE_CONCENTRATION', { zones: { 'dtr-1': 'a', 'dtr-2': 'a', 'mgr-1': 'a' } }),
    ).toEqual([]);
    expect(warningsFor('ZONE_CONCENTRATION', { zones: spread })).toEqual([]);
  });

  it('fires for a zone whose loss drops DTR below majority, naming the zone and its members', () => {
    const [w] = warningsFor('ZONE_CONCENTRATION', { zones: { ...spread, 'dtr-2': 'a' } });
    expect(w).toMatchObject({
      severity: 'warning',
      title: 'Losing zone a would take down DTR',
      subjects: ['zone=a', R1, R2],
      href: '/nodes?label=zone%3Da',
    });
    expect(w?.detail).toMatch(
      /holds 2 of 3 DTR replicas .* without it 1 remains, fewer than the 2 a majority needs/,
    );
  });

  it('covers UCP managers too and explains why two zones cannot work', () => {
    const [w] = warningsFor('ZONE_CONCENTRATION', {
      zones: { 'dtr-1': 'a', 'dtr-2': 'a', 'dtr-3': 'b', 'mgr-1': 'a', 'mgr-2': 'a', 'mgr-3': 'b' },
    });
    expect(w?.title).toBe('Losing zone a would take down DTR and UCP');
    expect(w?.subjects).toEqual(['zone=a', R1, R2, 'mgr-1', 'mgr-2']);
    expect(w?.detail).toMatch(/at least three/);
  });

  it('uses the configured label and counts unlabelled members outside every zone', () => {
    const label = 'topology.kubernetes.io/zone';
    const nodes = Object.fromEntries(
      ['dtr-1', 'dtr-2'].map((h) => [h, { labels: { [label]: 'east' } }]),
    );
    const [w] = warningsFor(
      'ZONE_CONCENTRATION',
      { nodes: { ...nodes, 'worker-1': { labels: { [label]: 'west' } } } },
      { zoneLabel: label },
    );
    expect(w?.subjects[0]).toBe(`${label}=east`);
    expect(w?.detail).toMatch(/1 without a topology.kubernetes.io\/zone label/);
    expect(warningsFor('ZONE_CONCENTRATION', { nodes })).toEqual([]);
  });

  it('leaves groups that tolerate nothing to their size warnings', () => {
    expect(
      warningsFor('ZONE_CONCENTRATION', {
        replicas: ['healthy', 'healthy'],
        zones: { 'dtr-1': 'a', 'dtr-2': 'b' },
      }),
    ).toEqual([]);
  });
});
