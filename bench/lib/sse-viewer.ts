// A viewer of GET /api/events without a browser: fetch, split the stream into SSE events, and
// time each `snapshot` on arrival.
import { performance } from 'node:perf_hooks';
import { waitFor } from './stats';
import type { StatusDocument } from './status-document';

export interface SseEvent {
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
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

export interface TimedSnapshot {
  /** performance.now() when the chunk carrying it arrived. */
  at: number;
  doc: StatusDocument;
}

type SnapshotListener = (snapshot: TimedSnapshot) => void;

export class SseViewer {
  readonly #abort = new AbortController();
  readonly #listeners = new Set<SnapshotListener>();
  readonly #anyEvent = new Set<() => void>();
  readonly #parse: boolean;
  #done: Promise<void> | null = null;
  snapshots = 0;
  pulses = 0;
  bytes = 0;
  latest: TimedSnapshot | null = null;
  error: string | null = null;

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

  /** Resolves when the next event of any kind (snapshot or pulse, i.e. a poll ended) arrives. */
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
        for (const event of events) this.#dispatch(event, at);
      }
    } catch (error) {
      if (!this.#abort.signal.aborted) this.error = (error as Error).message;
    }
    if (!this.#abort.signal.aborted) this.error ??= 'the stream ended';
  }

  #dispatch(event: SseEvent, at: number): void {
    if (event.event === 'pulse') this.pulses += 1;
    if (event.event === 'pulse' || event.event === 'snapshot')
      for (const listener of [...this.#anyEvent]) listener();
    if (event.event !== 'snapshot') return;
    this.snapshots += 1;
    if (!this.#parse) return;
    const snapshot = { at, doc: JSON.parse(event.data) as StatusDocument };
    this.latest = snapshot;
    for (const listener of [...this.#listeners]) listener(snapshot);
  }
}
