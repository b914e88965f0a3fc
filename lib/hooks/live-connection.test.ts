import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildSnapshot, TEST_NOW } from '@/test/support/snapshot';
import type { ClusterStatus } from '@/lib/domain/types';
import { LiveConnection, type CacheMutate, type EventSourceLike } from './live-connection';
import { pulseOf } from '@/lib/domain/live-pulse';

class FakeEventSource implements EventSourceLike {
  readyState = 0;
  closed = false;
  readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data = '') {
    if (type === 'open') this.readyState = 1;
    for (const listener of this.listeners.get(type) ?? [])
      listener({ data } as MessageEvent<string>);
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

/** A one-key SWR cache stand-in. */
function fakeCache() {
  let value: ClusterStatus | undefined;
  const mutate = vi.fn<CacheMutate>((key, update) => {
    expect(key).toBe('/api/status');
    value = update(value);
  });
  return { mutate, get: () => value };
}

function setup() {
  const sources: FakeEventSource[] = [];
  const connection = new LiveConnection({
    createSource: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
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

  it('applies pulses to the cached snapshot', () => {
    const { connection, last } = setup();
    const cache = fakeCache();
    connection.acquire(cache.mutate);
    last()?.emit('pulse', JSON.stringify(pulseOf(buildSnapshot({ now: at(1) }))));
    expect(cache.get()).toBeUndefined(); // nothing to patch yet
    last()?.emit('snapshot', JSON.stringify(status(0)));
    last()?.emit('pulse', JSON.stringify(pulseOf(buildSnapshot({ now: at(2) }))));
    expect(cache.get()?.generatedAt).toBe(at(2));
    expect(cache.get()?.dtr.replicas[0]?.checkedAt).toBe(at(2));
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
