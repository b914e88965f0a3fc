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
// start-up. Clusters never move back by themselves: an instance started after the others took
// every lock polls nothing until a lock is freed.
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
  /** Opens this instance's coordination connection for this cluster (lock + LISTEN). */
  connect: () => Promise<CoordinationConnection>;
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
        // From the start of the last round, whatever it cost: the poller checks its connection
        // every interval; a standby reads the shared snapshot every half interval and tries the
        // lock then too (or every (k + 1)-th time while this instance polls k other clusters), so
        // a takeover starts at most half an interval (k + 1 halves) after the poller's death.
        const every =
          this.#role === 'poller' ? this.#options.intervalMs : this.#options.intervalMs / 2;
        this.#schedule(Math.max(0, every - (Date.now() - started)));
      });
    }, delayMs);
    this.#timer.unref?.();
  }

  async #tick(): Promise<void> {
    try {
      const conn = await this.#connection();
      if (this.#role === 'poller') {
        await conn.check(Math.max(this.#options.timeoutMs, 1000));
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
    this.#connecting ??= this.#options.connect().finally(() => {
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

  async #lead(): Promise<void> {
    const from = this.#sharedFrom;
    this.#options.spread?.polls(this);
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
