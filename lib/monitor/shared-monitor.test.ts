// Issue #20: several consoles on one Postgres database watching several clusters. Each "instance"
// here is what lib/server/runtime.ts builds for one console process: its own store (pool), one
// PollerSpread, and per cluster a SharedMonitor with its own coordination connection. The locks,
// NOTIFYs and the snapshot rows are a real PostgreSQL server's; only the polling itself is a fake
// SnapshotFeed (a poll is instant, or never ends for a hung cluster), since upstreams are not the
// point. Each fake records who polled what, so "one poller per cluster" is checked on the polls.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { openCoordination, pollerLockId } from '@/lib/store/coordination';
import { openStore, type Store } from '@/lib/store';
import { canRunPostgres, sharedPostgres, stopSharedPostgres } from '@/test/postgres/server';
import { buildSnapshot } from '@/test/support/snapshot';
import { waitFor } from '@/test/support/net';
import type { SnapshotFeed, SnapshotListener } from './feed';
import { PollerSpread, SharedMonitor } from './shared-monitor';

const INTERVAL_MS = 400;
const TIMEOUT_MS = 200;
const CLUSTERS = ['alpha', 'beta', 'gamma'];
/** The documented bound (README, shared-monitor.ts): n half intervals plus one poll. */
const TAKEOVER_BOUND_MS = (CLUSTERS.length * INTERVAL_MS) / 2;
/** Room for the fake poll, the publish and timers on a busy test machine. */
const SLACK_MS = INTERVAL_MS;

interface Poll {
  cluster: string;
  instance: string;
  at: number;
}

const polls: Poll[] = [];

/** A poll loop that polls at once on start and then every interval; a hung one never finishes a poll. */
class FakeFeed implements SnapshotFeed {
  running = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #latest: ClusterSnapshot | null = null;
  #n = 0;

  constructor(
    readonly cluster: string,
    readonly instance: string,
    readonly onSnapshot: SnapshotListener,
    readonly hung: boolean,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.#loop();
  }

  stop(): void {
    this.running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  pollNow(): Promise<ClusterSnapshot> {
    polls.push({ cluster: this.cluster, instance: this.instance, at: Date.now() });
    if (this.hung) return new Promise(() => undefined); // the upstream never answers
    this.#n += 1;
    const snapshot = buildSnapshot({ now: new Date().toISOString() });
    // The first manager's hostname says which cluster, which instance and which poll.
    snapshot.ucp.nodes[0]!.hostname = `${this.cluster}/${this.instance}/${this.#n}`;
    this.#latest = snapshot;
    this.onSnapshot(snapshot);
    return Promise.resolve(snapshot);
  }

  latest(): ClusterSnapshot | null {
    return this.#latest;
  }

  subscribe(): () => void {
    return () => undefined;
  }

  #loop(): void {
    if (!this.running) return;
    void this.pollNow().then(() => {
      if (!this.running) return;
      this.#timer = setTimeout(() => this.#loop(), INTERVAL_MS);
    });
  }
}

interface Instance {
  name: string;
  store: Store;
  monitors: Map<string, SharedMonitor>;
  feeds: Map<string, FakeFeed[]>;
  log: string[];
  /** Cuts it off: its coordination backends are terminated and it cannot reconnect. */
  kill(): Promise<number>;
  close(): Promise<void>;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  polls.length = 0;
});
afterAll(stopSharedPostgres, 30_000);

async function admin<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function startInstance(
  name: string,
  url: string,
  { hung = [] as string[] } = {},
): Promise<Instance> {
  const store = await openStore(url);
  const spread = new PollerSpread();
  const monitors = new Map<string, SharedMonitor>();
  const feeds = new Map<string, FakeFeed[]>();
  const log: string[] = [];
  // Each coordination connection also takes a lock of its own, named after the instance, so the
  // test finds this instance's backends in pg_locks to terminate them.
  const tags: number[] = [];
  let cut = false;
  for (const cluster of CLUSTERS) {
    const monitor = new SharedMonitor({
      cluster,
      instance: name,
      snapshots: store.forCluster(cluster).snapshots,
      connect: async () => {
        if (cut) throw new Error(`${name} is cut off from the database`);
        const connection = await openCoordination(url);
        const tag = `test-instance ${name} ${tags.length}`;
        tags.push(pollerLockId(tag) >>> 0);
        if (cut || !(await connection.tryLock(tag))) {
          await connection.close();
          throw new Error(`${name} is cut off from the database`);
        }
        return connection;
      },
      createMonitor: (onSnapshot) => {
        const feed = new FakeFeed(cluster, name, onSnapshot, hung.includes(cluster));
        feeds.set(cluster, [...(feeds.get(cluster) ?? []), feed]);
        return feed;
      },
      intervalMs: INTERVAL_MS,
      timeoutMs: TIMEOUT_MS,
      spread,
      log: (line) => log.push(line),
    });
    monitors.set(cluster, monitor);
  }
  let closed: Promise<void> | null = null;
  const instance: Instance = {
    name,
    store,
    monitors,
    feeds,
    log,
    async kill() {
      cut = true;
      const killed = await admin<{ pid: number }>(
        url,
        `select pg_terminate_backend(pid) as pid from pg_locks
          where locktype = 'advisory' and objsubid = 2 and objid::bigint = any($1::bigint[])`,
        [tags],
      );
      return killed.length;
    },
    close() {
      closed ??= (async () => {
        await Promise.all([...monitors.values()].map((m) => m.close()));
        await store.close();
      })();
      return closed;
    },
  };
  cleanups.push(() => instance.close());
  return instance;
}

