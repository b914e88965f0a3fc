// Fan-out for GET /api/events: one subscription to the monitor however many browsers listen;
// each change is assessed and serialised once and the same bytes go to every stream. The runtime
// owns the process's one broadcaster.
import 'server-only';
import type { ClusterSnapshot, ClusterStatus } from '@/lib/domain/types';
import { pulseOf } from '@/lib/domain/live-pulse';
import type { SnapshotFeed } from '@/lib/monitor/feed';

/** What the broadcaster needs of the monitor's feed. */
export type BroadcastFeed = Pick<SnapshotFeed, 'latest' | 'subscribe'>;

export interface BroadcasterOptions {
  feed: BroadcastFeed;
  toStatus: (snapshot: ClusterSnapshot) => ClusterStatus;
  /** How often to look for a new poll to send its `pulse` (times and latencies). */
  pulseMs?: number;
  /** Comment line that keeps idle proxies from closing the stream. */
  keepAliveMs?: number;
  /** EventSource reconnect delay the stream asks for. */
  retryMs?: number;
  /** A browser this far behind is dropped; it reconnects and starts from a fresh snapshot. */
  maxQueuedBytes?: number;
}

type Client = (chunk: Uint8Array) => void;

interface SnapshotEvent {
  snapshot: ClusterSnapshot;
  bytes: Uint8Array;
  warnings: string;
}

const encoder = new TextEncoder();
const KEEP_ALIVE = encoder.encode(': keep-alive\n\n');
// setTimeout's ceiling (about 24.8 days); sessions are far shorter.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class StatusBroadcaster {
  readonly #feed: BroadcastFeed;
  readonly #toStatus: (snapshot: ClusterSnapshot) => ClusterStatus;
  readonly #pulseMs: number;
  readonly #keepAliveMs: number;
  readonly #retry: Uint8Array;
  readonly #maxQueuedBytes: number;
  readonly #clients = new Set<Client>();
  #unsubscribe: (() => void) | null = null;
  #timers: ReturnType<typeof setInterval>[] = [];
  #event: SnapshotEvent | null = null;
  /** The last snapshot sent as an event or a pulse. */
  #sent: ClusterSnapshot | null = null;

  constructor(options: BroadcasterOptions) {
    this.#feed = options.feed;
    this.#toStatus = options.toStatus;
    this.#pulseMs = options.pulseMs ?? 1000;
    this.#keepAliveMs = options.keepAliveMs ?? 15_000;
    this.#retry = encoder.encode(`retry: ${options.retryMs ?? 2000}\n\n`);
    this.#maxQueuedBytes = options.maxQueuedBytes ?? 8 * 1024 * 1024;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** The last `snapshot` event as sent, or null before the first. */
  get latestEvent(): string | null {
    return this.#event ? new TextDecoder().decode(this.#event.bytes) : null;
  }

  /** Adds a client; it gets the current snapshot now, then every event. Returns the disconnect. */
  connect(client: Client): () => void {
    this.#clients.add(client);
    if (this.#clients.size === 1) this.#start();
    const snapshot = this.#feed.latest();
    if (snapshot) {
      this.#sent ??= snapshot;
      client(this.#eventFor(snapshot).bytes);
    }
    return () => {
      if (!this.#clients.delete(client)) return;
      if (this.#clients.size === 0) this.#stop();
    };
  }

  /**
   * One browser's event stream, closed and disconnected on abort, cancel or overflow, and at
   * `closeAt` (epoch ms: the session's expiry, so the browser must sign in again to go on).
   */
  stream(signal: AbortSignal, { closeAt }: { closeAt?: number } = {}): ReadableStream<Uint8Array> {
    let disconnect: (() => void) | null = null;
    let expiry: ReturnType<typeof setTimeout> | undefined;
    const cleanUp = () => {
      disconnect?.();
      disconnect = null;
      clearTimeout(expiry);
      signal.removeEventListener('abort', onAbort);
    };
    let onAbort = () => {};
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          if (signal.aborted) return controller.close();
          onAbort = () => {
            cleanUp();
            controller.close();
          };
          signal.addEventListener('abort', onAbort);
          if (closeAt !== undefined) {
            expiry = setTimeout(
              onAbort,
              Math.min(Math.max(closeAt - Date.now(), 0), MAX_TIMEOUT_MS),
            );
            expiry.unref?.();
          }
          controller.enqueue(this.#retry);
          disconnect = this.connect((chunk) => {
            if ((controller.desiredSize ?? 0) < -this.#maxQueuedBytes) {
              cleanUp();
              controller.error(new Error('event stream client too far behind'));
              return;
            }
            controller.enqueue(chunk);
          });
        },
        cancel: cleanUp,
      },
      new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
    );
  }

  #eventFor(snapshot: ClusterSnapshot, status?: ClusterStatus): SnapshotEvent {
    if (this.#event?.snapshot !== snapshot) {
      const assessed = status ?? this.#toStatus(snapshot);
      this.#event = {
        snapshot,
        bytes: encoder.encode(`event: snapshot\ndata: ${JSON.stringify(assessed)}\n\n`),
        warnings: JSON.stringify(assessed.warnings),
      };
    }
    return this.#event;
  }

  #send(bytes: Uint8Array): void {
    for (const client of [...this.#clients]) client(bytes);
  }

  #start(): void {
    this.#unsubscribe = this.#feed.subscribe((snapshot) => {
      this.#sent = snapshot;
      this.#send(this.#eventFor(snapshot).bytes);
    });
    const every = (ms: number, run: () => void) => {
      const timer = setInterval(run, ms);
      timer.unref?.();
      this.#timers.push(timer);
    };
    every(this.#pulseMs, () => this.#pulse());
    every(this.#keepAliveMs, () => this.#send(KEEP_ALIVE));
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
  }

  /**
   * A poll without a content change: send its times, unless the passing time alone changed the
   * warnings (e.g. a replica offline for long), which needs a whole snapshot.
   */
  #pulse(): void {
    const snapshot = this.#feed.latest();
    if (!snapshot || snapshot === this.#sent) return;
    this.#sent = snapshot;
    const status = this.#toStatus(snapshot);
    if (!this.#event || JSON.stringify(status.warnings) !== this.#event.warnings) {
      this.#send(this.#eventFor(snapshot, status).bytes);
      return;
    }
    this.#send(encoder.encode(`event: pulse\ndata: ${JSON.stringify(pulseOf(snapshot))}\n\n`));
  }
}
