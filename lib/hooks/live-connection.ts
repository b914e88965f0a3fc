// One EventSource per browser tab on GET /api/events, shared by every useClusterStatus: each
// event goes straight into SWR's cache, and the connection's state tells the hooks whether to
// poll instead (while it is down or not yet open). The stream's document is kept here, at its
// seq (the events' `id`): a `patch` or `pulse` applies only to the seq it names (`from`); a gap
// or a patch that does not apply opens a new stream, which starts with a fresh snapshot.
import { applyPatch, unescapePathComponent, type Operation } from 'fast-json-patch';
import type { ClusterStatus } from '@/lib/domain/types';
import { CLUSTER_STATUS_KEY } from './cluster-status-key';
import { applyPulse, type LivePulse } from '@/lib/domain/live-pulse';

export type LiveState = 'live' | 'polling' | 'connecting';

/** SWR's cache-bound mutate (useSWRConfig().mutate), reduced to what the stream needs. */
export type CacheMutate = (
  key: string,
  update: (current: ClusterStatus | undefined) => ClusterStatus | undefined,
  options: { revalidate: false },
) => unknown;

/** The part of a MessageEvent the connection reads. */
export type StreamEvent = Pick<MessageEvent<string>, 'data' | 'lastEventId'>;

/** The part of EventSource the connection uses (a fake in tests). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: StreamEvent) => void): void;
  close(): void;
}

export interface LiveConnectionOptions {
  url?: string;
  /** null when the browser has no EventSource: the hooks then simply poll. */
  createSource: (url: string) => EventSourceLike | null;
  /** Keep the stream this long after the last hook lets go (a page change remounts them all). */
  graceMs?: number;
  /** First wait before reopening a stream the browser gave up on; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

const CLOSED = 2;

function parse<T>(data: string): T | null {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && 'generatedAt' in value
      ? (value as T)
      : null;
  } catch {
    return null;
  }
}

const newer = (a: { generatedAt: string }, b: { generatedAt: string }) =>
  Date.parse(a.generatedAt) > Date.parse(b.generatedAt);

const RFC6902 = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function patchOf(data: string): { from: string; ops: Operation[] } | null {
  try {
    const value = JSON.parse(data) as { from?: unknown; ops?: unknown };
    const { from, ops } = value;
    return typeof from === 'string' && Array.isArray(ops)
      ? { from, ops: ops as Operation[] }
      : null;
  } catch {
    return null;
  }
}

const isContainer = (value: unknown): value is Record<string, unknown> | unknown[] =>
  typeof value === 'object' && value !== null;

/**
 * A copy of `doc` in which every object on the patch's paths is new (the rest shared), so the
 * library can apply the patch in place without touching the cached document.
 */
function copyAlong<T extends object>(doc: T, ops: readonly unknown[]): T {
  const copies = new Set<object>();
  const copy = <V extends object>(value: V): V => {
    const fresh = (Array.isArray(value) ? [...value] : { ...value }) as V;
    copies.add(fresh);
    return fresh;
  };
  const root = copy(doc);
  for (const op of ops) {
    if (!isContainer(op) || Array.isArray(op)) continue;
    // `test` and the source of `copy` only read.
    const writes = op.op === 'test' ? [] : op.op === 'copy' ? [op.path] : [op.path, op.from];
    for (const pointer of writes) {
      if (typeof pointer !== 'string' || !pointer.startsWith('/')) continue;
      const keys = pointer.split('/').slice(1).map(unescapePathComponent);
      let node: Record<string, unknown> = root as Record<string, unknown>;
      for (const key of keys.slice(0, -1)) {
        if (key === '__proto__' || !Object.prototype.hasOwnProperty.call(node, key)) break;
        const child = node[key];
        if (!isContainer(child)) break;
        node[key] = copies.has(child) ? child : copy(child);
        node = node[key] as Record<string, unknown>;
      }
    }
  }
  return root;
}

/** `doc` with the patch applied (validated), or null when it does not apply. `doc` is untouched. */
export function patched<T extends object>(doc: T, ops: readonly unknown[]): T | null {
  if (!ops.every((op) => isContainer(op) && RFC6902.has(String((op as { op?: unknown }).op))))
    return null;
  try {
    const result = applyPatch(copyAlong(doc, ops), ops as Operation[], true, true).newDocument;
    return isContainer(result) && !Array.isArray(result) ? result : null;
  } catch {
    return null;
  }
}

