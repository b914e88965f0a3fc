import { describe, expect, it } from 'vitest';
import type { ProbeResult, TrackedProbe } from '@/lib/domain/types';
import { confirmProbe, quickTimeoutMs, type QuickReprobe } from './tracking';

const TIMEOUT = 1500;
const QUICK = 500;

/** A clock that only moves when a fake probe says it took time. */
function fakeTime() {
  let ms = 0;
  return {
    clock: () => ms,
    /** A probe that answers `result` after `tookMs`, counting its calls. */
    probe(results: { result: ProbeResult; tookMs: number }[]) {
      const probe = async () => {
        const next = results[Math.min(probe.calls, results.length - 1)];
        probe.calls += 1;
        if (!next) throw new Error('no result');
        ms += next.tookMs;
        return next.result;
      };
      probe.calls = 0;
      return probe;
    },
  };
}

const healthy = (at: string): ProbeResult => ({
  status: 'healthy',
  error: null,
  latencyMs: 3,
  checkedAt: at,
});
const silent = (at: string, ms: number): ProbeResult => ({
  status: 'unreachable',
  error: `no answer within ${ms} ms from 127.0.2.3:8080 (GET /_ping)`,
  latencyMs: null,
  checkedAt: at,
});
const refused = (at: string): ProbeResult => ({
  status: 'unreachable',
  error: 'connection refused by 127.0.2.3:8080',
  latencyMs: null,
  checkedAt: at,
});
const wasHealthy: TrackedProbe = { ...healthy('t0'), since: 't-start' };

describe('quickTimeoutMs', () => {
  it('is a third of the probe timeout, at least 100 ms, never more than the timeout', () => {
    expect(quickTimeoutMs(1500)).toBe(500);
    expect(quickTimeoutMs(600)).toBe(200);
    expect(quickTimeoutMs(250)).toBe(100);
    expect(quickTimeoutMs(50)).toBe(50);
  });
});

