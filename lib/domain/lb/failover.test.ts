import { describe, expect, it } from 'vitest';
import { failoverSeconds, formatSeconds } from './failover';

describe('failoverSeconds', () => {
  it('HAProxy: inter × fall, plus the timeout of a check that hangs', () => {
    expect(failoverSeconds({ kind: 'haproxy' })).toMatchObject({
      seconds: 17,
      summary: 'A failed replica leaves the pool after ~17 s.',
    });
    const fast = failoverSeconds({
      kind: 'haproxy',
      checkIntervalMs: 1000,
      fall: 2,
      checkTimeoutMs: 500,
      rise: 1,
    });
    expect(fast.seconds).toBe(2.5);
    expect(fast.detail).toContain(
      '2 failed checks in a row (inter x fall = 2 s, plus up to 0.5 s for a check that hangs)',
    );
    expect(fast.detail).toContain('it returns after 1 good check in a row.');
  });

  it('NGINX: no number, because passive checks depend on traffic; says what it cannot see', () => {
    const estimate = failoverSeconds({ kind: 'nginx', fall: 2, failTimeoutMs: 30_000 });
    expect(estimate.seconds).toBeNull();
    expect(estimate.summary).toBe(
      'Depends on traffic: a replica leaves the pool after 2 failed connections within 30 s, for 30 s.',
    );
    expect(estimate.detail).toContain('no active health checks in stream mode');
    expect(estimate.detail).toContain('an idle pool notices nothing');
    expect(estimate.detail).toContain('reports unhealthy on /_ping');
  });

  it('ELB: interval × unhealthy threshold', () => {
    expect(failoverSeconds({ kind: 'elb', checkIntervalMs: 10_000, fall: 3 })).toMatchObject({
      seconds: 30,
      summary: 'A failed replica leaves the pool after ~30 s.',
    });
    expect(failoverSeconds({ kind: 'elb', rise: 2 }).detail).toContain(
      'routes to it again after 2 successes in a row',
    );
  });

  it('ignores options passed as undefined', () => {
    expect(failoverSeconds({ kind: 'haproxy', fall: undefined }).seconds).toBe(17);
  });

  it('formats seconds to a tenth', () => {
    expect([formatSeconds(17_000), formatSeconds(2500), formatSeconds(1234)]).toEqual([
      '17 s',
      '2.5 s',
      '1.2 s',
    ]);
  });
});
