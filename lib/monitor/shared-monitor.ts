// Several console instances behind a load balancer, one Postgres database: exactly one polls each
// cluster — the holder of that cluster's poller advisory lock — and publishes each snapshot to the
// database; the others (standby) serve that snapshot, told of each new one by NOTIFY and reading it
// again every half interval in case a notification was missed. A standby tries the lock every half
// interval, so when the poller dies (its connection closes and Postgres releases the lock) another
// instance polls within half an interval plus one poll. A poller that loses its database
// connection stops polling at once: another instance may already hold the lock.
//
// With several clusters (one SharedMonitor per cluster, sharing a PollerSpread), an instance that
// already polls k clusters tries a free lock only every (k + 1)-th half interval, so a free lock
// goes to the least busy instance first and the clusters spread across the instances. The first
// cluster an idle instance takes (and any on a one-cluster console) keeps the half-interval bound;
// a busy instance is slower to take over: with n clusters a freed cluster is polled again within
// n half intervals plus one poll. A lone instance takes one more cluster each half interval after
// start-up.
//
// Rebalancing (an instance started after the others took every lock, e.g. after a rolling
// restart): once an interval one of an instance's pollers counts, from Postgres, the poller locks
// each live instance holds (CoordinationConnection.pollerCounts). An instance polling k >= 2
// clusters while the least busy live instance polls m <= k - 2 gives ONE cluster up: that poller
// steps down (logging why), closes its coordination connection so Postgres releases the lock, and
// serves the shared snapshot as a standby. Bounds, h being half an interval:
// - the least busy instance tries the freed lock within (m + 1) h, at most (k - 1) h; the giving
//   instance, now polling k - 1, skips k - 1 attempts and tries at k h after the give-up at the
//   earliest (its next round starts a full h after the lock is released), so it does not retake
//   the cluster unless the least busy instance failed to. Either way the cluster is polled again
//   within (m + 1) h plus one poll, never later than k h plus one poll (the takeover bound above);
// - at most one give-up per instance every max(3 intervals, k h + 1 interval), so the counts show
//   the move before the next one (twice as long, up to 16 times, each time a cluster given up
//   came back because the less busy instance, alive in Postgres, took no lock: a frozen process);
//   never the last cluster an instance polls;
// - a difference of 1 never moves a cluster (it would only move the imbalance), so the clusters do
//   not flap: every move lowers the sum of the squared counts. With g give-ups needed, the
//   instances are balanced within about one interval (the first count), g - 1 waits between
//   give-ups and the last taker's (m + 1) h: 4/0 becomes 2/2 within 5 intervals.
import 'server-only';
import { hostname } from 'node:os';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { samePrint, snapshotFingerprint, type SnapshotPrint } from './tracking';
import type { CoordinationConnection } from '@/lib/store/coordination';
import type { SnapshotRepository } from '@/lib/store';
import type { InstanceRole, SnapshotFeed, SnapshotListener } from './feed';

export interface SharedMonitorOptions {
  /** The cluster polled: whose advisory lock is taken and whose NOTIFYs are heard. Default "default". */
  cluster?: string;
  snapshots: SnapshotRepository;
  /**
   * Opens this instance's coordination connection for this cluster (lock + LISTEN), carrying
   * `instance` (this monitor's) so other instances count its locks as this instance's.
   */
  connect: (instance: string) => Promise<CoordinationConnection>;
  /** The local poll loop, built with `onSnapshot` called after every one of its polls. */
  createMonitor: (onSnapshot: SnapshotListener) => SnapshotFeed;
  intervalMs: number;
  timeoutMs: number;
  /** Default host:pid. */
  instance?: string;
  /** Called on becoming the poller, before the first poll (history attaches here). */
  onLead?: (monitor: SnapshotFeed) => Promise<void> | void;
  /** Called on ceasing to be the poller. */
  onStepDown?: () => void;
  /** What the poller publishes (e.g. with persisted "offline since" restored). */
  prepare?: (snapshot: ClusterSnapshot) => ClusterSnapshot;
  log?: (line: string) => void;
  clock?: () => Date;
  /**
   * Shared by this instance's monitors of its other clusters (one per instance): how many
   * clusters it polls already, which makes its standbys patient. None: try every half interval.
   */
  spread?: PollerSpread;
}

