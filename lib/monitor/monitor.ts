// The poll loop: one per cluster, never overlapping, publishing each snapshot and its changes.
import 'server-only';
import type { ClusterTarget } from '@/lib/config';
import type { ClusterSnapshot, SourceName } from '@/lib/domain/types';
import { createEngineClient } from '@/lib/sources/docker';
import { createDtrClient } from '@/lib/sources/dtr';
import { onPeerClose } from '@/lib/sources/http';
import type { ClusterInventory } from '@/lib/sources/inventory';
import { createUcpClient } from '@/lib/sources/ucp';
import {
  emptyMemory,
  pollCluster,
  probedOrigins,
  reprobeMember,
  type PollDeps,
  type PollMemory,
  type QuickProbes,
} from './poll';
import {
  errorMessage,
  quickTimeoutMs,
  samePrint,
  snapshotFingerprint,
  type SnapshotPrint,
} from './tracking';

export type SnapshotListener = (snapshot: ClusterSnapshot) => void;

/**
 * A member whose kept connection the member closes or resets is probed again at once, but at
 * most once per this many ms: a member that resets every connection costs one extra probe a
 * second, whatever else happens. A close within the gap is not dropped: one re-probe is due
 * when the gap ends.
 */
export const REPROBE_GAP_MS = 1_000;

export interface MonitorOptions {
  target: ClusterTarget;
  mode: 'demo' | 'live';
  /** Source of "now" for every timestamp (tests pass a controllable clock). */
  clock?: () => Date;
  /** Called after every poll, changed or not (history writes, metrics). */
  onSnapshot?: SnapshotListener;
  /** Where the monitor reports source outages and recoveries. Default console.warn. */
  log?: (line: string) => void;
  /** Re-probe a member whose kept connection it closed (default true). */
  reprobeOnClose?: boolean;
}

/** Out-of-band re-probes of one member: when the last one started, and the one due. */
interface ReprobeState {
  startedAt: number;
  /** A re-probe is waiting (for the gap to pass or for its turn) and has not started yet. */
  due: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

/** The adapter for the cluster's control plane: UCP, or a Swarm manager's Engine API. */
function clusterInventory(target: ClusterTarget, now: () => Date): ClusterInventory {
  if (target.ucp) return createUcpClient({ ...target, ucp: target.ucp }, { now });
  if (target.engine) return createEngineClient({ ...target, engine: target.engine });
  throw new Error('the cluster target names neither UCP nor a Docker engine');
}

/**
 * The member probes again, with the short timeout that confirms a probe that timed out. Probes
 * need no sign-in and the HTTP connection pools are shared, so these clients cost nothing idle.
 */
function quickProbes(target: ClusterTarget, now: () => Date): QuickProbes {
  const timeoutMs = quickTimeoutMs(target.probeTimeoutMs);
  const quick = { ...target, probeTimeoutMs: timeoutMs };
  return {
    timeoutMs,
    dtr: target.dtr ? createDtrClient({ ...quick, dtr: target.dtr }, { now }) : null,
    pingManager: target.ucp
      ? createUcpClient({ ...quick, ucp: target.ucp }, { now }).pingManager
      : null,
  };
}

export class Monitor {
  readonly #deps: PollDeps;
  readonly #memory: PollMemory;
  readonly #labels: Record<SourceName, string>;
  readonly #listeners = new Set<SnapshotListener>();
  readonly #onSnapshot: SnapshotListener | undefined;
  readonly #log: (line: string) => void;
  #latest: ClusterSnapshot | null = null;
  #fingerprint: SnapshotPrint | null = null;
  #inflight: Promise<ClusterSnapshot> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = false;
  /** Polls and member re-probes run one at a time, in order: each waits for this. */
  #turn: Promise<unknown> = Promise.resolve();
  readonly #reprobeOnClose: boolean;
  readonly #reprobes = new Map<string, ReprobeState>();
  #unwatch: (() => void) | null = null;

