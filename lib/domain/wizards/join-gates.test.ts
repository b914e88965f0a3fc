// The join's placement seeds, through planJoin: what a person choosing a node would see.
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '@/test/support/snapshot';
import type { DtrStorage } from '../types';
import { planJoin } from './join';
import { CONNECTION, flat, gate, gateIds } from '@/test/support/wizards';

const SHARED_STORAGE_ACK =
  'DTR stores images on shared storage (S3, Azure, GCS, Swift, OSS or NFS) that every DTR node reaches.';

describe('application-worker: DTR on dedicated workers', () => {
  const status = () => buildSnapshot({ replicas: ['healthy', 'healthy'], spareDtrNodes: 1 });

  it('blocks an application worker until the person accepts it, naming the dedicated node', () => {
    const plan = planJoin(status(), { node: 'worker-1' }, { connection: CONNECTION });
    const refused = gate(plan, 'application-worker');
    expect(refused.severity).toBe('block');
    expect(refused.message).toMatch(/^worker-1 looks like an application worker/);
    expect(refused.message).toMatch(/one node failure then costs both/);
    expect(refused.message).toMatch(/Pick a dedicated DTR node instead \(dtr-3\)/);
    expect(refused.message).toMatch(/docker node update --label-add dtr=true worker-1/);
    expect(refused.acknowledge).toMatch(/application worker worker-1/);
    expect(plan.ok).toBe(false);
    expect(plan.command).toBeUndefined();

    const accepted = planJoin(
      status(),
      { node: 'worker-1', acknowledge: ['application-worker'] },
      { connection: CONNECTION },
    );
    expect(gate(accepted, 'application-worker')).toMatchObject({
      severity: 'warn',
      acknowledged: true,
    });
    expect(accepted.ok).toBe(true);
    expect(flat(accepted.command?.text)).toMatch(/join --ucp-node worker-1 /);
  });

  it('says nothing on a dedicated DTR node, by host name or by label', () => {
    expect(gateIds(planJoin(status(), { node: 'dtr-3' }))).not.toContain('application-worker');
    const labelled = buildSnapshot({
      replicas: ['healthy', 'healthy'],
      nodes: { 'worker-2': { labels: { role: 'dtr' } } },
    });
    expect(gateIds(planJoin(labelled, { node: 'worker-2' }))).not.toContain('application-worker');
  });
});

describe('zone-concentration: no failure zone holding a majority', () => {
  // Replicas on dtr-1 (zone a) and dtr-2 (zone b); dtr-3 is a spare in zone c.
  const zones = { 'dtr-1': 'a', 'dtr-2': 'b', 'dtr-3': 'c', 'worker-1': 'a' };
  const twoReplicas = () =>
    buildSnapshot({ replicas: ['healthy', 'healthy'], spareDtrNodes: 1, zones });

  it('warns when the new replica makes zone a hold 2 of 3, and points at another zone', () => {
    const plan = planJoin(twoReplicas(), {
      node: 'worker-1',
      acknowledge: ['application-worker'],
    });
    const warned = gate(plan, 'zone-concentration');
    expect(warned.severity).toBe('warn');
    expect(warned.message).toBe(
      'Joining on worker-1 puts 2 of 3 replicas in zone a (zone=a): losing that zone would leave 1 of 3, ' +
        'fewer than the 2 DTR needs, and the registry would stop. Pick a worker in another zone, such as dtr-3 (zone c).',
    );
    expect(plan.ok).toBe(true);
  });

  it('says nothing when the new replica goes to a zone of its own', () => {
    expect(gateIds(planJoin(twoReplicas(), { node: 'dtr-3' }))).not.toContain('zone-concentration');
  });

  it('says nothing about zones for a node without a zone label', () => {
    const plan = planJoin(twoReplicas(), {
      node: 'worker-2',
      acknowledge: ['application-worker'],
    });
    expect(gateIds(plan)).not.toContain('zone-concentration');
  });

  it('reads the configured zone label, not "zone", when told', () => {
    const label = 'topology.kubernetes.io/zone';
    const status = buildSnapshot({
      replicas: ['healthy', 'healthy'],
      spareDtrNodes: 1,
      nodes: Object.fromEntries(
        Object.entries(zones).map(([host, zone]) => [host, { labels: { [label]: zone } }]),
      ),
    });
    const input = { node: 'worker-1', acknowledge: ['application-worker'] };
    expect(gateIds(planJoin(status, input))).not.toContain('zone-concentration');
    expect(
      gate(planJoin(status, input, { zoneLabel: label }), 'zone-concentration').message,
    ).toMatch(/2 of 3 replicas in zone a \(topology\.kubernetes\.io\/zone=a\)/);
  });

  it('says when the zone already holds too many, whichever node joins', () => {
    // dtr-1 and dtr-2 in zone a, dtr-3 in b: a 4th replica in c still leaves a with 2 of 4.
    const status = buildSnapshot({
      spareDtrNodes: 1,
      zones: { 'dtr-1': 'a', 'dtr-2': 'a', 'dtr-3': 'b', 'dtr-4': 'c' },
    });
    expect(gate(planJoin(status, { node: 'dtr-4' }), 'zone-concentration').message).toMatch(
      /^Zone a \(zone=a\) would still hold 2 of 4 replicas after this join: .* remove a replica in zone a and join one in another zone/,
    );
  });
});