function start(...instances: Instance[]): void {
  for (const instance of instances)
    for (const monitor of instance.monitors.values()) monitor.start();
}

function pollersOf(cluster: string, instances: Instance[]): string[] {
  return instances
    .filter((i) => i.monitors.get(cluster)!.role().role === 'poller')
    .map((i) => i.name);
}

function polled(instance: Instance): string[] {
  return CLUSTERS.filter((c) => instance.monitors.get(c)!.role().role === 'poller');
}

/** Who polls each cluster, e.g. "alpha: A, beta: B, gamma: (none)". */
function describePollers(instances: Instance[]): string {
  return CLUSTERS.map((c) => `${c}: ${pollersOf(c, instances).join('+') || '(none)'}`).join(', ');
}

function marker(snapshot: ClusterSnapshot | null): string | undefined {
  return snapshot?.ucp.nodes[0]?.hostname;
}

/** Waits until every cluster has exactly one poller among `instances`. */
async function settled(instances: Instance[], timeoutMs = 5_000): Promise<void> {
  await waitFor(
    () => `one poller per cluster (${describePollers(instances)})`,
    async () => (CLUSTERS.every((c) => pollersOf(c, instances).length === 1) ? true : null),
    timeoutMs,
    20,
  );
}

const postgres = canRunPostgres();

