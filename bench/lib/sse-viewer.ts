// A viewer of GET /api/events without a browser: fetch, split the stream into SSE events, keep
// the full document (the first `snapshot`, then each `patch` and `pulse` applied in sequence, as
// the browser does) and time each document on arrival.
import { performance } from 'node:perf_hooks';
import { applyPatch, type Operation } from 'fast-json-patch';
import { applyPulse, type LivePulse } from '../../lib/domain/live-pulse';
import type { ClusterStatus } from '../../lib/domain/types';
import { waitFor } from './stats';
import type { StatusDocument } from './status-document';

export interface SseEvent {
  /** The event's `id:` line; '' when it had none. */
  id: string;
  event: string;
  data: string;
}

/** Splits SSE text into complete events; returns them and the unfinished rest. */
export function parseSseChunk(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    let id = '';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) events.push({ id, event, data: data.join('\n') });
  }
  return { events, rest };
}

export interface TimedSnapshot {
  /** performance.now() when the chunk carrying it arrived. */
  at: number;
  /** The whole document after the event. */
  doc: StatusDocument;
  /** The event that made it: `snapshot`, `patch` or `pulse`. */
  event: string;
}

/** One received event and its size on the wire (from its `id:` line to the blank line after). */
export interface ReceivedEvent {
  at: number;
  event: string;
  bytes: number;
}

type SnapshotListener = (snapshot: TimedSnapshot) => void;

export class SseViewer {
  readonly #abort = new AbortController();
  readonly #listeners = new Set<SnapshotListener>();
  readonly #anyEvent = new Set<() => void>();
  readonly #parse: boolean;
  #done: Promise<void> | null = null;
  snapshots = 0;
  patches = 0;
  pulses = 0;
  bytes = 0;
  latest: TimedSnapshot | null = null;
  error: string | null = null;
  /** Every event received, while `record` is on (the SSE delta scenario turns it on). */
  readonly received: ReceivedEvent[] = [];
  record = false;
  #seq: string | null = null;

  /** `parse: false` only counts events (for many viewers); `latest` then stays null. */
  constructor(
    readonly url: string,
    private readonly headers: Record<string, string> = {},
    options: { parse?: boolean } = {},
  ) {
    this.#parse = options.parse ?? true;
  }

  /** Connects; resolves once the first snapshot has arrived. */
  async open(timeoutMs = 30_000): Promise<void> {
    const res = await fetch(`${this.url}/api/events`, {
      headers: { accept: 'text/event-stream', ...this.headers },
      signal: this.#abort.signal,
    });
    if (!res.ok || !res.body) throw new Error(`GET /api/events: HTTP ${res.status}`);
    this.#done = this.#read(res.body);
    await waitFor(
      'a first snapshot on /api/events',
      () => (this.snapshots > 0 ? true : null),
      timeoutMs,
      20,
    );
  }

  onSnapshot(listener: SnapshotListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The first snapshot arriving after now that satisfies `test`, or null after `timeoutMs`. */
  next(test: (doc: StatusDocument) => boolean, timeoutMs: number): Promise<TimedSnapshot | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(null);
      }, timeoutMs);
      const off = this.onSnapshot((snapshot) => {
        if (!test(snapshot.doc)) return;
        clearTimeout(timer);
        off();
        resolve(snapshot);
      });
    });
  }

  /** Resolves when the next event of any kind (snapshot, patch or pulse: a poll ended) arrives. */
  nextEvent(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.#anyEvent.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#anyEvent.delete(done);
        reject(new Error(`no event on /api/events within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#anyEvent.add(done);
    });
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.#done?.catch(() => undefined);
  }

  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const at = performance.now();
        this.bytes += value.byteLength;
        buffer += decoder.decode(value, { stream: true });
        const { events, rest } = parseSseChunk(buffer);
        buffer = rest;
        for (const event of events) {
          if (this.record) {
            const bytes = Buffer.byteLength(
              `${event.id ? `id: ${event.id}\n` : ''}event: ${event.event}\ndata: ${event.data}\n\n`,
            );
            this.received.push({ at, event: event.event, bytes });
          }
          this.#dispatch(event, at);
        }
      }
    } catch (error) {
      if (!this.#abort.signal.aborted) this.error = (error as Error).message;
    }
    if (!this.#abort.signal.aborted) this.error ??= 'the stream ended';
  }

  #dispatch(event: SseEvent, at: number): void {
    if (event.event === 'snapshot') this.snapshots += 1;
    else if (event.event === 'patch') this.patches += 1;
    else if (event.event === 'pulse') this.pulses += 1;
    else return;
    for (const listener of [...this.#anyEvent]) listener();
    if (!this.#parse) return;
    const doc = this.#apply(event);
    if (!doc) return;
    this.#seq = event.id;
    const snapshot = { at, doc, event: event.event };
    this.latest = snapshot;
    for (const listener of [...this.#listeners]) listener(snapshot);
  }

  /** The document after `event`, or null (and `error` set) when it does not follow on. */
  #apply(event: SseEvent): StatusDocument | null {
    const data = JSON.parse(event.data) as StatusDocument & {
      from?: string;
      ops?: Operation[];
      pulse?: LivePulse;
    };
    if (event.event === 'snapshot') return data;
    const held = this.latest?.doc;
    if (!held || data.from !== this.#seq) {
      this.error = `${event.event} ${event.id} follows ${data.from ?? '?'}, this viewer holds ${this.#seq ?? 'nothing'}`;
      return null;
    }
    if (event.event === 'pulse')
      return applyPulse(
        held as unknown as ClusterStatus,
        data as unknown as LivePulse,
      ) as unknown as StatusDocument;
    try {
      // A patch's pulse (the poll's times) first, then its operations.
      const timed = data.pulse
        ? (applyPulse(held as unknown as ClusterStatus, data.pulse) as unknown as StatusDocument)
        : held;
      return applyPatch(timed, data.ops ?? [], true, false).newDocument;
    } catch (error) {
      this.error = `patch ${event.id} does not apply: ${(error as Error).message}`;
      return null;
    }
  }
}
