// The load balancer's pool, read from its stats page once per interval by one poller per process
// (never per viewer), and compared with the DTR replicas the monitor sees.
import 'server-only';
import {
  compareLbPool,
  type DriftReplica,
  type LbDriftState,
  type LbServerState,
} from '@/lib/domain/lb/drift';
import type { Instant } from '@/lib/domain/types';
import { hostPort, isSourceError } from '@/lib/sources/errors';
import { fetchHaproxyStats, type HaproxyStatsRequest } from '@/lib/sources/haproxy-stats';

export interface LbDriftPollerOptions {
  /** HAProxy's stats page, e.g. http://lb.example.com:8404/stats. */
  statsUrl: string;
  /** The monitor's poll interval. */
  intervalMs: number;
  timeoutMs: number;
  /** For a stats page behind `stats auth`; credentials may also sit in the URL. */
  basicAuth?: HaproxyStatsRequest['basicAuth'];
  /** For an https stats page with its own CA. */
  tls?: HaproxyStatsRequest['tls'];
  /** The replicas as the monitor last saw them; null before its first snapshot. */
  getReplicas: () => readonly DriftReplica[] | null;
  /** How long after a replica changes state the load balancer may still disagree; default 30 s. */
  graceMs?: number;
  /** Reads the pool; tests pass a stand-in. */
  fetchPool?: (request: HaproxyStatsRequest) => Promise<LbServerState[]>;
  now?: () => Date;
}

export const NOT_CONFIGURED: LbDriftState = {
  configured: false,
  source: null,
  fetchedAt: null,
  checkedAt: null,
  error: null,
  pool: [],
  findings: [],
  intervalMs: null,
};

const DEFAULT_GRACE_MS = 30_000;
// A typo in POLL_INTERVAL_MS must not turn the poller into a load test of the load balancer.
const MIN_INTERVAL_MS = 100;

export class LbDriftPoller {
  readonly statsUrl: string;
  #state: LbDriftState;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<LbDriftState> | null = null;
  #running = false;

  constructor(private readonly options: LbDriftPollerOptions) {
    this.statsUrl = options.statsUrl;
    let source: string | null = null;
    try {
      source = hostPort(new URL(options.statsUrl));
    } catch {
      // Config validates the URL; a bad one shows up as the poll's error instead.
    }
    this.#state = {
      ...NOT_CONFIGURED,
      configured: true,
      source,
      intervalMs: this.intervalMs,
    };
  }

  private get intervalMs(): number {
    return Math.max(this.options.intervalMs, MIN_INTERVAL_MS);
  }

  state(): LbDriftState {
    return this.#state;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const loop = () => {
      void this.pollNow().finally(() => {
        if (!this.#running) return;
        this.#timer = setTimeout(loop, this.intervalMs);
        this.#timer.unref?.();
      });
    };
    loop();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
  }

  /** One read of the pool; concurrent callers share it. */
  pollNow(): Promise<LbDriftState> {
    this.#inFlight ??= this.#poll().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  async #poll(): Promise<LbDriftState> {
    const now = this.options.now ?? (() => new Date());
    const fetchPool = this.options.fetchPool ?? fetchHaproxyStats;
    const checkedAt = now().toISOString();
    try {
      const { statsUrl, timeoutMs, basicAuth, tls } = this.options;
      const pool = await fetchPool({
        statsUrl,
        timeoutMs,
        ...(basicAuth ? { basicAuth } : {}),
        ...(tls ? { tls } : {}),
      });
      const replicas = this.options.getReplicas();
      const findings =
        replicas === null
          ? []
          : compareLbPool(replicas, pool, {
              now: now(),
              graceMs: this.options.graceMs ?? DEFAULT_GRACE_MS,
            });
      this.#state = {
        ...this.#state,
        fetchedAt: checkedAt,
        checkedAt,
        error: null,
        pool,
        findings,
      };
    } catch (error) {
      const message = isSourceError(error)
        ? error.message
        : "reading the load balancer's stats failed";
      if (!isSourceError(error)) console.error('LB drift poll failed:', error);
      this.#state = { ...this.#state, checkedAt, error: message };
    }
    return this.#state;
  }
}

/** The latest drift check of the runtime's poller; `configured: false` when LB_STATS_URL is not set. */
export function lbDriftState(poller: LbDriftPoller | null): LbDriftState {
  return poller?.state() ?? NOT_CONFIGURED;
}
