// One EventSource per browser tab on GET /api/events, shared by every useClusterStatus: each
// event goes straight into SWR's cache, and the connection's state tells the hooks whether to
// poll instead (while it is down or not yet open). The stream's document is kept here, at its
// seq (the events' `id`): a `patch` or `pulse` applies only to the seq it names (`from`); a gap
// or a patch that does not apply opens a new stream, which starts with a fresh snapshot.
// The patch code (fast-json-patch) is not part of the page's first load: a stream starts with a
// snapshot, so it is fetched when the stream opens, and events wait for it only if a patch
// overtakes it.
import type { ClusterStatus } from '@/lib/domain/types';
import { clusterUrl } from './cluster-url';
import { CLUSTER_STATUS_KEY } from './cluster-status-key';
import { applyPulse, type LivePulse, type PatchEventData } from '@/lib/domain/live-pulse';
import type { Operation } from '@/lib/domain/json-patch';

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
  /**
   * The RFC 6902 patcher (lib/domain/json-patch.ts's `patched`); by default a dynamic import,
   * started when a stream opens. A function returned as is is used at once (tests).
   */
  loadPatcher?: () => Patcher | Promise<Patcher>;
}

/** `doc` with `ops` applied, `doc` unchanged; null when they do not apply. */
export type Patcher = (doc: ClusterStatus, ops: readonly unknown[]) => ClusterStatus | null;

const importPatcher = (): Promise<Patcher> =>
  import('@/lib/domain/json-patch').then((module) => module.patched);

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

function patchOf(data: string): PatchEventData | null {
  try {
    const value = JSON.parse(data) as Partial<Record<keyof PatchEventData, unknown>>;
    const { from, ops, pulse } = value;
    if (typeof from !== 'string' || !Array.isArray(ops)) return null;
    if (pulse !== undefined && (typeof pulse !== 'object' || pulse === null)) return null;
    return { from, ops: ops as Operation[], ...(pulse ? { pulse: pulse as LivePulse } : {}) };
  } catch {
    return null;
  }
}

/** A `patch` event's document: its pulse's times applied, then its operations (null: they do not apply). */
function afterPatch(
  doc: ClusterStatus,
  patch: PatchEventData,
  patched: Patcher,
): ClusterStatus | null {
  const timed = patch.pulse ? applyPulse(doc, patch.pulse) : doc;
  const result = patched(timed, patch.ops);
  return result && typeof result.generatedAt === 'string' ? result : null;
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
  readonly #loadPatcher: () => Patcher | Promise<Patcher>;
  #patcher: Patcher | null = null;
  #patcherLoad: Promise<void> | null = null;
  /** Stream events that arrived behind a patch waiting for the patcher, in order (null: none). */
  #held: (() => void)[] | null = null;

  constructor(options: LiveConnectionOptions) {
    this.#url = options.url ?? '/api/events';
    this.#createSource = options.createSource;
    this.#graceMs = options.graceMs ?? 1000;
    this.#backoffMs = options.backoffMs ?? 2000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.#loadPatcher = options.loadPatcher ?? importPatcher;
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
    this.#preparePatcher();
    source.addEventListener('open', () => {
      if (this.#source !== source) return;
      this.#failures = 0;
      this.#setState('live');
    });
    // Snapshots, patches and pulses apply in the order they came, also while a patch waits.
    source.addEventListener('snapshot', (event) =>
      this.#inOrder(() => {
        const status = this.#source === source ? parse<ClusterStatus>(event.data) : null;
        if (status) this.#accept(status, event.lastEventId);
      }),
    );
    source.addEventListener('patch', (event) => this.#inOrder(() => this.#onPatch(source, event)));
    source.addEventListener('pulse', (event) =>
      this.#inOrder(() => {
        if (this.#source !== source) return;
        const pulse = parse<LivePulse & { from?: unknown }>(event.data);
        if (pulse && this.#doc && pulse.from === this.#seq)
          this.#accept(applyPulse(this.#doc, pulse), event.lastEventId);
        else this.#restart();
      }),
    );
    source.addEventListener('error', () => {
      if (this.#source !== source) return;
      this.#setState('polling');
      // CONNECTING: the browser retries on its own. CLOSED: it gave up (an HTTP error, a
      // wrong content type); try again later, polling meanwhile.
      if (source.readyState === CLOSED) this.#giveUp(source);
    });
  }

  /** Drops `source` and reopens later with a growing delay; the hooks poll meanwhile. */
  #giveUp(source: EventSourceLike): void {
    source.close();
    this.#source = null;
    this.#doc = null;
    this.#seq = null;
    this.#setState('polling');
    const delay = Math.min(this.#backoffMs * 2 ** this.#failures, this.#maxBackoffMs);
    this.#failures += 1;
    this.#reopenTimer = setTimeout(() => this.#open(), delay);
  }

  #onPatch(source: EventSourceLike, event: StreamEvent): void {
    if (this.#source !== source) return;
    const patcher = this.#patcher;
    if (!patcher) {
      // The patcher is still on its way: this and every later event wait for it.
      (this.#held ??= []).push(() => this.#onPatch(source, event));
      return;
    }
    const patch = patchOf(event.data);
    const doc =
      patch && this.#doc && patch.from === this.#seq && afterPatch(this.#doc, patch, patcher);
    if (doc) this.#accept(doc, event.lastEventId);
    else this.#restart();
  }

  /** Runs `handle` now, or after the events held before it. */
  #inOrder(handle: () => void): void {
    if (this.#held) this.#held.push(handle);
    else handle();
  }

  /** Fetches the patcher once (again after a failed fetch), so it is here by the first patch. */
  #preparePatcher(): void {
    if (this.#patcher || this.#patcherLoad) return;
    const loaded = this.#loadPatcher();
    if (typeof loaded === 'function') {
      this.#patcher = loaded;
      return;
    }
    this.#patcherLoad = loaded.then(
      (patcher) => {
        this.#patcher = patcher;
        const held = this.#held ?? [];
        this.#held = null;
        for (const handle of held) this.#inOrder(handle);
      },
      () => {
        // The code could not be fetched (offline, a new deployment): drop what waited and
        // poll; the stream reopens later and fetches the code again.
        this.#patcherLoad = null;
        const waited = this.#held !== null;
        this.#held = null;
        if (waited && this.#source) this.#giveUp(this.#source);
      },
    );
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

const shared = new Map<string, LiveConnection>();

/**
 * The tab's connection to the current page's cluster (created on first use; it opens only when
 * a hook acquires it). A fleet console's tab keeps one per cluster it has shown.
 */
export function liveConnection(): LiveConnection {
  const url = clusterUrl('/api/events');
  let connection = shared.get(url);
  if (!connection) {
    connection = new LiveConnection({
      url,
      createSource: (source) =>
        typeof EventSource === 'undefined' ? null : new EventSource(source),
    });
    shared.set(url, connection);
  }
  return connection;
}
