import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildSnapshot, TEST_NOW } from '@/test/support/snapshot';
import type { ClusterSnapshot, ClusterStatus, Warning } from '@/lib/domain/types';
import { StatusBroadcaster, type BroadcastFeed } from './broadcast';

class FakeMonitor implements BroadcastFeed {
  readonly listeners = new Set<(snapshot: ClusterSnapshot) => void>();
  current: ClusterSnapshot | null;
  constructor(first: ClusterSnapshot | null) {
    this.current = first;
  }
  latest() {
    return this.current;
  }
  subscribe(listener: (snapshot: ClusterSnapshot) => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  /** A poll: content changes reach subscribers, like Monitor does. */
  poll(snapshot: ClusterSnapshot, changed: boolean) {
    this.current = snapshot;
    if (changed) for (const listener of [...this.listeners]) listener(snapshot);
  }
}

const at = (seconds: number) => new Date(Date.parse(TEST_NOW) + seconds * 1000).toISOString();
const decoder = new TextDecoder();
const text = (chunks: Uint8Array[]) => chunks.map((c) => decoder.decode(c));

function setup(first: ClusterSnapshot | null = buildSnapshot()) {
  const monitor = new FakeMonitor(first);
  let warnings: Warning[] = [];
  const toStatus = vi.fn((snapshot: ClusterSnapshot): ClusterStatus => ({ ...snapshot, warnings }));
  const broadcaster = new StatusBroadcaster({ feed: monitor, toStatus });
  const setWarnings = (next: Warning[]) => (warnings = next);
  return { monitor, toStatus, broadcaster, setWarnings };
}

function eventData(chunk: string): unknown {
  const data = chunk.split('\n').find((line) => line.startsWith('data: '));
  return JSON.parse(data?.slice('data: '.length) ?? 'null');
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('StatusBroadcaster', () => {
  it('with 200 browsers, assesses and serialises each change once and sends them the same bytes', () => {
    const { monitor, toStatus, broadcaster } = setup();
    const received = Array.from({ length: 200 }, () => [] as Uint8Array[]);
    const disconnects = received.map((chunks) => broadcaster.connect((c) => chunks.push(c)));
    expect(toStatus).toHaveBeenCalledTimes(1);
    expect(monitor.listeners.size).toBe(1);

    const stopped = buildSnapshot({ now: at(2), replicas: ['unreachable', 'healthy', 'healthy'] });
    monitor.poll(stopped, true);
    expect(toStatus).toHaveBeenCalledTimes(2);
    for (const chunks of received) {
      expect(chunks).toHaveLength(2);
      expect(chunks[1]).toBe(received[0]?.[1]);
    }
    const event = text(received[0] ?? [])[1] ?? '';
    expect(event.startsWith('event: snapshot\ndata: ')).toBe(true);
    expect(event.endsWith('\n\n')).toBe(true);
    expect(eventData(event)).toMatchObject({
      generatedAt: at(2),
      dtr: { quorum: { healthy: 2 } },
      warnings: [],
    });

    for (const disconnect of disconnects) disconnect();
    expect(monitor.listeners.size).toBe(0);
    expect(broadcaster.clientCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a disconnected browser gets nothing more; disconnecting twice is harmless', () => {
    const { monitor, broadcaster } = setup();
    const gone: Uint8Array[] = [];
    const stays: Uint8Array[] = [];
    const disconnect = broadcaster.connect((c) => gone.push(c));
    broadcaster.connect((c) => stays.push(c));
    disconnect();
    disconnect();
    expect(broadcaster.clientCount).toBe(1);
    expect(monitor.listeners.size).toBe(1);
    monitor.poll(buildSnapshot({ now: at(2), replicas: ['unreachable'] }), true);
    expect(gone).toHaveLength(1);
    expect(stays).toHaveLength(2);
  });

  it('a poll without a change sends a pulse with its times, not the snapshot', () => {
    const { monitor, toStatus, broadcaster } = setup();
    const chunks: Uint8Array[] = [];
    broadcaster.connect((c) => chunks.push(c));
    monitor.poll(buildSnapshot({ now: at(2) }), false);
    vi.advanceTimersByTime(1000);
    const pulse = text(chunks)[1] ?? '';
    expect(pulse.startsWith('event: pulse\n')).toBe(true);
    expect(eventData(pulse)).toMatchObject({ generatedAt: at(2) });
    vi.advanceTimersByTime(1000);
    expect(chunks).toHaveLength(2); // nothing new polled
    expect(toStatus).toHaveBeenCalledTimes(2);
  });

  it('when time alone changes the warnings, the pulse becomes a whole snapshot', () => {
    const { monitor, broadcaster, setWarnings } = setup();
    const chunks: Uint8Array[] = [];
    broadcaster.connect((c) => chunks.push(c));
    setWarnings([
      {
        code: 'DTR_REPLICA_OFFLINE_LONG',
        severity: 'warning',
        title: 'Offline for long',
        detail: '',
        nextStep: '',
        subjects: [],
      },
    ]);
    monitor.poll(buildSnapshot({ now: at(2) }), false);
    vi.advanceTimersByTime(1000);
    const event = text(chunks)[1] ?? '';
    expect(event.startsWith('event: snapshot\n')).toBe(true);
    expect(eventData(event)).toMatchObject({ warnings: [{ code: 'DTR_REPLICA_OFFLINE_LONG' }] });
  });

  it('sends a keep-alive comment every 15 s', () => {
    const { broadcaster } = setup();
    const chunks: Uint8Array[] = [];
    broadcaster.connect((c) => chunks.push(c));
    vi.advanceTimersByTime(15_000);
    expect(text(chunks).filter((c) => c === ': keep-alive\n\n')).toHaveLength(1);
  });

  it('with no snapshot yet, a browser gets the first one the monitor produces', () => {
    const { monitor, broadcaster } = setup(null);
    const chunks: Uint8Array[] = [];
    broadcaster.connect((c) => chunks.push(c));
    expect(chunks).toHaveLength(0);
    monitor.poll(buildSnapshot(), false);
    vi.advanceTimersByTime(1000);
    expect(text(chunks)[0]?.startsWith('event: snapshot\n')).toBe(true);
  });
});

describe('StatusBroadcaster.stream', () => {
  async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
    const { value, done } = await reader.read();
    return done ? '<done>' : decoder.decode(value);
  }

  it('asks for a 2 s retry, sends the snapshot, and on abort closes and leaves nothing behind', async () => {
    const { monitor, broadcaster } = setup();
    const abort = new AbortController();
    const reader = broadcaster.stream(abort.signal).getReader();
    expect(await readChunk(reader)).toBe('retry: 2000\n\n');
    expect(await readChunk(reader)).toMatch(/^event: snapshot\n/);
    monitor.poll(buildSnapshot({ now: at(2), replicas: ['unreachable'] }), true);
    expect(eventData(await readChunk(reader))).toMatchObject({ generatedAt: at(2) });

    abort.abort();
    expect(await readChunk(reader)).toBe('<done>');
    expect(broadcaster.clientCount).toBe(0);
    expect(monitor.listeners.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('disconnects when the reader cancels (the browser went away)', async () => {
    const { monitor, broadcaster } = setup();
    const abort = new AbortController();
    const reader = broadcaster.stream(abort.signal).getReader();
    await readChunk(reader);
    await reader.cancel();
    expect(broadcaster.clientCount).toBe(0);
    expect(monitor.listeners.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    abort.abort(); // after cancel: nothing to do, nothing thrown
  });

  it('ends the stream at closeAt (the session expiry)', async () => {
    const { broadcaster } = setup();
    const reader = broadcaster
      .stream(new AbortController().signal, { closeAt: Date.now() + 60_000 })
      .getReader();
    await readChunk(reader);
    await readChunk(reader);
    vi.advanceTimersByTime(60_000);
    let chunk = await readChunk(reader);
    while (chunk === ': keep-alive\n\n') chunk = await readChunk(reader);
    expect(chunk).toBe('<done>');
    expect(broadcaster.clientCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an already aborted request gets an empty, closed stream', async () => {
    const { broadcaster } = setup();
    const abort = new AbortController();
    abort.abort();
    expect(await readChunk(broadcaster.stream(abort.signal).getReader())).toBe('<done>');
    expect(broadcaster.clientCount).toBe(0);
  });

  it('drops a browser that stops reading once it is far behind', async () => {
    const monitor = new FakeMonitor(buildSnapshot());
    const broadcaster = new StatusBroadcaster({
      feed: monitor,
      toStatus: (snapshot) => ({ ...snapshot, warnings: [] }),
      maxQueuedBytes: 20_000,
    });
    const stream = broadcaster.stream(new AbortController().signal);
    for (let i = 1; i <= 20 && broadcaster.clientCount > 0; i++) {
      monitor.poll(buildSnapshot({ now: at(i), replicas: i % 2 ? ['unreachable'] : [] }), true);
    }
    expect(broadcaster.clientCount).toBe(0);
    expect(monitor.listeners.size).toBe(0);
    await expect(stream.getReader().read()).rejects.toThrow(/too far behind/);
  });
});