export class LiveConnection {
  readonly #url: string;
  readonly #createSource: LiveConnectionOptions['createSource'];
  readonly #graceMs: number;
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #listeners = new Set<() => void>();
  /** Cache writers by reference count: hooks under one SWR cache share its mutate. */
  readonly #writers = new Map<CacheMutate, number>();
  #state: LiveState = 'connecting';
  #source: EventSourceLike | null = null;
  #closeTimer: ReturnType<typeof setTimeout> | null = null;
  #reopenTimer: ReturnType<typeof setTimeout> | null = null;
  #failures = 0;
  /** The stream's document and its seq (null: waiting for a snapshot). */
  #doc: ClusterStatus | null = null;
  #seq: string | null = null;

  constructor(options: LiveConnectionOptions) {
    this.#url = options.url ?? '/api/events';
    this.#createSource = options.createSource;
    this.#graceMs = options.graceMs ?? 1000;
    this.#backoffMs = options.backoffMs ?? 2000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  get state(): LiveState {
    return this.#state;
  }

  /** For useSyncExternalStore: called on every state change. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  /** Feeds `mutate`'s cache from the stream until the returned release is called. */
  acquire(mutate: CacheMutate): () => void {
    this.#writers.set(mutate, (this.#writers.get(mutate) ?? 0) + 1);
    if (this.#closeTimer) clearTimeout(this.#closeTimer);
    this.#closeTimer = null;
    if (!this.#source && !this.#reopenTimer) this.#open();
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const count = (this.#writers.get(mutate) ?? 1) - 1;
      if (count > 0) this.#writers.set(mutate, count);
      else this.#writers.delete(mutate);
      if (this.#writers.size === 0) {
        this.#closeTimer = setTimeout(() => this.#close(), this.#graceMs);
      }
    };
  }

  #setState(state: LiveState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of [...this.#listeners]) listener();
  }

  #write(update: (current: ClusterStatus | undefined) => ClusterStatus | undefined): void {
    for (const mutate of this.#writers.keys())
      mutate(CLUSTER_STATUS_KEY, update, { revalidate: false });
  }

  #open(): void {
    this.#reopenTimer = null;
    const source = this.#createSource(this.#url);
    if (!source) return this.#setState('polling');
    this.#source = source;
    source.addEventListener('open', () => {
      if (this.#source !== source) return;
      this.#failures = 0;
      this.#setState('live');
    });
    source.addEventListener('snapshot', (event) => {
      const status = this.#source === source ? parse<ClusterStatus>(event.data) : null;
      if (status) this.#accept(status, event.lastEventId);
    });
    source.addEventListener('patch', (event) => {
      if (this.#source !== source) return;
      const patch = patchOf(event.data);
      const doc = patch && this.#doc && patch.from === this.#seq && patched(this.#doc, patch.ops);
      if (doc && typeof doc.generatedAt === 'string') this.#accept(doc, event.lastEventId);
      else this.#restart();
    });
    source.addEventListener('pulse', (event) => {
      if (this.#source !== source) return;
      const pulse = parse<LivePulse & { from?: unknown }>(event.data);
      if (pulse && this.#doc && pulse.from === this.#seq)
        this.#accept(applyPulse(this.#doc, pulse), event.lastEventId);
      else this.#restart();
    });
    source.addEventListener('error', () => {
      if (this.#source !== source) return;
      this.#setState('polling');
      // CONNECTING: the browser retries on its own. CLOSED: it gave up (an HTTP error, a
      // wrong content type); try again later, polling meanwhile.
      if (source.readyState !== CLOSED) return;
      source.close();
      this.#source = null;
      this.#doc = null;
      this.#seq = null;
      const delay = Math.min(this.#backoffMs * 2 ** this.#failures, this.#maxBackoffMs);
      this.#failures += 1;
      this.#reopenTimer = setTimeout(() => this.#open(), delay);
    });
  }

  /** The stream's new document (at seq `id`) into the cache, unless the cache holds a newer one. */
  #accept(doc: ClusterStatus, id: string): void {
    this.#doc = doc;
    this.#seq = id || null;
    this.#write((current) => (current && newer(current, doc) ? current : doc));
  }

  /**
   * A gap or a patch that does not apply: the document is in doubt. A new EventSource sends no
   * Last-Event-ID, so the server starts it with a fresh snapshot.
   */
  #restart(): void {
    this.#source?.close();
    this.#source = null;
    this.#doc = null;
    this.#seq = null;
    this.#open();
  }

  #close(): void {
    this.#closeTimer = null;
    if (this.#reopenTimer) clearTimeout(this.#reopenTimer);
    this.#reopenTimer = null;
    this.#source?.close();
    this.#source = null;
    this.#doc = null;
    this.#seq = null;
    this.#failures = 0;
    this.#setState('connecting');
  }
}

let shared: LiveConnection | null = null;

/** The tab's connection (created on first use; it opens only when a hook acquires it). */
export function liveConnection(): LiveConnection {
  shared ??= new LiveConnection({
    createSource: (url) => (typeof EventSource === 'undefined' ? null : new EventSource(url)),
  });
  return shared;
}