/**
 * One console instance's share of the polling, across its clusters' SharedMonitors. A standby
 * skips as many of its lock attempts (one every half interval) as the clusters this instance
 * polls already: an idle instance tries every half interval, one polling k clusters every
 * (k + 1)-th, so a free lock goes first to the least busy instance. Attempts take turns, each
 * counted before the next reads the count: otherwise every cluster's first attempt, made at the
 * same moment on start-up, would see 0 and the first instance up would take every cluster.
 */
export class PollerSpread {
  readonly #polling = new Set<object>();
  #last: Promise<void> = Promise.resolve();
  /** When this instance may next count the pollers (see `countDue`). */
  #nextCount = 0;
  /** The wait after the last give-up, and how many times over it counts (see `unclaimed`). */
  #wait = 0;
  #backoff = 1;

  /** The clusters this instance polls: the lock attempts its standbys skip between two. */
  patience(): number {
    return this.#polling.size;
  }

  /**
   * Runs `attempt` once the previous attempt has finished, or after `waitMs` if it hangs (a
   * database connection that stopped answering must not hold up the other clusters).
   */
  turn<T>(attempt: () => Promise<T>, waitMs: number): Promise<T> {
    const previous = this.#last;
    const run = (async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        previous,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, waitMs);
          timer.unref?.();
        }),
      ]);
      clearTimeout(timer);
      return attempt();
    })();
    this.#last = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** `monitor` now polls its cluster (counted once however often it is said). */
  polls(monitor: object): void {
    this.#polling.add(monitor);
  }

  /** `monitor` no longer polls its cluster. */
  stopped(monitor: object): void {
    this.#polling.delete(monitor);
  }

  /**
   * Whether one of this instance's pollers should count the pollers now, claiming the count if
   * so: at most one count per `intervalMs` across the instance's clusters, none before the wait
   * after a give-up is over.
   */
  countDue(now: number, intervalMs: number): boolean {
    if (now < this.#nextCount) return false;
    this.#nextCount = now + intervalMs;
    return true;
  }

  /** A cluster was given up at `now`: the next count (and so the next give-up) waits `waitMs`. */
  gaveUp(now: number, waitMs: number): void {
    this.#wait = waitMs;
    this.#nextCount = now + waitMs * this.#backoff;
  }

  /**
   * A cluster this instance gave up came back to it with no other instance polling it meanwhile
   * (the less busy one is alive in Postgres but does not take locks, e.g. a frozen process): the
   * wait before the next give-up doubles, up to 16 times, counted from `now`.
   */
  unclaimed(now: number): void {
    this.#backoff = Math.min(this.#backoff * 2, 16);
    this.#nextCount = Math.max(this.#nextCount, now + this.#wait * this.#backoff);
  }

  /** Another instance polled a cluster this one gave up: back to the plain wait. */
  claimed(): void {
    this.#backoff = 1;
  }
}

/**
 * The instance to leave a cluster to, when `me` polls at least 2 clusters and at least 2 more
 * than the least busy live instance in `counts` (clusters polled per instance, from
 * `pollerCounts`); null otherwise, and when `me` is not among them (nothing known about itself).
 * Of several least busy instances, the first by name (the log line names one).
 */
