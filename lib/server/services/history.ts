// Connects the monitor to the history store: events on every change, a sample at a fixed cadence,
// retention every hour; and gives back the persisted "offline since" after a restart. Nothing
// here may slow or break the poll loop: writes are queued and their failures only logged.
import 'server-only';
import {
  applyEvents,
  diffAgainst,
  mergeSamples,
  sampleOf,
  type KnownState,
  type Sample,
} from '@/lib/domain/history';
import type { ClusterSnapshot, Instant } from '@/lib/domain/types';
import type { Store } from '@/lib/store';

/** The part of the Monitor history needs. */
export interface HistorySource {
  subscribe(listener: (snapshot: ClusterSnapshot) => void): () => void;
  latest(): ClusterSnapshot | null;
}

export interface HistoryOptions {
  /** One sample per this many ms at most (default 10 s: 2 160 raw rows in the 6 h raw tier). */
  sampleEveryMs?: number;
  /** Default one hour. */
  retentionEveryMs?: number;
  clock?: () => Date;
  log?: (line: string) => void;
}

export interface HistoryHook {
  readonly store: Store;
  /** The snapshot with each replica's `since` moved back to the persisted one when that is older. */
  restoreSince(snapshot: ClusterSnapshot): ClusterSnapshot;
  /** Resolves when every queued write has been tried (tests and shutdown). */
  flush(): Promise<void>;
  stop(): void;
}

export const DEFAULT_SAMPLE_EVERY_MS = 10_000;
const HOUR = 3_600_000;
// Samples are dropped (never events) when the database falls this far behind.
const MAX_QUEUED_SAMPLES = 30;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Starts recording `monitor` into `store`. Call before the monitor's first poll when possible:
 * the first snapshot is diffed against the states stored before a restart, so a replica that
 * was already down keeps its original "since" instead of gaining a new one.
 */
export async function attachHistory(
  monitor: HistorySource,
  store: Store,
  options: HistoryOptions = {},
): Promise<HistoryHook> {
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.warn(line));
  const sampleEveryMs = options.sampleEveryMs ?? DEFAULT_SAMPLE_EVERY_MS;

  // Write queue: one write at a time, each failure kind logged once until writes work again.
  let queue: Promise<void> = Promise.resolve();
  let queuedSamples = 0;
  const failing = new Map<string, string>();
  function enqueue(what: 'events' | 'samples' | 'retention', write: () => Promise<unknown>): void {
    if (what === 'samples') {
      if (queuedSamples >= MAX_QUEUED_SAMPLES) return;
      queuedSamples += 1;
    }
    queue = queue
      .then(write)
      .then(
        () => {
          if (failing.delete(what)) log(`history: writing ${what} again`);
        },
        (error: unknown) => {
          const message = errorText(error);
          if (failing.get(what) === message) return;
          failing.set(what, message);
          log(`history: could not write ${what}: ${message} (logged once until it works again)`);
        },
      )
      .finally(() => {
        if (what === 'samples') queuedSamples -= 1;
      });
  }

  let states: KnownState[] = [];
  try {
    states = await store.history.lastKnownStates();
  } catch (error) {
    log(`history: could not read the last known states: ${errorText(error)}`);
  }

  // Every snapshot seen since the last sample, so a dip between two samples is not lost.
  let observed: Sample[] = [];
  let lastSampled: Instant | null = null;

  function sampleNow(): void {
    const latest = monitor.latest();
    if (!latest || latest.generatedAt === lastSampled) return;
    lastSampled = latest.generatedAt;
    const sample = sampleOf(latest);
    const worst = mergeSamples([...observed, sample], sample.at);
    observed = [];
    enqueue('samples', () =>
      store.history.recordSample({
        ...sample,
        dtrHealthyMin: worst.dtrHealthyMin,
        dtrMarginMin: worst.dtrMarginMin,
        ucpReachableMin: worst.ucpReachableMin,
        ucpMarginMin: worst.ucpMarginMin,
      }),
    );
  }

  function onChange(snapshot: ClusterSnapshot): void {
    try {
      observed.push(sampleOf(snapshot));
      const events = diffAgainst(states, snapshot);
      if (events.length > 0) {
        states = applyEvents(states, events);
        enqueue('events', () => store.history.recordEvents(events));
      }
      if (lastSampled === null) sampleNow();
    } catch (error) {
      log(`history: could not follow a snapshot: ${errorText(error)}`);
    }
  }

  const unsubscribe = monitor.subscribe(onChange);
  const current = monitor.latest();
  if (current) onChange(current);

  const retain = () => enqueue('retention', () => store.history.applyRetention(clock().getTime()));
  retain();
  const timers = [
    setInterval(sampleNow, sampleEveryMs),
    setInterval(retain, options.retentionEveryMs ?? HOUR),
  ];
  for (const timer of timers) timer.unref?.();

  return {
    store,
    restoreSince(snapshot) {
      const persisted = new Map(
        states.filter((s) => s.kind === 'replica').map((s) => [s.subject, s]),
      );
      let changed = false;
      const replicas = snapshot.dtr.replicas.map((replica) => {
        const known = persisted.get(replica.id);
        if (!known || known.state !== replica.status) return replica;
        if (!(Date.parse(known.since) < Date.parse(replica.since))) return replica;
        changed = true;
        return { ...replica, since: known.since };
      });
      return changed ? { ...snapshot, dtr: { ...snapshot.dtr, replicas } } : snapshot;
    },
    flush: async () => {
      // Writes queued while waiting join the same queue: wait until it stands still.
      let tail: Promise<void>;
      do {
        tail = queue;
        await tail;
      } while (tail !== queue);
    },
    stop() {
      unsubscribe();
      for (const timer of timers) clearInterval(timer);
    },
  };
}

// ---------------------------------------------------------------------------
// The runtime's recorder: history runs while this instance polls (always, for one console; while
// it holds the poller lock, for several sharing Postgres).

export class HistoryRecorder {
  #hook: HistoryHook | null = null;
  readonly #options: HistoryOptions;

  constructor(options: HistoryOptions = {}) {
    this.#options = options;
  }

  /** Attaches history to `monitor` (replacing a previous attachment). */
  async start(monitor: HistorySource, store: Store): Promise<HistoryHook> {
    this.#hook?.stop();
    this.#hook = null;
    const hook = await attachHistory(monitor, store, this.#options);
    this.#hook = hook;
    return hook;
  }

  /** Stops recording (stepping down, shutdown); the store stays open. */
  stop(): void {
    this.#hook?.stop();
    this.#hook = null;
  }

  /** See HistoryHook.restoreSince; the snapshot unchanged when history is not recording here. */
  restoreSince(snapshot: ClusterSnapshot): ClusterSnapshot {
    return this.#hook?.restoreSince(snapshot) ?? snapshot;
  }

  /** The hook while recording (tests flush it). */
  get hook(): HistoryHook | null {
    return this.#hook;
  }
}
