// Fan-out for GET /api/events: one subscription to the monitor however many browsers listen;
// each change is assessed, diffed and serialised once and the same bytes go to every stream. The
// runtime owns the process's one broadcaster.
//
// The stream (README "API"): every event that changes the viewer's document carries `id: <seq>`,
// `<epoch>-<n>` with a per-process epoch, so ids never repeat across console restarts.
// - `snapshot`: the whole GET /api/status document at that seq (on connect, and when a patch
//   would not be much smaller than the document);
// - `patch`: `{"from": <seq>, "pulse": {...times}, "ops": [RFC 6902 operations]}`: the pulse
//   (applyPulse, when the times moved) then the operations turn the document at `from` into the
//   one at this event's id;
// - `pulse`: `{"from": <seq>, ...times}` (lib/domain/live-pulse.ts), applied with applyPulse.
// A browser reconnecting with `Last-Event-ID` equal to the current seq gets nothing to catch up,
// one a few events behind gets those events again (a short bounded history), any other a snapshot.
import 'server-only';
import { randomBytes } from 'node:crypto';
import type { ClusterSnapshot, ClusterStatus } from '@/lib/domain/types';
import {
  applyPulse,
  pulseOf,
  type LivePulse,
  type PatchEventData,
  type PulseEventData,
} from '@/lib/domain/live-pulse';
import { diff } from '@/lib/domain/json-patch';
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
  /** A change whose patch is at least this share of the document goes out as a `snapshot`. */
  maxPatchRatio?: number;
  /** Patches and pulses kept for a reconnecting browser to catch up with (bytes, all events). */
  historyBytes?: number;
  /** The seq prefix; random per process unless given (tests). */
  epoch?: string;
}

type Client = (chunk: Uint8Array) => void;

/** The document every viewer holds after the last event: the base of the next patch. */
interface Current {
  id: string;
  doc: ClusterStatus;
  /** `warnings` as JSON, to tell a quiet poll from one whose warnings changed with time. */
  warnings: string;
  /** The `snapshot` event of this document, built on first need. */
  snapshot: Uint8Array | null;
}

/** A patch or pulse as sent, replayed to a browser that reconnects a few events behind. */
interface Sent {
  from: string;
  bytes: Uint8Array;
}

const encoder = new TextEncoder();
const KEEP_ALIVE = encoder.encode(': keep-alive\n\n');
// setTimeout's ceiling (about 24.8 days); sessions are far shorter.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

const eventBytes = (id: string, event: string, data: string) =>
  encoder.encode(`id: ${id}\nevent: ${event}\ndata: ${data}\n\n`);

export class StatusBroadcaster {
  readonly #feed: BroadcastFeed;
  readonly #toStatus: (snapshot: ClusterSnapshot) => ClusterStatus;
  readonly #pulseMs: number;
  readonly #keepAliveMs: number;
  readonly #retry: Uint8Array;
  readonly #maxQueuedBytes: number;
  readonly #maxPatchRatio: number;
  readonly #historyBytes: number;
  readonly #epoch: string;
  readonly #clients = new Set<Client>();
  #unsubscribe: (() => void) | null = null;
  #timers: ReturnType<typeof setInterval>[] = [];
  #seq = 0;
  #current: Current | null = null;
  #history: Sent[] = [];
  /** The last snapshot turned into an event (snapshot, patch or pulse). */
  #sent: ClusterSnapshot | null = null;
  /** Changes may have gone unseen (no subscription): diff in full at the next look. */
  #unwatched = true;

  constructor(options: BroadcasterOptions) {
    this.#feed = options.feed;
    this.#toStatus = options.toStatus;
    this.#pulseMs = options.pulseMs ?? 1000;
    this.#keepAliveMs = options.keepAliveMs ?? 15_000;
    this.#retry = encoder.encode(`retry: ${options.retryMs ?? 2000}\n\n`);
    this.#maxQueuedBytes = options.maxQueuedBytes ?? 8 * 1024 * 1024;
    this.#maxPatchRatio = options.maxPatchRatio ?? 0.75;
    this.#historyBytes = options.historyBytes ?? 256 * 1024;
    this.#epoch = options.epoch ?? randomBytes(6).toString('hex');
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** The id of the document viewers hold now, or null before the first snapshot. */
  get currentId(): string | null {
    return this.#current?.id ?? null;
  }

  /**
   * Adds a client and brings it up to date: nothing when `lastEventId` is the current seq, the
   * events since it when they are still kept, a snapshot otherwise. Then every event. Returns the
   * disconnect.
   */
  connect(client: Client, lastEventId?: string | null): () => void {
    if (this.#clients.size === 0) this.#start();
    this.#look(); // a poll not yet sent goes to everyone first, so all share one seq
    this.#clients.add(client);
    const current = this.#current;
    if (current && lastEventId !== current.id) {
      const start = lastEventId ? this.#history.findIndex((e) => e.from === lastEventId) : -1;
      if (start >= 0) for (const event of this.#history.slice(start)) client(event.bytes);
      else client(this.#snapshotOf(current));
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
  stream(
    signal: AbortSignal,
    { closeAt, lastEventId }: { closeAt?: number; lastEventId?: string | null } = {},
  ): ReadableStream<Uint8Array> {
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
          }, lastEventId);
        },
        cancel: cleanUp,
      },
      new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
    );
  }

  #snapshotOf(current: Current): Uint8Array {
    current.snapshot ??= eventBytes(current.id, 'snapshot', JSON.stringify(current.doc));
    return current.snapshot;
  }