  constructor(options: MonitorOptions) {
    const now = options.clock ?? (() => new Date());
    const { target } = options;
    this.#deps = {
      target,
      mode: options.mode,
      now,
      cluster: clusterInventory(target, now),
      dtr: target.dtr ? createDtrClient({ ...target, dtr: target.dtr }, { now }) : null,
      quick: quickProbes(target, now),
    };
    this.#memory = emptyMemory(target.dtr !== null);
    this.#labels = {
      ucp: this.#deps.cluster.kind === 'engine' ? `Swarm manager ${target.engine?.host}` : 'UCP',
      dtr: 'DTR',
    };
    this.#onSnapshot = options.onSnapshot;
    this.#log = options.log ?? ((line) => console.warn(line));
    this.#reprobeOnClose = options.reprobeOnClose ?? true;
  }

  /**
   * Starts polling: a first poll now, then one every pollIntervalMs at a fixed rate (each poll is
   * due one interval after the previous one was due, however long that one took). Polls never
   * overlap: one that overruns its interval is followed at once, and the slots it missed are
   * skipped, not made up, so there is never more than one poll per interval.
   */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    if (this.#reprobeOnClose) this.#unwatch = onPeerClose((origin) => this.#peerClosed(origin));
    this.#tick(performance.now());
  }

  stop(): void {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#unwatch?.();
    this.#unwatch = null;
    for (const state of this.#reprobes.values()) if (state.timer) clearTimeout(state.timer);
    this.#reprobes.clear();
  }

  /** Polls now, or joins the poll already under way. */
  pollNow(): Promise<ClusterSnapshot> {
    this.#inflight ??= this.#exclusive(() => this.#poll()).finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  latest(): ClusterSnapshot | null {
    return this.#latest;
  }

  /** Calls `listener` with each snapshot whose content changed (timestamps and latencies aside). */
  subscribe(listener: SnapshotListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** One scheduled poll; `due` is when it was due (performance.now() time). */
  #tick(due: number): void {
    this.#timer = null;
    this.pollNow()
      .catch((err: unknown) => this.#log(`monitor: poll failed: ${errorMessage(err)}`))
      .finally(() => {
        if (!this.#running || this.#timer) return;
        const now = performance.now();
        const next = Math.max(due + this.#deps.target.pollIntervalMs, now);
        this.#timer = setTimeout(() => this.#tick(next), next - now);
        this.#timer.unref?.();
      });
  }

  /** Runs `work` after every poll and re-probe before it: they share the poll memory. */
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#turn.then(work);
    this.#turn = run.catch(() => undefined);
    return run;
  }

  /** A connection to `origin` was closed by the far end: re-probe the members probed there. */
  #peerClosed(origin: string): void {
    if (!this.#running) return;
    const byOrigin = probedOrigins(this.#memory);
    for (const key of byOrigin.get(origin) ?? []) this.#scheduleReprobe(key);
    // Members gone from the poll since are forgotten.
    const probed = new Set([...byOrigin.values()].flat());
    for (const [key, state] of this.#reprobes)
      if (!state.due && !probed.has(key)) this.#reprobes.delete(key);
  }

  /** One re-probe of `key`, now or when REPROBE_GAP_MS since the last one started has passed. */
  #scheduleReprobe(key: string): void {
    const state = this.#reprobes.get(key) ?? { startedAt: -Infinity, due: false, timer: null };
    this.#reprobes.set(key, state);
    if (state.due) return; // one is waiting and has not started: it sees this close too
    state.due = true;
    const wait = Math.max(0, state.startedAt + REPROBE_GAP_MS - performance.now());
    state.timer = setTimeout(() => {
      state.timer = null;
      if (!this.#running) return;
      this.#exclusive(() => {
        state.due = false;
        state.startedAt = performance.now();
        return this.#reprobe(key);
      }).catch((err: unknown) =>
        this.#log(`monitor: re-probe of ${key} failed: ${errorMessage(err)}`),
      );
    }, wait);
    state.timer.unref?.();
  }

  /** Re-probes one member; publishes the snapshot only when its content changed. */
  async #reprobe(key: string): Promise<void> {
    if (!this.#running) return;
    const snapshot = await reprobeMember(this.#deps, this.#memory, key);
    if (snapshot === null) return;
    const print = snapshotFingerprint(snapshot);
    if (samePrint(this.#fingerprint, print)) return;
    this.#publish(snapshot, print);
  }

  #publish(snapshot: ClusterSnapshot, print: SnapshotPrint): void {
    this.#latest = snapshot;
    this.#emit(this.#onSnapshot, snapshot);
    if (!samePrint(this.#fingerprint, print)) {
      this.#fingerprint = print;
      for (const listener of [...this.#listeners]) this.#emit(listener, snapshot);
    }
  }

  async #poll(): Promise<ClusterSnapshot> {
    const before = this.#memory.sources;
    const snapshot = await pollCluster(this.#deps, this.#memory);
    this.#reportSourceChanges(before, snapshot);
    this.#publish(snapshot, snapshotFingerprint(snapshot));
    return snapshot;
  }

  #emit(listener: SnapshotListener | undefined, snapshot: ClusterSnapshot): void {
    try {
      listener?.(snapshot);
    } catch (err) {
      this.#log(`monitor: snapshot listener failed: ${errorMessage(err)}`);
    }
  }

  #reportSourceChanges(before: PollMemory['sources'], snapshot: ClusterSnapshot): void {
    for (const name of ['ucp', 'dtr'] as const) {
      const was = before[name];
      const now = snapshot.sources[name];
      if (now.configured === false) continue;
      const label = this.#labels[name];
      if (
        now.state !== 'ok' &&
        (was.state === 'ok' || was.checkedAt === null || was.lastError !== now.lastError)
      ) {
        this.#log(`monitor: ${label} source ${now.state}: ${now.lastError ?? 'unknown error'}`);
      } else if (now.state === 'ok' && was.state !== 'ok' && was.checkedAt !== null) {
        this.#log(`monitor: ${label} source answering again`);
      }
    }
  }
}