describe('shared-storage: growing past one replica needs one object store', () => {
  const single = (storage?: DtrStorage | null) =>
    buildSnapshot({
      replicas: ['healthy'],
      spareDtrNodes: 1,
      ...(storage !== undefined && { storage }),
    });

  it('blocks the second replica when DTR’s settings show no shared storage, and says where to fix it', () => {
    const plan = planJoin(
      single({ kind: 'unknown' }),
      { node: 'dtr-2' },
      { connection: CONNECTION },
    );
    const refused = gate(plan, 'shared-storage');
    expect(refused.severity).toBe('block');
    expect(refused.message).toMatch(
      /^DTR replicas must share one object store \(S3, Azure, GCS, Swift, OSS or NFS\)/,
    );
    expect(refused.message).toMatch(/cloud storage was set up in DTR’s web UI/);
    expect(refused.message).toMatch(/DTR’s System → Storage settings/);
    expect(refused.acknowledge).toBe(SHARED_STORAGE_ACK);
    expect(plan.command).toBeUndefined();

    const confirmed = planJoin(
      single({ kind: 'unknown' }),
      { node: 'dtr-2', acknowledge: ['shared-storage'] },
      { connection: CONNECTION },
    );
    expect(confirmed.ok).toBe(true);
    expect(gate(confirmed, 'shared-storage').acknowledged).toBe(true);
  });

  it('asks about a storage volume too, naming it; and when the settings were never read', () => {
    expect(
      gate(
        planJoin(single({ kind: 'volume', volume: '/mnt/dtr' }), { node: 'dtr-2' }),
        'shared-storage',
      ).message,
    ).toMatch(/storage volume \/mnt\/dtr \(--dtr-storage-volume\)/);
    expect(gate(planJoin(single(), { node: 'dtr-2' }), 'shared-storage').severity).toBe('block');
  });

  it('does not ask when DTR stores images on NFS, or once there are two replicas', () => {
    const nfs = single({ kind: 'nfs', host: 'nfs.example.com', path: '/dtr' });
    expect(gateIds(planJoin(nfs, { node: 'dtr-2' }))).not.toContain('shared-storage');
    const two = buildSnapshot({
      replicas: ['healthy', 'healthy'],
      spareDtrNodes: 1,
      storage: { kind: 'unknown' },
    });
    expect(gateIds(planJoin(two, { node: 'dtr-3' }))).not.toContain('shared-storage');
  });
});