  #nextId(): string {
    this.#seq += 1;
    return `${this.#epoch}-${this.#seq}`;
  }

  #send(bytes: Uint8Array): void {
    for (const client of [...this.#clients]) client(bytes);
  }

  /** Sends a patch or pulse and keeps it for reconnects, within the history's byte budget. */
  #sendKept(from: string, bytes: Uint8Array): void {
    this.#history.push({ from, bytes });
    let total = this.#history.reduce((sum, e) => sum + e.bytes.byteLength, 0);
    while (total > this.#historyBytes && this.#history.length > 0)
      total -= this.#history.shift()?.bytes.byteLength ?? 0;
    this.#send(bytes);
  }

  /**
   * A new document: a patch from what viewers hold, or a snapshot when there is no base or the
   * patch would not be much smaller. Diffed as sent (parsed JSON), so the browser's result is
   * exactly this document.
   */
  #change(snapshot: ClusterSnapshot, status = this.#toStatus(snapshot)): void {
    this.#sent = snapshot;
    const json = JSON.stringify(status);
    const doc = JSON.parse(json) as ClusterStatus;
    const previous = this.#current;
    const warnings = JSON.stringify(doc.warnings);
    if (previous) {
      // The poll's times go as a pulse inside the patch: far fewer bytes than an operation each.
      const pulse = JSON.parse(JSON.stringify(pulseOf(snapshot))) as LivePulse;
      const timed = applyPulse(previous.doc, pulse);
      const ops = diff(timed, doc);
      if (ops.length === 0 && timed === previous.doc) return;
      const patch: PatchEventData = {
        from: previous.id,
        ...(timed === previous.doc ? {} : { pulse }),
        ops,
      };
      const data = JSON.stringify(patch);
      if (data.length < this.#maxPatchRatio * json.length) {
        const id = this.#nextId();
        this.#current = { id, doc, warnings, snapshot: null };
        this.#sendKept(previous.id, eventBytes(id, 'patch', data));
        return;
      }
    }
    const id = this.#nextId();
    const current: Current = { id, doc, warnings, snapshot: eventBytes(id, 'snapshot', json) };
    this.#current = current;
    this.#history = []; // everyone behind it needs this snapshot anyway
    this.#send(this.#snapshotOf(current));
  }

  /**
   * A poll without a content change: send its times, unless the passing time alone changed the
   * warnings (e.g. a replica offline for long), which goes out as a change.
   */
  #pulse(snapshot: ClusterSnapshot): void {
    const current = this.#current;
    if (!current) return this.#change(snapshot);
    this.#sent = snapshot;
    const status = this.#toStatus(snapshot);
    if (JSON.stringify(status.warnings) !== current.warnings) return this.#change(snapshot, status);
    // Applied as sent, exactly as the browser applies it.
    const data = JSON.stringify({
      from: current.id,
      ...pulseOf(snapshot),
    } satisfies PulseEventData);
    const doc = applyPulse(current.doc, JSON.parse(data) as PulseEventData);
    if (doc === current.doc) return; // not newer: nothing moves
    const id = this.#nextId();
    this.#current = { ...current, id, doc, snapshot: null };
    this.#sendKept(current.id, eventBytes(id, 'pulse', data));
  }

  /** Sends the latest poll if it has not gone out yet. */
  #look(): void {
    const snapshot = this.#feed.latest();
    if (!snapshot || snapshot === this.#sent) return;
    if (this.#unwatched) this.#change(snapshot);
    else this.#pulse(snapshot);
  }

  #start(): void {
    this.#unsubscribe = this.#feed.subscribe((snapshot) => this.#change(snapshot));
    // From here on the subscription reports every content change; what came before is diffed once.
    this.#look();
    this.#unwatched = false;
    const every = (ms: number, run: () => void) => {
      const timer = setInterval(run, ms);
      timer.unref?.();
      this.#timers.push(timer);
    };
    every(this.#pulseMs, () => this.#look());
    every(this.#keepAliveMs, () => this.#send(KEEP_ALIVE));
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#unwatched = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
  }
}
