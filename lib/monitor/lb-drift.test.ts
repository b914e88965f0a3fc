import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DriftReplica, LbServerState } from '@/lib/domain/lb/drift';
import { SourceError } from '@/lib/sources/errors';
import { lbDriftState, LbDriftPoller, NOT_CONFIGURED, type LbDriftPollerOptions } from './lb-drift';

const A = 'a1b2c3000111';
const B = 'a1b2c3000222';
const NOW = new Date('2024-05-01T12:00:00.000Z');

const replica = (id: string, status: DriftReplica['status'] = 'healthy'): DriftReplica => ({
  id,
  status,
  address: null,
  httpPort: 80,
  httpsPort: 443,
});
const server = (id: string, status = 'UP'): LbServerState => ({
  backend: 'dtr_https_pool',
  server: `replica-${id}`,
  replicaId: id,
  status,
  checkStatus: null,
  checkDetail: null,
  lastChange: 100,
  address: null,
});

function options(overrides: Partial<LbDriftPollerOptions> = {}): LbDriftPollerOptions {
  return {
    statsUrl: 'http://ops:secret@lb.example.com:8404/stats',
    intervalMs: 100,
    timeoutMs: 1000,
    getReplicas: () => [replica(A), replica(B)],
    fetchPool: vi.fn(async () => [server(A), server(B)]),
    now: () => NOW,
    ...overrides,
  };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const running: LbDriftPoller[] = [];
/** Starts a poller as the runtime does when LB_STATS_URL is set. */
function startLbDriftPoller(opts: LbDriftPollerOptions): LbDriftPoller {
  const poller = new LbDriftPoller(opts);
  poller.start();
  running.push(poller);
  return poller;
}
afterEach(() => {
  for (const poller of running.splice(0)) poller.stop();
});

describe('the LB drift poller', () => {
  it('says "not configured" when the runtime has no poller (LB_STATS_URL unset)', () => {
    expect(lbDriftState(null)).toEqual(NOT_CONFIGURED);
  });

  it('reads the pool at once, then once per interval whatever the number of readers', async () => {
    const opts = options();
    const poller = startLbDriftPoller(opts);
    await poller.pollNow();
    for (let i = 0; i < 500; i += 1) lbDriftState(poller);
    expect(lbDriftState(poller)).toEqual({
      configured: true,
      source: 'lb.example.com:8404',
      fetchedAt: NOW.toISOString(),
      checkedAt: NOW.toISOString(),
      error: null,
      pool: [server(A), server(B)],
      findings: [],
      intervalMs: 100,
    });
    const fetchPool = vi.mocked(opts.fetchPool!);
    expect(fetchPool).toHaveBeenCalledWith({ statsUrl: opts.statsUrl, timeoutMs: 1000 });
    await settle(350);
    // About 350 / 100 polls: the interval sets the pace, not the 500 reads.
    expect(fetchPool.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(fetchPool.mock.calls.length).toBeLessThanOrEqual(6);
  });

  it('compares with the replicas of the moment and reports drift', async () => {
    const poller = startLbDriftPoller(options({ getReplicas: () => [replica(A)], graceMs: 0 }));
    const state = await poller.pollNow();
    expect(state.findings.map((f) => [f.code, f.subjects])).toEqual([['stale-in-pool', [B]]]);
  });

  it('gives the load balancer its grace period after a replica changes state', async () => {
    const justFailed = {
      ...replica(B, 'unreachable'),
      since: new Date(NOW.getTime() - 5000).toISOString(),
    };
    const poller = startLbDriftPoller(options({ getReplicas: () => [replica(A), justFailed] }));
    expect((await poller.pollNow()).findings).toEqual([]);
  });

  it('keeps the last pool and findings when a read fails, and says why', async () => {
    let fail = false;
    const poller = startLbDriftPoller(
      options({
        getReplicas: () => [replica(A)],
        fetchPool: async () => {
          if (fail) throw new SourceError('refused', 'connection refused by lb.example.com:8404');
          return [server(A), server(B)];
        },
        now: () => (fail ? new Date(NOW.getTime() + 60_000) : NOW),
      }),
    );
    await poller.pollNow();
    fail = true;
    const state = await poller.pollNow();
    expect(state).toMatchObject({
      fetchedAt: NOW.toISOString(),
      checkedAt: new Date(NOW.getTime() + 60_000).toISOString(),
      error: 'connection refused by lb.example.com:8404',
    });
    expect(state.pool).toHaveLength(2);
    expect(state.findings.map((f) => f.code)).toEqual(['stale-in-pool']);
  });

  it('does not show internals of an unexpected failure', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const poller = startLbDriftPoller(
      options({
        fetchPool: async () => {
          throw new TypeError('secret internals');
        },
      }),
    );
    expect((await poller.pollNow()).error).toBe("reading the load balancer's stats failed");
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });

  it('compares nothing before the monitor has a snapshot', async () => {
    const poller = startLbDriftPoller(options({ getReplicas: () => null }));
    expect((await poller.pollNow()).findings).toEqual([]);
  });

  it('stops polling when the runtime stops it', async () => {
    const opts = options();
    const poller = startLbDriftPoller(opts);
    await poller.pollNow();
    poller.stop();
    const calls = vi.mocked(opts.fetchPool!).mock.calls.length;
    await settle(250);
    expect(vi.mocked(opts.fetchPool!).mock.calls.length).toBe(calls);
  });
});