describe('confirmProbe', () => {
  it('takes the first probe of a new member as it is', async () => {
    const t = fakeTime();
    const full = t.probe([{ result: healthy('t1'), tookMs: 2 }]);
    expect(await confirmProbe(undefined, full, undefined, t.clock)).toEqual({
      ...healthy('t1'),
      since: 't1',
    });
    expect(full.calls).toBe(1);
  });

  it('does not re-probe when nothing changed', async () => {
    const t = fakeTime();
    const full = t.probe([{ result: healthy('t1'), tookMs: 2 }]);
    const quick = t.probe([{ result: healthy('never'), tookMs: 1 }]);
    const q: QuickReprobe = { probe: quick, timeoutMs: TIMEOUT, quickTimeoutMs: QUICK };
    expect(await confirmProbe(wasHealthy, full, q, t.clock)).toMatchObject({
      status: 'healthy',
      since: 't-start',
      checkedAt: 't1',
    });
    expect([full.calls, quick.calls]).toEqual([1, 0]);
  });

  it('confirms a timed-out probe with the quick re-probe and keeps the full timeout as the reason', async () => {
    const t = fakeTime();
    const full = t.probe([{ result: silent('t1', TIMEOUT), tookMs: TIMEOUT }]);
    const quick = t.probe([{ result: silent('t2', QUICK), tookMs: QUICK }]);
    const q: QuickReprobe = { probe: quick, timeoutMs: TIMEOUT, quickTimeoutMs: QUICK };
    const confirmed = await confirmProbe(wasHealthy, full, q, t.clock);
    expect([full.calls, quick.calls]).toEqual([1, 1]);
    // One timeout plus the short one, not two whole timeouts.
    expect(t.clock()).toBe(TIMEOUT + QUICK);
    expect(confirmed).toEqual({
      status: 'unreachable',
      error: 'no answer within 1500 ms from 127.0.2.3:8080 (GET /_ping)',
      latencyMs: null,
      checkedAt: 't2',
      since: 't2',
    });
  });

  it('does not flip a healthy member on one probe lost to a timeout when the quick re-probe answers', async () => {
    const t = fakeTime();
    const full = t.probe([{ result: silent('t1', TIMEOUT), tookMs: TIMEOUT }]);
    const quick = t.probe([{ result: healthy('t2'), tookMs: 4 }]);
    const q: QuickReprobe = { probe: quick, timeoutMs: TIMEOUT, quickTimeoutMs: QUICK };
    expect(await confirmProbe(wasHealthy, full, q, t.clock)).toEqual({
      ...healthy('t2'),
      since: 't-start',
    });
  });

  it('takes the quick re-probe’s own words when it failed otherwise (refused, not silent)', async () => {
    const t = fakeTime();
    const full = t.probe([{ result: silent('t1', TIMEOUT), tookMs: TIMEOUT }]);
    const quick = t.probe([{ result: refused('t2'), tookMs: 1 }]);
    const q: QuickReprobe = { probe: quick, timeoutMs: TIMEOUT, quickTimeoutMs: QUICK };
    expect(await confirmProbe(wasHealthy, full, q, t.clock)).toEqual({
      ...refused('t2'),
      since: 't2',
    });
  });

  it('re-probes a fast failure with the full probe: only a timeout earns the short re-probe', async () => {
    const t = fakeTime();
    // Refused at once, then slow to answer while it comes back: the full timeout lets it.
    const full = t.probe([
      { result: refused('t1'), tookMs: 1 },
      { result: healthy('t2'), tookMs: 900 },
    ]);
    const quick = t.probe([{ result: silent('never', QUICK), tookMs: QUICK }]);
    const q: QuickReprobe = { probe: quick, timeoutMs: TIMEOUT, quickTimeoutMs: QUICK };
    expect(await confirmProbe(wasHealthy, full, q, t.clock)).toEqual({
      ...healthy('t2'),
      since: 't-start',
    });
    expect([full.calls, quick.calls]).toEqual([2, 0]);
  });

  it('re-probes an unhealthy answer with the full probe even when it was slow', async () => {
    const t = fakeTime();
    const unhealthy: ProbeResult = {
      status: 'unhealthy',
      error: 'registry: storage unreachable',
      latencyMs: 1450,
      checkedAt: 't1',
    };
    const full = t.probe([{ result: unhealthy, tookMs: 1450 }]);
    const quick = t.probe([{ result: silent('never', QUICK), tookMs: QUICK }]);
    const q: QuickReprobe = { probe: quick, timeoutMs: TIMEOUT, quickTimeoutMs: QUICK };
    expect(await confirmProbe(wasHealthy, full, q, t.clock)).toMatchObject({
      status: 'unhealthy',
      since: 't1',
    });
    expect([full.calls, quick.calls]).toEqual([2, 0]);
  });

  it('without a quick probe, confirms a timeout with a second whole timeout (as before)', async () => {
    const t = fakeTime();
    const full = t.probe([{ result: silent('t1', TIMEOUT), tookMs: TIMEOUT }]);
    expect(await confirmProbe(wasHealthy, full, undefined, t.clock)).toMatchObject({
      status: 'unreachable',
      since: 't1',
    });
    expect(full.calls).toBe(2);
    expect(t.clock()).toBe(2 * TIMEOUT);
  });

  it('keeps the old state when the two probes disagree with it and with each other', async () => {
    const t = fakeTime();
    const full = t.probe([{ result: silent('t1', TIMEOUT), tookMs: TIMEOUT }]);
    const unhealthy: ProbeResult = {
      status: 'unhealthy',
      error: 'HTTP 503',
      latencyMs: 5,
      checkedAt: 't2',
    };
    const quick = t.probe([{ result: unhealthy, tookMs: 5 }]);
    const q: QuickReprobe = { probe: quick, timeoutMs: TIMEOUT, quickTimeoutMs: QUICK };
    expect(await confirmProbe(wasHealthy, full, q, t.clock)).toEqual({
      ...wasHealthy,
      checkedAt: 't2',
    });
  });
});
