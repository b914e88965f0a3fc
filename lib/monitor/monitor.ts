// The poll loop: one per cluster, never overlapping, publishing each snapshot and its changes.
import 'server-only';
import type { ClusterTarget } from '@/lib/config';
import type { ClusterSnapshot, SourceName } from '@/lib/domain/types';
import { createEngineClient } from '@/lib/sources/docker';
import { createDtrClient } from '@/lib/sources/dtr';
import type { ClusterInventory } from '@/lib/sources/inventory';
import { createUcpClient } from '@/lib/sources/ucp';
import { emptyMemory, pollCluster, type PollDeps, type PollMemory, type QuickProbes } from './poll';
import {
  errorMessage,
  quickTimeoutMs,
  samePrint,
  snapshotFingerprint,
  type SnapshotPrint,
} from './tracking';

export type SnapshotListener = (snapshot: ClusterSnapshot) => void;

export interface MonitorOptions {
  target: ClusterTarget;
  mode: 'demo' | 'live';
  /** Source of "now" for every timestamp (tests pass a controllable clock). */
  clock?: () => Date;
  /** Called after every poll, changed or not (history writes, metrics). */
  onSnapshot?: SnapshotListener;
  /** Where the monitor reports source outages and recoveries. Default console.warn. */
  log?: (line: string) => void;
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
    this.#tick(performance.now());
  }

  stop(): void {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Polls now, or joins the poll already under way. */
  pollNow(): Promise<ClusterSnapshot> {
    this.#inflight ??= this.#poll().finally(() => {
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

  async #poll(): Promise<ClusterSnapshot> {
    const before = this.#memory.sources;
    const snapshot = await pollCluster(this.#deps, this.#memory);
    this.#reportSourceChanges(before, snapshot);
    this.#latest = snapshot;
    this.#emit(this.#onSnapshot, snapshot);
    const print = snapshotFingerprint(snapshot);
    if (!samePrint(this.#fingerprint, print)) {
      this.#fingerprint = print;
      for (const listener of [...this.#listeners]) this.#emit(listener, snapshot);
    }
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