export function lessBusyInstance(
  counts: ReadonlyMap<string, number>,
  me: string,
): { instance: string; polling: number } | null {
  const mine = counts.get(me);
  if (mine === undefined || mine < 2) return null;
  let least: { instance: string; polling: number } | null = null;
  for (const [instance, polling] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (instance !== me && (least === null || polling < least.polling))
      least = { instance, polling };
  return least && mine - least.polling >= 2 ? least : null;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

function parseSnapshot(json: string): ClusterSnapshot | null {
  try {
    const value = JSON.parse(json) as Partial<ClusterSnapshot> | null;
    return value && typeof value.generatedAt === 'string' && value.dtr && value.ucp
      ? (value as ClusterSnapshot)
      : null;
  } catch {
    return null;
  }
}

export class SharedMonitor implements SnapshotFeed {
  readonly #options: SharedMonitorOptions;
  readonly #cluster: string;
  readonly #instance: string;
  readonly #log: (line: string) => void;
  readonly #clock: () => Date;
  readonly #local: SnapshotFeed;
  readonly #listeners = new Set<SnapshotListener>();
  #role: 'poller' | 'standby' = 'standby';
  #roleSince: string | null = null;
  #running = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #ticking: Promise<void> | null = null;
  #conn: CoordinationConnection | null = null;
  #connecting: Promise<CoordinationConnection> | null = null;
  #problem: string | null = null;
  /** Lock attempts skipped since the last one (see PollerSpread). */
  #skipped = 0;
  /** The next round waits a full half interval from the end of this one (after a give-up). */
  #waitFull = false;
  /** Counting the pollers failed, logged once until it works again. */
  #countFailed = false;
  /** This monitor gave its cluster up and no other instance has published a snapshot since. */
  #gaveUp = false;

  #localLatest: ClusterSnapshot | null = null;
  #shared: ClusterSnapshot | null = null;
  #sharedFrom: string | null = null;
  #emitted: SnapshotPrint | null = null;
  #arrived: (() => void)[] = [];

  #refreshing: Promise<void> | null = null;
  #refreshAgain = false;
  #pending: ClusterSnapshot | null = null;
  #publishing: Promise<void> | null = null;

  constructor(options: SharedMonitorOptions) {
    this.#options = options;
    this.#cluster = options.cluster ?? 'default';
    this.#instance = options.instance ?? `${hostname()}:${process.pid}`;
    this.#log = options.log ?? ((line) => console.warn(line));
    this.#clock = options.clock ?? (() => new Date());
    this.#local = options.createMonitor((snapshot) => this.#onLocalSnapshot(snapshot));
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule(0);
  }

  stop(): void {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#role === 'poller') this.#stepDown('stopping');
    const conn = this.#conn;
    this.#conn = null;
    void conn?.close();
  }

  /** Stops and waits for the connection to close (tests, shutdown). */
  async close(): Promise<void> {
    const conn = this.#conn;
    this.stop();
    await this.#ticking?.catch(() => undefined);
    await this.#publishing;
    await conn?.close();
  }

  role(): InstanceRole {
    return {
      role: this.#role,
      instance: this.#instance,
      poller: this.#role === 'poller' ? this.#instance : this.#sharedFrom,
      since: this.#roleSince,
    };
  }

  latest(): ClusterSnapshot | null {
    return (this.#role === 'poller' ? this.#localLatest : null) ?? this.#shared;
  }

  async pollNow(): Promise<ClusterSnapshot> {
    if (this.#role === 'poller') return this.#local.pollNow();
    await this.#refresh().catch(() => undefined);
    const now = this.latest();
    if (now) return now;
    // A standby that has never seen a snapshot: wait for the poller's first one.
    const waitMs = this.#options.intervalMs * 2 + this.#options.timeoutMs;
    return new Promise<ClusterSnapshot>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#arrived = this.#arrived.filter((f) => f !== arrived);
        reject(new Error(`no console instance has published a snapshot within ${waitMs} ms`));
      }, waitMs);
      const arrived = () => {
        clearTimeout(timer);
        const latest = this.latest();
        if (latest) resolve(latest);
      };
      this.#arrived.push(arrived);
    });
  }

  subscribe(listener: SnapshotListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  // -------------------------------------------------------------------------

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const started = Date.now();
      this.#ticking = this.#tick().finally(() => {
        this.#ticking = null;
        const elapsed = this.#waitFull ? 0 : Date.now() - started;
        this.#waitFull = false;
        // From the start of the last round, whatever it cost: the poller checks its connection
        // every interval; a standby reads the shared snapshot every half interval and tries the
        // lock then too (or every (k + 1)-th time while this instance polls k other clusters), so
        // a takeover starts at most half an interval (k + 1 halves) after the poller's death.
        const every =
          this.#role === 'poller' ? this.#options.intervalMs : this.#options.intervalMs / 2;
        this.#schedule(Math.max(0, every - elapsed));
      });
    }, delayMs);
    this.#timer.unref?.();
  }

  async #tick(): Promise<void> {
    try {
      const conn = await this.#connection();
      if (this.#role === 'poller') {
        await conn.check(Math.max(this.#options.timeoutMs, 1000));
        await this.#rebalance(conn);
      } else if (await this.#tryLead(conn)) {
        await this.#lead();
      } else {
        await this.#refresh();
      }
      this.#recovered();
    } catch (error) {
      this.#trouble(`database coordination failed: ${errorText(error)}`);
      const conn = this.#conn;
      this.#conn = null;
      if (this.#role === 'poller') this.#stepDown('lost its database connection');
      void conn?.close();
      // A standby keeps serving what it has; the pool may still read even if LISTEN is gone.
      await this.#refresh().catch(() => undefined);
    }
  }

  async #connection(): Promise<CoordinationConnection> {
    if (this.#conn) return this.#conn;
    this.#connecting ??= this.#options.connect(this.#instance).finally(() => {
      this.#connecting = null;
    });
    const conn = await this.#connecting;
    if (!this.#running) {
      void conn.close();
      throw new Error('stopped');
    }
    this.#conn = conn;
    conn.onSnapshot((_, cluster) => {
      if (cluster === this.#cluster) void this.#refresh().catch(() => undefined);
    });
    void conn.lost.then((error) => {
      if (this.#conn !== conn) return;
      this.#conn = null;
      this.#trouble(`database coordination connection lost: ${error.message}`);
      if (this.#role === 'poller') this.#stepDown('lost its database connection');
    });
    return conn;
  }

  /** Takes the lock if it is free and this attempt is not one to skip (see PollerSpread). */
  #tryLead(conn: CoordinationConnection): Promise<boolean> {
    const spread = this.#options.spread;
    const attempt = async () => {
      if (spread && this.#skipped < spread.patience()) {
        this.#skipped += 1;
        return false;
      }
      this.#skipped = 0;
      const locked = await conn.tryLock(this.#cluster);
      if (locked) spread?.polls(this); // counted before the next cluster's attempt reads it
      return locked;
    };
    return spread ? spread.turn(attempt, Math.max(this.#options.timeoutMs, 1000)) : attempt();
  }

  /**
   * Gives this cluster up when this instance polls at least 2 more clusters than the least busy
   * live instance (see the top of this file for the rule and its bounds); at most one count per
   * interval across the instance's clusters, and never its last cluster.
   */
  async #rebalance(conn: CoordinationConnection): Promise<void> {
    const spread = this.#options.spread;
    if (!spread || spread.patience() < 2) return;
    if (!spread.countDue(Date.now(), this.#options.intervalMs)) return;
    let counts: Map<string, number>;
    try {
      counts = await conn.pollerCounts(Math.max(this.#options.timeoutMs, 1000));
    } catch (error) {
      // Not a reason to stop polling: the next count is an interval away.
      if (!this.#countFailed)
        this.#log(
          `console HA: could not count the polling instances: ${errorText(error)} (logged once until it works again)`,
        );
      this.#countFailed = true;
      return;
    }
    this.#countFailed = false;
    const mine = counts.get(conn.instance) ?? 0;
    const least = lessBusyInstance(counts, conn.instance);
    // Checked again after the query: a cluster may have been lost or given up meanwhile.
    if (!least || spread.patience() < 2 || this.#role !== 'poller' || this.#conn !== conn) return;
    const halfMs = this.#options.intervalMs / 2;
    spread.gaveUp(Date.now(), Math.max(3 * this.#options.intervalMs, (mine + 2) * halfMs));
    // The standby serves this instance's own latest snapshot until the next poller's arrives.
    if (this.#localLatest) {
      this.#shared = this.#localLatest;
      this.#sharedFrom = this.#instance;
    }
    this.#conn = null;
    this.#stepDown(
      `it polls ${mine} clusters and ${least.instance} only ${least.polling}: leaving this one to the less busy instance`,
    );
    // Patience: k - 1 attempts skipped from a round starting a full half interval after the lock
    // is gone, so the less busy instance, trying within (m + 1) half intervals, goes first.
    this.#skipped = 0;
    this.#waitFull = true;
    this.#gaveUp = true;
    await conn.close();
  }

  async #lead(): Promise<void> {
    const from = this.#sharedFrom;
    this.#options.spread?.polls(this);
    if (this.#gaveUp) {
      this.#gaveUp = false;
      this.#options.spread?.unclaimed(Date.now());
      this.#log(
        `console HA: no other instance took ${this.#cluster === 'default' ? 'the cluster' : `cluster ${this.#cluster}`} after ${this.#instance} gave it up; ${this.#instance} polls it again and waits longer before the next give-up`,
      );
    }
    this.#role = 'poller';
    this.#roleSince = this.#clock().toISOString();
    this.#log(
      `console HA: ${this.#instance} is now the polling instance${this.#of}${from && from !== this.#instance ? ` (taking over from ${from})` : ''}`,
    );
    try {
      await this.#options.onLead?.(this.#local);
    } catch (error) {
      this.#log(`console HA: preparing to poll failed: ${errorText(error)}`);
    }
    if (this.#role === 'poller' && this.#running) this.#local.start();
  }

  #stepDown(why: string): void {
    this.#local.stop();
    this.#options.spread?.stopped(this);
    this.#role = 'standby';
    this.#roleSince = this.#clock().toISOString();
    this.#localLatest = null;
    this.#log(
      `console HA: ${this.#instance} stopped polling${this.#of} (${why}); serving the shared snapshot`,
    );
    try {
      this.#options.onStepDown?.();
    } catch (error) {
      this.#log(`console HA: stepping down failed: ${errorText(error)}`);
    }
  }

  /** " of cluster prod" in log lines, nothing for the default cluster (a one-cluster console). */
  get #of(): string {
    return this.#cluster === 'default' ? '' : ` of cluster ${this.#cluster}`;
  }

  #onLocalSnapshot(raw: ClusterSnapshot): void {
    if (this.#role !== 'poller') return; // a poll that finished after stepping down
    const snapshot = this.#options.prepare?.(raw) ?? raw;
    this.#localLatest = snapshot;
    this.#emitIfChanged(snapshot);
    this.#publish(snapshot);
  }

  #publish(snapshot: ClusterSnapshot): void {
    this.#pending = snapshot; // only the newest waiting snapshot is worth writing
    this.#publishing ??= (async () => {
      while (this.#pending) {
        const next = this.#pending;
        this.#pending = null;
        try {
          await this.#options.snapshots.publish({
            instance: this.#instance,
            generatedAt: next.generatedAt,
            json: JSON.stringify(next),
            updatedAt: this.#clock().getTime(),
          });
          this.#recovered();
        } catch (error) {
          this.#trouble(`could not publish the snapshot: ${errorText(error)}`);
        }
      }
    })().finally(() => {
      this.#publishing = null;
    });
  }

  /** Reads the poller's snapshot if it changed; one read at a time, repeated if asked meanwhile. */
  #refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      do {
        this.#refreshAgain = false;
        const row = await this.#options.snapshots.read(this.#shared?.generatedAt ?? null);
        if (row === null || row === 'unchanged') continue;
        if (row.instance === this.#instance && this.#role === 'poller') continue;
        const snapshot = parseSnapshot(row.json);
        if (!snapshot) {
          this.#trouble('the shared snapshot in the database is unreadable');
          continue;
        }
        this.#shared = snapshot;
        this.#sharedFrom = row.instance;
        if (this.#gaveUp && row.instance !== this.#instance) {
          this.#gaveUp = false;
          this.#options.spread?.claimed();
        }
        if (this.#role === 'standby') this.#emitIfChanged(snapshot);
      } while (this.#refreshAgain);
    })().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  #emitIfChanged(snapshot: ClusterSnapshot): void {
    for (const arrived of this.#arrived.splice(0)) arrived();
    const print = snapshotFingerprint(snapshot);
    if (samePrint(this.#emitted, print)) return;
    this.#emitted = print;
    for (const listener of [...this.#listeners]) {
      try {
        listener(snapshot);
      } catch (error) {
        this.#log(`console HA: snapshot listener failed: ${errorText(error)}`);
      }
    }
  }

  #trouble(message: string): void {
    if (this.#problem === message) return;
    this.#problem = message;
    this.#log(`console HA: ${message} (logged once until it works again)`);
  }

  #recovered(): void {
    if (this.#problem === null) return;
    this.#problem = null;
    this.#log('console HA: database coordination working again');
  }
}
