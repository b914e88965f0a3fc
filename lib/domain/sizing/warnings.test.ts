import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZING_INPUT, type SizingInput } from './input';
import { buildSizingPlan } from './plan';
import type { SizingWarningCode } from './types';

const codes = (over: Partial<SizingInput> = {}): SizingWarningCode[] =>
  buildSizingPlan({ ...DEFAULT_SIZING_INPUT, ...over }).warnings.map((w) => w.code);
const warning = (code: SizingWarningCode, over: Partial<SizingInput>) =>
  buildSizingPlan({ ...DEFAULT_SIZING_INPUT, ...over }).warnings.find((w) => w.code === code);
const dtr = (members: number) => ({ dtr: { by: 'count' as const, members } });
const ucp = (members: number) => ({ ucp: { by: 'count' as const, members } });

describe('sizing warnings', () => {
  it('none for the recommended plan', () => {
    expect(codes()).toEqual([]);
  });

  it('2 replicas or managers: no tolerance, worse than 1', () => {
    expect(codes(dtr(2))).toContain('DTR_TWO_REPLICAS');
    expect(codes(ucp(2))).toContain('UCP_TWO_MANAGERS');
    expect(warning('DTR_TWO_REPLICAS', dtr(2))).toMatchObject({ severity: 'warning' });
    expect(warning('DTR_TWO_REPLICAS', dtr(2))?.detail).toMatch(/worse than 1/);
  });

  it('an even count of 4 or more buys nothing over the odd count below', () => {
    for (const n of [4, 6, 8]) {
      expect(codes(dtr(n))).toContain('DTR_EVEN_REPLICAS');
      expect(codes(ucp(n))).toContain('UCP_EVEN_MANAGERS');
    }
    expect(warning('DTR_EVEN_REPLICAS', dtr(4))?.fix).toBe('Use 3 or 5 replicas.');
    expect(codes(dtr(5))).not.toContain('DTR_EVEN_REPLICAS');
  });

  it('more than 7 slows writes, and the warning says where the line is and why', () => {
    expect(codes(dtr(8))).toContain('DTR_TOO_MANY_REPLICAS');
    expect(codes(ucp(8))).toContain('UCP_TOO_MANY_MANAGERS');
    const many = warning('DTR_TOO_MANY_REPLICAS', dtr(9));
    expect(many?.detail).toMatch(/majority of 9 \(5 replicas\)/);
    expect(many?.detail).toMatch(/warns above 7 because the vendor sizes at 3, 5 or 7/);
    expect(many?.fix).toBe('Use 7 or 5 replicas, spread over zones.');
    expect(codes(dtr(9))).toContain('DTR_TOO_MANY_REPLICAS');
    expect(codes(ucp(9))).toContain('UCP_TOO_MANY_MANAGERS');
    expect(codes(dtr(7))).not.toContain('DTR_TOO_MANY_REPLICAS');
  });

  it('a single replica or manager is called out as no high availability', () => {
    expect(codes({ dtr: { by: 'failures', failures: 0 } })).toContain('DTR_SINGLE_REPLICA');
    expect(codes({ ucp: { by: 'failures', failures: 0 } })).toContain('UCP_SINGLE_MANAGER');
    expect(warning('DTR_SINGLE_REPLICA', dtr(1))?.severity).toBe('info');
  });

  it('DTR on manager nodes', () => {
    expect(codes({ dtrOnManagers: true })).toContain('DTR_ON_MANAGERS');
    expect(warning('DTR_ON_MANAGERS', { dtrOnManagers: true })?.detail).toMatch(/worker nodes/);
  });

  it('a single zone', () => {
    expect(codes({ zones: 1 })).toEqual(['SINGLE_ZONE']);
  });

  it('zones that cannot keep quorum through a zone loss', () => {
    expect(codes({ zones: 2 })).toEqual(['ZONE_LOSS_LOSES_QUORUM']);
    expect(warning('ZONE_LOSS_LOSES_QUORUM', { zones: 2 })?.fix).toMatch(/third zone/);
    const four = warning('ZONE_LOSS_LOSES_QUORUM', dtr(4));
    expect(four?.title).toMatch(/DTR replicas/);
    expect(four?.fix).toBe('DTR replicas: use 3 or 5.');
    // 1 member tiers are covered by the single-member warning, not this one
    expect(codes({ ...dtr(1), ...ucp(1) })).not.toContain('ZONE_LOSS_LOSES_QUORUM');
  });

  it('caches without shared storage, and a single cache per region', () => {
    expect(codes({ cacheRegions: 2, cachesPerRegion: 2, cacheStorage: 'local' })).toEqual([
      'CACHES_WITHOUT_SHARED_STORAGE',
    ]);
    expect(codes({ cacheRegions: 2, cachesPerRegion: 2, cacheStorage: 'shared' })).toEqual([]);
    expect(codes({ cacheRegions: 1, cachesPerRegion: 1, cacheStorage: 'local' })).toEqual([
      'CACHE_SINGLE_NODE',
    ]);
    // no caches: nothing to say about their storage
    expect(codes({ cacheRegions: 0, cacheStorage: 'local' })).toEqual([]);
  });

  it('DTR node sizes below the minimum or the recommendation', () => {
    expect(codes({ memoryGb: 4 })).toEqual(['NODE_BELOW_MINIMUM']);
    expect(warning('NODE_BELOW_MINIMUM', { memoryGb: 4 })).toMatchObject({
      severity: 'critical',
      detail: expect.stringMatching(/^Memory 4 GB \(minimum 16 GB\)/),
      fix: expect.stringMatching(/at least 16 GB memory, 2 vCPUs and 10 GB disk/),
    });
    // 8 GB was the console's old minimum; DTR 2.x asks for 16 GB.
    expect(codes({ memoryGb: 8 })).toEqual(['NODE_BELOW_MINIMUM']);
    expect(codes({ memoryGb: 16 })).toEqual([]);
    expect(codes({ vcpus: 2 })).toEqual(['NODE_BELOW_RECOMMENDED']);
    expect(codes({ memoryGb: 16, vcpus: 4, diskGb: 25 })).toEqual([]);
  });

  it('most severe first', () => {
    const severities = buildSizingPlan({
      ...DEFAULT_SIZING_INPUT,
      ...dtr(2),
      zones: 1,
      memoryGb: 2,
      cacheRegions: 1,
      cachesPerRegion: 1,
    }).warnings.map((w) => w.severity);
    expect(severities).toEqual(
      [...severities].sort(
        (a, b) =>
          ['critical', 'warning', 'info'].indexOf(a) - ['critical', 'warning', 'info'].indexOf(b),
      ),
    );
    expect(severities[0]).toBe('critical');
  });
});
