import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildSnapshot, TEST_NOW } from '@/test/support/snapshot';
import type { ClusterStatus } from '@/lib/domain/types';
import { compare } from 'fast-json-patch';
import {
  LiveConnection,
  type CacheMutate,
  type EventSourceLike,
  type LiveConnectionOptions,
  type Patcher,
  type StreamEvent,
} from './live-connection';
import { applyPulse, pulseOf } from '@/lib/domain/live-pulse';
import { patched } from '@/lib/domain/json-patch';

class FakeEventSource implements EventSourceLike {
  readyState = 0;
  closed = false;
  /** The browser's last event ID buffer: kept until an event sets another. */
  lastEventId = '';
  readonly listeners = new Map<string, ((event: StreamEvent) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: StreamEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data = '', id?: string) {
    if (type === 'open') this.readyState = 1;
    if (id !== undefined) this.lastEventId = id;
    for (const listener of this.listeners.get(type) ?? [])
      listener({ data, lastEventId: this.lastEventId });
  }
  fail(readyState: 0 | 2) {
    this.readyState = readyState;
    this.emit('error');
  }
}

const at = (seconds: number) => new Date(Date.parse(TEST_NOW) + seconds * 1000).toISOString();
const status = (seconds: number, spec = {}): ClusterStatus => ({
  ...buildSnapshot({ now: at(seconds), ...spec }),
  warnings: [],
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** A one-key SWR cache stand-in. */
function fakeCache() {
  let value: ClusterStatus | undefined;
  const mutate = vi.fn<CacheMutate>((key, update) => {
    expect(key).toBe('/api/status');
    value = update(value);
  });
  return { mutate, get: () => value };
}

function setup(loadPatcher: LiveConnectionOptions['loadPatcher'] = () => patched) {
  const sources: FakeEventSource[] = [];
  const connection = new LiveConnection({
    createSource: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    loadPatcher,
  });
  const states: string[] = [];
  connection.subscribe(() => states.push(connection.state));
  return { connection, sources, states, last: () => sources[sources.length - 1] };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LiveConnection', () => {
  it('opens one stream for every hook in the tab and closes it after the last lets go', () => {
    const { connection, sources } = setup();
    const cache = fakeCache();
    const releases = Array.from({ length: 5 }, () => connection.acquire(cache.mutate));
    expect(sources).toHaveLength(1);
    expect(sources[0]?.url).toBe('/api/events');
    for (const release of releases.slice(1)) release();
    vi.advanceTimersByTime(5000);
    expect(sources[0]?.closed).toBe(false);
    releases[0]?.();
    releases[0]?.(); // twice is harmless
    vi.advanceTimersByTime(999);
    expect(sources[0]?.closed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(sources[0]?.closed).toBe(true);
    expect(connection.state).toBe('connecting');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a page change (release, then acquire) keeps the same stream', () => {
    const { connection, sources } = setup();
    const cache = fakeCache();
    connection.acquire(cache.mutate)();
    connection.acquire(cache.mutate);
    vi.advanceTimersByTime(10_000);
    expect(sources).toHaveLength(1);
    expect(sources[0]?.closed).toBe(false);
  });

  it('writes each snapshot into the cache once per cache, whatever the number of hooks', () => {
    const { connection, last } = setup();
    const cache = fakeCache();
    const other = fakeCache();
    connection.acquire(cache.mutate);
    connection.acquire(cache.mutate);
    connection.acquire(other.mutate);
    last()?.emit('open');
    const stopped = status(2, { replicas: ['unreachable', 'healthy', 'healthy'] });
    last()?.emit('snapshot', JSON.stringify(stopped));
    expect(cache.mutate).toHaveBeenCalledTimes(1);
    expect(cache.mutate.mock.calls[0]?.[2]).toEqual({ revalidate: false });
    expect(other.mutate).toHaveBeenCalledTimes(1);
    expect(cache.get()?.dtr.quorum.healthy).toBe(2);
  });

  it('never replaces a newer snapshot with an older one, and ignores garbage', () => {
    const { connection, last } = setup();
    const cache = fakeCache();
    connection.acquire(cache.mutate);
    last()?.emit('snapshot', JSON.stringify(status(10)));
    last()?.emit('snapshot', JSON.stringify(status(4, { replicas: ['unreachable'] })));
    last()?.emit('snapshot', '{not json');
    last()?.emit('snapshot', '42');
    expect(cache.get()?.generatedAt).toBe(at(10));
    expect(cache.get()?.dtr.replicas).toHaveLength(3);
  });

  it('applies pulses to the document at the seq they name', () => {
    const { connection, last } = setup();
    const cache = fakeCache();
    connection.acquire(cache.mutate);
    last()?.emit('snapshot', JSON.stringify(status(0)), 'e-1');
    const pulse = (seconds: number, from: string) =>
      JSON.stringify({ from, ...pulseOf(buildSnapshot({ now: at(seconds) })) });
    last()?.emit('pulse', pulse(2, 'e-1'), 'e-2');
    expect(cache.get()?.generatedAt).toBe(at(2));
    expect(cache.get()?.dtr.replicas[0]?.checkedAt).toBe(at(2));
    last()?.emit('pulse', pulse(4, 'e-2'), 'e-3');
    expect(cache.get()?.generatedAt).toBe(at(4));
  });

  it('applies a patch to the document it holds, leaving the cached object untouched', () => {
    const { connection, sources, last } = setup();
    const cache = fakeCache();
    connection.acquire(cache.mutate);
    const before = status(0);
    last()?.emit('snapshot', JSON.stringify(before), 'e-1');
    const cached = deepFreeze(cache.get());
    const after = status(2, { replicas: ['unreachable', 'healthy', 'healthy'] });
    const ops = compare(before, JSON.parse(JSON.stringify(after)) as object);
    last()?.emit('patch', JSON.stringify({ from: 'e-1', ops }), 'e-2');
    expect(cache.get()).toStrictEqual(JSON.parse(JSON.stringify(after)));
    expect(cache.get()?.dtr.quorum.healthy).toBe(2);
    expect(cached?.dtr.quorum.healthy).toBe(3);
    // What the patch did not touch is shared, so memoised views of it stay valid.
    expect(cache.get()?.ucp.nodes[5]).toBe(cached?.ucp.nodes[5]);
    expect(sources).toHaveLength(1);
  });

  it("applies a patch's pulse first, then its operations", () => {
    const { connection, last } = setup();
    const cache = fakeCache();
    connection.acquire(cache.mutate);
    last()?.emit('snapshot', JSON.stringify(status(0)), 'e-1');
    const pulse = pulseOf(buildSnapshot({ now: at(2) }));
    const timed = JSON.parse(JSON.stringify(status(0))) as ClusterStatus;
    const after = status(2, { replicas: ['unreachable', 'healthy', 'healthy'] });
    const ops = compare(applyPulse(timed, pulse), JSON.parse(JSON.stringify(after)) as object);
    last()?.emit('patch', JSON.stringify({ from: 'e-1', pulse, ops }), 'e-2');
    expect(cache.get()).toStrictEqual(JSON.parse(JSON.stringify(after)));
    expect(ops.some((op) => op.path === '/generatedAt')).toBe(false); // the pulse moved it
  });

  it('on a gap in the seq, drops the stream and opens a new one (a fresh snapshot)', () => {
    const { connection, sources, last } = setup();
    const cache = fakeCache();
    connection.acquire(cache.mutate);
    last()?.emit('open');
    last()?.emit('snapshot', JSON.stringify(status(0)), 'e-1');
    const ops = compare(status(0), status(4));
    last()?.emit('patch', JSON.stringify({ from: 'e-2', ops }), 'e-3');
    expect(sources).toHaveLength(2);
    expect(sources[0]?.closed).toBe(true);
    expect(cache.get()?.generatedAt).toBe(at(0));
    // The old stream's late events change nothing; the new one's snapshot is taken as is.
    sources[0]?.emit('snapshot', JSON.stringify(status(9)), 'e-9');
    last()?.emit('snapshot', JSON.stringify(status(4)), 'f-1');
    expect(cache.get()?.generatedAt).toBe(at(4));
    last()?.emit('pulse', JSON.stringify({ from: 'e-1', ...pulseOf(buildSnapshot()) }), 'f-2');
    expect(sources).toHaveLength(3); // a pulse out of sequence is a gap too
    expect(connection.state).toBe('live');
  });

  it('a patch that does not apply leaves the document as it was and fetches a fresh snapshot', () => {
    const { connection, sources, last } = setup();
    const cache = fakeCache();
    connection.acquire(cache.mutate);
    last()?.emit('snapshot', JSON.stringify(status(0)), 'e-1');
    const held = cache.get();
    const bad = [
      { from: 'e-1', ops: [{ op: 'replace', path: '/dtr/nope/x', value: 1 }] },
      { from: 'e-1', ops: [{ op: 'remove', path: '/generatedAt' }] }, // no longer a status
      { from: 'e-1', ops: [{ op: '_get', path: '/dtr' }] },
      { from: 'e-1', ops: [{ op: 'add', path: '/__proto__/polluted', value: true }] },
      { from: 'e-1', ops: 'replace' },
      { ops: [] },
    ];
    for (const [i, data] of [...bad.map((b) => JSON.stringify(b)), '{not json'].entries()) {
      if (i > 0) last()?.emit('snapshot', JSON.stringify(status(0)), 'e-1');
      // A valid first operation must not stay applied when a later one fails.
      const ops = (data.startsWith('{"from"') ? JSON.parse(data) : {}) as { ops?: unknown };
      const withGood = Array.isArray(ops.ops)
        ? JSON.stringify({
            ...JSON.parse(data),
            ops: [{ op: 'replace', path: '/mode', value: 'live' }, ...ops.ops],
          })
        : data;
      last()?.emit('patch', withGood, 'e-2');
      expect(sources).toHaveLength(i + 2);
      expect(cache.get()).toStrictEqual(held);
      expect(cache.get()?.mode).toBe('demo');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("the browser's own reconnect keeps the document: events after it apply to the same seq", () => {
    const { connection, sources, last } = setup();
    const cache = fakeCache();
    connection.acquire(cache.mutate);
    last()?.emit('open');
    last()?.emit('snapshot', JSON.stringify(status(0)), 'e-1');
    last()?.fail(0); // EventSource reconnects by itself, sending Last-Event-ID: e-1
    last()?.emit('open');
    const ops = compare(status(0), status(2, { replicas: ['unreachable', 'healthy', 'healthy'] }));
    last()?.emit('patch', JSON.stringify({ from: 'e-1', ops }), 'e-2');
    expect(sources).toHaveLength(1);
    expect(cache.get()?.dtr.quorum.healthy).toBe(2);
  });

  it('is live while open, polling while the browser reconnects, live again after', () => {
    const { connection, sources, states, last } = setup();
    connection.acquire(fakeCache().mutate);
    expect(connection.state).toBe('connecting');
    last()?.emit('open');
    expect(connection.state).toBe('live');
    last()?.fail(0);
    expect(connection.state).toBe('polling');
    last()?.emit('open');
    expect(connection.state).toBe('live');
    expect(states).toEqual(['live', 'polling', 'live']);
    expect(sources).toHaveLength(1);
  });

  it('when the browser gives up, polls and reopens later with a growing delay', () => {
    const { connection, sources, last } = setup();
    connection.acquire(fakeCache().mutate);
    last()?.fail(2);
    expect(connection.state).toBe('polling');
    expect(sources[0]?.closed).toBe(true);
    vi.advanceTimersByTime(2000);
    expect(sources).toHaveLength(2);
    last()?.fail(2);
    vi.advanceTimersByTime(2000);
    expect(sources).toHaveLength(2);
    vi.advanceTimersByTime(2000);
    expect(sources).toHaveLength(3);
    last()?.emit('open');
    expect(connection.state).toBe('live');
    last()?.fail(2);
    vi.advanceTimersByTime(2000); // a success resets the delay
    expect(sources).toHaveLength(4);
  });

  it('fetches the patch code when a stream opens; events that overtake it apply in order after', async () => {
    let arrive: (patcher: Patcher) => void = () => {};
    const loader = vi.fn(() => new Promise<Patcher>((resolve) => (arrive = resolve)));
    const { connection, sources, last } = setup(loader);
    const cache = fakeCache();
    connection.acquire(cache.mutate);
    expect(loader).toHaveBeenCalledTimes(1); // before any patch: the stream starts with a snapshot
    last()?.emit('open');
    const before = status(0);
    last()?.emit('snapshot', JSON.stringify(before), 'e-1');
    expect(cache.get()?.generatedAt).toBe(at(0));
    const after = status(2, { replicas: ['unreachable', 'healthy', 'healthy'] });
    const ops = compare(before, JSON.parse(JSON.stringify(after)) as object);
    last()?.emit('patch', JSON.stringify({ from: 'e-1', ops }), 'e-2');
    last()?.emit(
      'pulse',
      JSON.stringify({ from: 'e-2', ...pulseOf(buildSnapshot({ now: at(4) })) }),
      'e-3',
    );
    // Waiting for the code: the page keeps the snapshot, and the pulse waits behind the patch.
    expect(cache.get()?.generatedAt).toBe(at(0));
    arrive(patched);
    await vi.waitFor(() => expect(cache.get()?.generatedAt).toBe(at(4)));
    expect(cache.get()?.dtr.quorum.healthy).toBe(2);
    expect(sources).toHaveLength(1);
    // Once here, patches apply at once.
    const later = compare(cache.get() as object, JSON.parse(JSON.stringify(status(4))) as object);
    last()?.emit('patch', JSON.stringify({ from: 'e-3', ops: later }), 'e-4');
    expect(cache.get()?.dtr.quorum.healthy).toBe(3);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('when the patch code cannot be fetched, polls and fetches it again with the next stream', async () => {
    const loader = vi
      .fn<() => Promise<Patcher>>()
      .mockRejectedValueOnce(new Error('ChunkLoadError'))
      .mockResolvedValue(patched);
    const { connection, sources, last } = setup(loader);
    const cache = fakeCache();
    connection.acquire(cache.mutate);
    last()?.emit('open');
    last()?.emit('snapshot', JSON.stringify(status(0)), 'e-1');
    const ops = compare(status(0), status(2, { replicas: ['unreachable', 'healthy', 'healthy'] }));
    last()?.emit('patch', JSON.stringify({ from: 'e-1', ops }), 'e-2');
    await vi.waitFor(() => expect(connection.state).toBe('polling'));
    expect(sources[0]?.closed).toBe(true);
    expect(cache.get()?.dtr.quorum.healthy).toBe(3); // the last document it could read
    vi.advanceTimersByTime(2000);
    expect(sources).toHaveLength(2);
    expect(loader).toHaveBeenCalledTimes(2);
    last()?.emit('open');
    last()?.emit('snapshot', JSON.stringify(status(0)), 'f-1');
    last()?.emit('patch', JSON.stringify({ from: 'f-1', ops }), 'f-2');
    await vi.waitFor(() => expect(cache.get()?.dtr.quorum.healthy).toBe(2));
    expect(sources).toHaveLength(2);
    expect(connection.state).toBe('live');
  });

  it('events from a stream it already closed change nothing', () => {
    const { connection, last } = setup();
    const cache = fakeCache();
    const release = connection.acquire(cache.mutate);
    const old = last();
    release();
    vi.advanceTimersByTime(1000);
    old?.emit('open');
    old?.emit('snapshot', JSON.stringify(status(1)));
    expect(connection.state).toBe('connecting');
    expect(cache.mutate).not.toHaveBeenCalled();
  });

  it('without EventSource, says polling', () => {
    const connection = new LiveConnection({ createSource: () => null });
    connection.acquire(fakeCache().mutate);
    expect(connection.state).toBe('polling');
  });
});
