import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failuresTolerated, majority } from '../quorum';
import { DEFAULT_SIZING_INPUT, type SizingInput } from './input';
import { buildSizingPlan } from './plan';

const plan = (over: Partial<SizingInput> = {}) =>
  buildSizingPlan({ ...DEFAULT_SIZING_INPUT, ...over });

describe('sizing a DTR / UCP deployment', () => {
  it('the default is the vendor rule of thumb: 3 managers, 3 replicas, workers for apps', () => {
    const p = plan();
    expect(p.ucp).toMatchObject({ members: 3, majority: 2, failuresTolerated: 1 });
    expect(p.dtr).toMatchObject({ members: 3, majority: 2, failuresTolerated: 1 });
    expect(p.caches.nodes).toBe(0);
    expect(p.workers.nodes).toBe(4);
    expect(p.total.nodes).toBe(10);
    expect(p.warnings).toEqual([]);
  });

  it('f failures to tolerate need 2f + 1 members', () => {
    for (const failures of [0, 1, 2, 3]) {
      const p = plan({ dtr: { by: 'failures', failures }, ucp: { by: 'failures', failures } });
      expect(p.dtr.members).toBe(2 * failures + 1);
      expect(p.ucp.members).toBe(2 * failures + 1);
      expect(p.dtr.failuresTolerated).toBe(failures);
    }
  });

  it('majority and failures tolerated come from the quorum table for any count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), (members) => {
        const p = plan({ dtr: { by: 'count', members } });
        expect(p.dtr.majority).toBe(majority(members));
        expect(p.dtr.failuresTolerated).toBe(failuresTolerated(members));
      }),
    );
  });

  it('every output carries a one-line why', () => {
    const p = plan({ cacheRegions: 2, memoryGb: 16 });
    const whys = [
      p.dtr.why,
      p.ucp.why,
      p.caches.why,
      p.workers.why,
      p.total.why,
      p.total.driverWhy,
      p.zones.why,
      p.dtr.zones.why,
      p.ucp.zones.why,
      p.dtr.availability.why,
      p.availability.registry.why,
      p.availability.caches?.why,
      p.availability.why,
      p.hardware.why,
      p.storage.dtr.why,
      p.storage.caches?.why,
    ];
    for (const why of whys) {
      expect(why).toEqual(expect.any(String));
      expect(why?.length).toBeGreaterThan(20);
      expect(why).not.toMatch(/\n/);
    }
    expect(p.dtr.why).toMatch(/2 × 1 \+ 1 = 3 replicas/);
  });

  it('the total adds managers, DTR nodes, caches and workers, and names what drives it', () => {
    const p = plan({ workers: 40, cacheRegions: 2, cachesPerRegion: 2 });
    expect(p.total.nodes).toBe(3 + 3 + 4 + 40);
    expect(p.total.driver).toEqual({ part: 'workers', input: 'application workers', nodes: 40 });
    expect(p.total.driverWhy).toMatch(/Application workers drive the total: 40 of 50 nodes/);

    const ha = plan({ workers: 0, dtr: { by: 'failures', failures: 3 } });
    expect(ha.total.driver).toMatchObject({
      part: 'dtr',
      input: 'DTR failures to tolerate',
      nodes: 7,
    });
  });

  it('DTR on managers shares their nodes; only replicas beyond the managers add nodes', () => {
    expect(plan({ dtrOnManagers: true }).total.nodes).toBe(3 + 0 + 4);
    expect(plan({ dtrOnManagers: true, dtr: { by: 'count', members: 5 } }).total.nodes).toBe(
      3 + 2 + 4,
    );
  });

  it('caches: regions × nodes per region', () => {
    const p = plan({ cacheRegions: 3, cachesPerRegion: 2 });
    expect(p.caches).toMatchObject({ regions: 3, perRegion: 2, nodes: 6 });
    expect(p.availability.caches?.unavailability).toBeCloseTo(0.001 ** 2, 15);
  });

  it('availability per tier follows the binomial model at the chosen per-node availability', () => {
    const p = plan({ availability: 99 });
    expect(p.dtr.availability.downtimeMinutes).toBeCloseTo(156.63, 2);
    expect(p.ucp.availability.downtimeMinutes).toBeCloseTo(156.63, 2);
    expect(p.availability.registry.downtimeMinutes).toBeGreaterThan(
      p.dtr.availability.downtimeMinutes,
    );
    expect(p.availability.series).toHaveLength(7);
    expect(plan({ dtr: { by: 'count', members: 9 } }).availability.series).toHaveLength(9);
  });

  it('zones: members spread so that losing any one zone keeps quorum when it can', () => {
    const p = plan({ workers: 6 });
    expect(p.zones.rows.map((r) => [r.zone, r.managers, r.replicas, r.workers])).toEqual([
      ['A', 1, 1, 2],
      ['B', 1, 1, 2],
      ['C', 1, 1, 2],
    ]);
    expect(p.zones.survivesZoneLoss).toBe(true);
    expect(p.zones.rows.reduce((sum, r) => sum + r.nodes, 0)).toBe(p.total.nodes);

    const two = plan({ zones: 2 });
    expect(two.zones.survivesZoneLoss).toBe(false);
    expect(two.dtr.zones.why).toMatch(/third zone/);
  });

  it('zone rows add up to the total, DTR on managers or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 30 }),
        fc.boolean(),
        (replicas, managers, zones, workers, dtrOnManagers) => {
          const p = plan({
            dtr: { by: 'count', members: replicas },
            ucp: { by: 'count', members: managers },
            zones,
            workers,
            dtrOnManagers,
          });
          expect(p.zones.rows.reduce((sum, r) => sum + r.nodes, 0)).toBe(p.total.nodes);
          expect(p.zones.rows.reduce((sum, r) => sum + r.replicas, 0)).toBe(replicas);
        },
      ),
    );
  });

  it('hardware: minimum and recommended per DTR node, and totals', () => {
    const p = plan({ dtr: { by: 'failures', failures: 2 } });
    // DTR 2.x requirements: 16 GB of RAM is the minimum, not 8 (hardware.ts cites the pages).
    expect(p.hardware.minimum.perNode).toEqual({ memoryGb: 16, vcpus: 2, diskGb: 10 });
    expect(p.hardware.recommended.perNode).toEqual({
      memoryGb: 16,
      vcpus: 4,
      diskGb: 25,
      diskGbMax: 100,
    });
    expect(p.hardware.minimum.total).toEqual({ memoryGb: 80, vcpus: 10, diskGb: 50 });
    expect(p.hardware.recommended.total).toEqual({
      memoryGb: 80,
      vcpus: 20,
      diskGb: 125,
      diskGbMax: 500,
    });
    expect(p.hardware.checks).toEqual([]);
    // 12 GB passed the old 8 GB minimum; DTR 2.x's own minimum is 16 GB.
    const sized = plan({ memoryGb: 12, vcpus: 3, diskGb: 5 });
    expect(sized.hardware.checks.map((c) => [c.resource, c.verdict])).toEqual([
      ['memoryGb', 'below-minimum'],
      ['vcpus', 'below-recommended'],
      ['diskGb', 'below-minimum'],
    ]);
    expect(plan({ memoryGb: 16, vcpus: 8 }).hardware.checks.map((c) => c.verdict)).toEqual([
      'ok',
      'ok',
    ]);
  });

  it('storage: shared object store or NFS for DTR; NFS export options for HA caches', () => {
    const p = plan({ cacheRegions: 1, cachesPerRegion: 2 });
    expect(p.storage.dtr.requirement).toMatch(/read-after-write/);
    expect(p.storage.dtr.backends).toContain('NFS');
    expect(p.storage.caches?.nfsExport).toBe('/dtr-cache *(rw,root_squash,no_wdelay)');
    expect(plan({ cacheRegions: 1, cachesPerRegion: 1 }).storage.caches?.nfsExport).toBeNull();
    expect(plan().storage.caches).toBeNull();
  });

  it('is a plain object: JSON round-trips it unchanged', () => {
    const p = plan({ cacheRegions: 2, memoryGb: 8 });
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });
});
