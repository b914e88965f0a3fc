import { afterEach, describe, expect, it, vi } from 'vitest';
import { Monitor } from '@/lib/monitor/monitor';
import { startFakeCluster } from '@/test/support/monitor-cluster';
import { sendJson } from '@/test/support/test-server';
import { buildSnapshot, MINUTE, SECOND, TEST_NOW, testReplicaId } from '@/test/support/snapshot';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { openStore, type Store } from '@/lib/store';
import { tempDatabase } from '@/test/support/store';
import { attachHistory, type HistoryHook } from './history';

const NOW = Date.parse(TEST_NOW);
const at = (ms: number) => new Date(NOW + ms).toISOString();
const DOWN = testReplicaId(1);

/** Stands in for the Monitor: `publish` is a poll whose content changed. */
function fakeMonitor(first: ClusterSnapshot | null = null) {
  const listeners = new Set<(s: ClusterSnapshot) => void>();
  let latest = first;
  return {
    subscribe(listener: (s: ClusterSnapshot) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    latest: () => latest,
    publish(snapshot: ClusterSnapshot) {
      latest = snapshot;
      for (const l of listeners) l(snapshot);
    },
    /** A poll with nothing new but timestamps and latencies. */
    tick(snapshot: ClusterSnapshot) {
      latest = snapshot;
    },
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function temp() {
  const t = tempDatabase();
  cleanups.push(() => t.remove());
  const open = async () => {
    const store = await openStore(t.url);
    cleanups.push(() => store.close());
    return store;
  };
  return { open };
}

async function attach(monitor: ReturnType<typeof fakeMonitor>, store: Store, log = vi.fn()) {
  const hook = await attachHistory(monitor, store, {
    sampleEveryMs: 20,
    clock: () => new Date(NOW),
    log,
  });
  cleanups.push(() => hook.stop());
  return hook;
}

const healthy = (ms: number) => buildSnapshot({ now: at(ms) });
const oneDown = (ms: number, since: string) =>
  buildSnapshot({
    now: at(ms),
    replicas: ['healthy', { status: 'unreachable', since }, 'healthy'],
  });

describe('attachHistory', () => {
  it('records changes as events and samples the latest snapshot at its cadence', async () => {
    const { open } = await temp();
    const store = await open();
    const monitor = fakeMonitor();
    const hook = await attach(monitor, store);

    monitor.publish(healthy(0));
    monitor.publish(oneDown(10 * SECOND, at(8 * SECOND)));
    for (let i = 2; i <= 5; i += 1) {
      monitor.tick(oneDown(i * 10 * SECOND, at(8 * SECOND)));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await hook.flush();

    const data = await store.history.query({
      from: NOW,
      to: NOW + MINUTE,
      series: ['events', 'healthy'],
      resolutionMs: 0,
    });
    expect(data.events.filter((e) => e.kind === 'replica' && e.from !== null)).toEqual([
      {
        at: at(8 * SECOND),
        kind: 'replica',
        subject: DOWN,
        from: 'healthy',
        to: 'unreachable',
        detail: { node: 'dtr-2', error: 'connect ECONNREFUSED' },
      },
    ]);
    expect(data.outages).toMatchObject([{ subject: DOWN, start: at(8 * SECOND), end: null }]);
    // The first snapshot is sampled at once; later ones once per tick, never twice.
    const times = data.samples.map((s) => s.at - NOW);
    expect(times[0]).toBe(0);
    expect(new Set(times).size).toBe(times.length);
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect(data.samples.at(-1)?.dtrHealthy).toBe(2);
  });

  it('keeps the lowest value of a change that came and went between two samples', async () => {
    const { open } = await temp();
    const store = await open();
    const monitor = fakeMonitor(healthy(0));
    const hook = await attach(monitor, store);
    monitor.publish(oneDown(2 * SECOND, at(2 * SECOND)));
    monitor.publish(healthy(4 * SECOND));
    await new Promise((resolve) => setTimeout(resolve, 40));
    await hook.flush();
    const data = await store.history.query({
      from: NOW,
      to: NOW + MINUTE,
      series: ['healthy'],
      resolutionMs: MINUTE,
    });
    expect(data.samples).toMatchObject([{ dtrHealthy: 3, dtrHealthyMin: 2 }]);
  });

  it('keeps "offline since" across a console restart', async () => {
    const { open } = await temp();
    const before = await open();
    const first = fakeMonitor();
    const hook = await attach(first, before);
    first.publish(healthy(0));
    first.publish(oneDown(MINUTE, at(MINUTE - 2 * SECOND)));
    await hook.flush();
    hook.stop();
    await before.close();

    // The restarted monitor first sees the replica at its own first poll, 30 minutes later.
    const after = await open();
    const restartedAt = at(31 * MINUTE);
    const second = fakeMonitor(oneDown(31 * MINUTE, restartedAt));
    const restarted = await attach(second, after);
    const snapshot = second.latest();
    if (!snapshot) throw new Error('no snapshot');

    const restored = restarted.restoreSince(snapshot);
    expect(restored.dtr.replicas.find((r) => r.id === DOWN)?.since).toBe(at(MINUTE - 2 * SECOND));
    // Healthy replicas keep their healthy-since from before the restart too.
    expect(restored.dtr.replicas[0]?.since).toBe(
      new Date(NOW - 7 * 24 * 60 * MINUTE).toISOString(),
    );
    expect(snapshot.dtr.replicas.find((r) => r.id === DOWN)?.since).toBe(restartedAt);
    await restarted.flush();
    expect(await after.history.offlineSince(DOWN)).toBe(at(MINUTE - 2 * SECOND));

    // Once it recovers, the monitor's own since is the truth again.
    second.publish(healthy(40 * MINUTE));
    const recovered = second.latest()!;
    const sinceOf = (s: ClusterSnapshot) => s.dtr.replicas.find((r) => r.id === DOWN)?.since;
    expect(sinceOf(restarted.restoreSince(recovered))).toBe(sinceOf(recovered));
    await restarted.flush();
    expect(await after.history.offlineSince(DOWN)).toBeNull();
  });

  it('never lets a failing database reach the poll loop, and logs each failure once', async () => {
    const { open } = await temp();
    const store = await open();
    const broken: Store = {
      ...store,
      history: {
        ...store.history,
        recordEvents: vi.fn().mockRejectedValue(new Error('SQLITE_FULL: database or disk is full')),
      },
    };
    const log = vi.fn();
    const monitor = fakeMonitor();
    const hook = await attach(monitor, broken, log);
    expect(() => {
      monitor.publish(healthy(0));
      monitor.publish(oneDown(MINUTE, at(MINUTE)));
      monitor.publish(healthy(2 * MINUTE));
    }).not.toThrow();
    await hook.flush();
    const failures = log.mock.calls.filter(([line]) =>
      String(line).includes('could not write events'),
    );
    expect(failures).toEqual([
      [
        'history: could not write events: SQLITE_FULL: database or disk is full (logged once until it works again)',
      ],
    ]);

    vi.mocked(broken.history.recordEvents).mockResolvedValue(undefined);
    monitor.publish(oneDown(3 * MINUTE, at(3 * MINUTE)));
    await hook.flush();
    expect(log).toHaveBeenLastCalledWith('history: writing events again');
  });

  it('runs retention when attached and then on its own cadence', async () => {
    const { open } = await temp();
    const store = await open();
    const applyRetention = vi.spyOn(store.history, 'applyRetention');
    const hook: HistoryHook = await attachHistory(fakeMonitor(), store, {
      retentionEveryMs: 20,
      clock: () => new Date(NOW),
    });
    cleanups.push(() => hook.stop());
    await vi.waitFor(() => expect(applyRetention.mock.calls.length).toBeGreaterThanOrEqual(3));
    expect(applyRetention).toHaveBeenCalledWith(NOW);
  });
});

describe('with the real monitor', () => {
  it('a replica stopped before a console restart still shows offline since the original time', async () => {
    const cluster = await startFakeCluster(600);
    cleanups.push(() => cluster.close());
    const { open } = await temp();
    let nowMs = NOW;
    const console1 = () =>
      new Monitor({
        target: cluster.target,
        mode: 'live',
        clock: () => new Date(nowMs),
        log: () => undefined,
      });
    const STOPPED = '5eb9459a7832';

    const first = console1();
    const store1 = await open();
    const hook1 = await attachHistory(first, store1, { clock: () => new Date(nowMs) });
    await first.pollNow();
    cluster.setReplica(STOPPED, (_req, res) =>
      sendJson(res, 503, { Error: 'registry: storage unreachable', Healthy: false }),
    );
    nowMs = NOW + 2 * SECOND;
    const down = await first.pollNow();
    expect(down.dtr.replicas.find((r) => r.id === STOPPED)?.since).toBe(at(2 * SECOND));
    await hook1.flush();
    hook1.stop();
    await store1.close();

    // Ten minutes later a new console process starts: a new monitor with no memory.
    nowMs = NOW + 10 * MINUTE;
    const second = console1();
    const store2 = await open();
    const hook2 = await attachHistory(second, store2, { clock: () => new Date(nowMs) });
    cleanups.push(() => hook2.stop());
    const fresh = await second.pollNow();
    expect(fresh.dtr.replicas.find((r) => r.id === STOPPED)?.since).toBe(at(10 * MINUTE));
    const shown = hook2.restoreSince(fresh);
    expect(shown.dtr.replicas.find((r) => r.id === STOPPED)).toMatchObject({
      status: 'unhealthy',
      since: at(2 * SECOND),
    });
  });
});