describe.skipIf(!postgres)('several consoles polling several clusters on Postgres', () => {
  it('polls each cluster from one instance, spreads them, and serves every cluster everywhere', async () => {
    const url = await (await sharedPostgres()).createDatabase('spread');
    const a = await startInstance('A', url);
    const b = await startInstance('B', url);
    // A is up first: without the spread it would take every cluster before B's first attempt.
    start(a);
    await sleep(INTERVAL_MS / 4);
    start(b);
    await settled([a, b]);

    // Watch six intervals: exactly one poller per cluster the whole time, by role and by polls.
    const from = Date.now();
    while (Date.now() - from < 6 * INTERVAL_MS) {
      for (const cluster of CLUSTERS) {
        expect(pollersOf(cluster, [a, b]), cluster).toHaveLength(1);
        const running = [a, b].flatMap((i) => i.feeds.get(cluster)!.filter((f) => f.running));
        expect(running, `${cluster}'s running poll loops`).toHaveLength(1);
      }
      await sleep(25);
    }
    for (const cluster of CLUSTERS) {
      const who = new Set(
        polls.filter((p) => p.cluster === cluster && p.at >= from).map((p) => p.instance),
      );
      expect([...who], `instances that polled ${cluster}`).toEqual(pollersOf(cluster, [a, b]));
      // Polled about once per interval, not once per instance per interval.
      const count = polls.filter((p) => p.cluster === cluster && p.at >= from).length;
      expect(count).toBeGreaterThanOrEqual(4);
      expect(count).toBeLessThanOrEqual(8);
    }

    // Spread: both instances poll, neither takes every cluster.
    expect(polled(a).length, describePollers([a, b])).toBeGreaterThanOrEqual(1);
    expect(polled(b).length, describePollers([a, b])).toBeGreaterThanOrEqual(1);

    // Every instance serves every cluster's latest snapshot: the standby the poller's.
    for (const cluster of CLUSTERS) {
      const [poller] = pollersOf(cluster, [a, b]);
      for (const instance of [a, b]) {
        await waitFor(
          `${instance.name} to serve ${cluster}'s latest snapshot`,
          async () => {
            const served = instance.monitors.get(cluster)!.latest();
            return marker(served)?.startsWith(`${cluster}/${poller}/`) &&
              Date.now() - Date.parse(served!.generatedAt) < 2 * INTERVAL_MS
              ? true
              : null;
          },
          3 * INTERVAL_MS,
          20,
        );
        expect(instance.monitors.get(cluster)!.role()).toMatchObject({
          instance: instance.name,
          poller,
          role: poller === instance.name ? 'poller' : 'standby',
        });
      }
    }
  });

  it('polls every cluster from a lone instance, one more each half interval', async () => {
    const url = await (await sharedPostgres()).createDatabase('lone');
    const a = await startInstance('A', url);
    const started = Date.now();
    start(a);
    await settled([a], TAKEOVER_BOUND_MS + SLACK_MS);
    const firstPolls = CLUSTERS.map((c) => polls.find((p) => p.cluster === c)!.at - started).sort(
      (x, y) => x - y,
    );
    // The first at once; the k-th after k half intervals (it skips k - 1 attempts while polling k - 1).
    expect(firstPolls[0]).toBeLessThan(SLACK_MS);
    expect(firstPolls[1]).toBeGreaterThanOrEqual(INTERVAL_MS / 2 - 50);
    expect(firstPolls[2]).toBeGreaterThanOrEqual(INTERVAL_MS - 50);
    expect(firstPolls[2]).toBeLessThan(TAKEOVER_BOUND_MS + SLACK_MS);
  });

  it('moves a dead instance’s clusters to the other within n half intervals', async () => {
    const url = await (await sharedPostgres()).createDatabase('takeover');
    const a = await startInstance('A', url);
    const b = await startInstance('B', url);
    start(a, b);
    await settled([a, b]);
    await sleep(2 * INTERVAL_MS);
    const [victim, survivor] = polled(a).length >= polled(b).length ? [a, b] : [b, a];
    const freed = polled(victim);
    expect(freed.length).toBeGreaterThanOrEqual(1);

    const killedAt = Date.now();
    expect(await victim.kill()).toBe(CLUSTERS.length);
    const took = await Promise.all(
      freed.map((cluster) =>
        waitFor(
          () => `${survivor.name} to poll ${cluster} (${describePollers([a, b])})`,
          async () => {
            const served = survivor.monitors.get(cluster)!.latest();
            return survivor.monitors.get(cluster)!.role().role === 'poller' &&
              marker(served)?.startsWith(`${cluster}/${survivor.name}/`)
              ? Date.now() - killedAt
              : null;
          },
          5_000,
          10,
        ),
      ),
    );
    console.log(
      `takeover of ${freed.join(', ')} by ${survivor.name}: first snapshot served after ${took.join(', ')} ms (bound ${TAKEOVER_BOUND_MS} ms plus one poll, interval ${INTERVAL_MS} ms)`,
    );
    for (const ms of took) expect(ms).toBeLessThan(TAKEOVER_BOUND_MS + SLACK_MS);

    // The survivor polls everything; the cut-off instance stopped its poll loops.
    expect(polled(survivor)).toEqual(CLUSTERS);
    await waitFor(
      `${victim.name} to notice it lost its connections`,
      async () => (polled(victim).length === 0 ? true : null),
      2_000,
      20,
    );
    for (const cluster of freed)
      expect(victim.feeds.get(cluster)!.some((f) => f.running)).toBe(false);
    expect(victim.log.join('\n')).toMatch(
      /stopped polling of cluster \w+ \(lost its database connection\)/,
    );
  });

  it('keeps every other cluster fresh on both instances while one cluster’s poll hangs', async () => {
    const url = await (await sharedPostgres()).createDatabase('hung');
    const a = await startInstance('A', url, { hung: ['beta'] });
    const b = await startInstance('B', url, { hung: ['beta'] });
    start(a, b);
    await settled([a, b]);
    await sleep(INTERVAL_MS);
    // beta's poller is stuck in its first poll for good; alpha and gamma go on, on both instances.
    const from = Date.now();
    const seen = new Map<string, Set<string>>();
    while (Date.now() - from < 6 * INTERVAL_MS) {
      for (const instance of [a, b])
        for (const cluster of ['alpha', 'gamma']) {
          const served = instance.monitors.get(cluster)!.latest();
          expect(served, `${instance.name} serving ${cluster}`).not.toBeNull();
          const age = Date.now() - Date.parse(served!.generatedAt);
          expect(age, `age of ${cluster}'s snapshot on ${instance.name}`).toBeLessThan(
            2 * INTERVAL_MS + SLACK_MS,
          );
          const key = `${instance.name} ${cluster}`;
          seen.set(key, (seen.get(key) ?? new Set()).add(served!.generatedAt));
        }
      expect(pollersOf('beta', [a, b])).toHaveLength(1);
      await sleep(25);
    }
    // Several fresh snapshots of each, on each instance; none of beta anywhere.
    for (const [key, times] of seen) expect(times.size, key).toBeGreaterThanOrEqual(4);
    for (const instance of [a, b]) expect(instance.monitors.get('beta')!.latest()).toBeNull();
    expect(polls.filter((p) => p.cluster === 'beta')).toHaveLength(1);
  });
});

describe('PollerSpread', () => {
  it('lets the next attempt go after the wait when one never finishes', async () => {
    const spread = new PollerSpread();
    const order: string[] = [];
    void spread.turn(() => new Promise<boolean>(() => order.push('hung')), 100);
    const started = Date.now();
    await spread.turn(async () => order.push('next'), 100);
    expect(order).toEqual(['hung', 'next']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('counts each polling monitor once', () => {
    const spread = new PollerSpread();
    const one = {};
    spread.polls(one);
    spread.polls(one);
    spread.polls({});
    expect(spread.patience()).toBe(2);
    spread.stopped(one);
    expect(spread.patience()).toBe(1);
  });
});
