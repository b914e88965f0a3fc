import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { applyPatch, type Operation } from 'fast-json-patch';
import { buildSnapshot, TEST_NOW } from '@/test/support/snapshot';
import type { ClusterSnapshot, ClusterStatus, MemberStatus, Warning } from '@/lib/domain/types';
import { applyPulse, type LivePulse, type PatchEventData } from '@/lib/domain/live-pulse';
import { StatusBroadcaster, type BroadcastFeed, type BroadcasterOptions } from './broadcast';

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

function setup(
  first: ClusterSnapshot | null = buildSnapshot(),
  options: Partial<BroadcasterOptions> = {},
) {
  const monitor = new FakeMonitor(first);
  let warnings: Warning[] = [];
  const toStatus = vi.fn((snapshot: ClusterSnapshot): ClusterStatus => ({ ...snapshot, warnings }));
  const broadcaster = new StatusBroadcaster({ feed: monitor, toStatus, ...options });
  const setWarnings = (next: Warning[]) => (warnings = next);
  return { monitor, toStatus, broadcaster, setWarnings };
}

const ONE_DOWN: MemberStatus[] = ['unreachable', 'healthy', 'healthy'];

const OFFLINE_LONG: Warning = {
  code: 'DTR_REPLICA_OFFLINE_LONG',
  severity: 'warning',
  title: 'Offline for long',
  detail: '',
  nextStep: '',
  subjects: [],
};

function eventData(chunk: string): unknown {
  const data = chunk.split('\n').find((line) => line.startsWith('data: '));
  return JSON.parse(data?.slice('data: '.length) ?? 'null');
}

interface Parsed {
  id: string;
  event: string;
  data: unknown;
}

function parseEvent(chunk: string): Parsed {
  const field = (name: string) =>
    chunk
      .split('\n')
      .find((line) => line.startsWith(`${name}: `))
      ?.slice(name.length + 2) ?? '';
  return { id: field('id'), event: field('event'), data: eventData(chunk) };
}

/** The client's side, as lib/hooks/live-connection.ts does it: the document at its seq. */
class Viewer {
  doc: ClusterStatus | null = null;
  seq: string | null = null;
  readonly kinds: string[] = [];
  bytes = 0;
  receive = (chunk: Uint8Array) => {
    this.bytes += chunk.byteLength;
    const text = decoder.decode(chunk);
    if (text.startsWith(':') || text.startsWith('retry:')) return;
    const { id, event, data } = parseEvent(text);
    this.kinds.push(event);
    if (event === 'snapshot') this.doc = data as ClusterStatus;
    else {
      const { from, ops, pulse, ...times } = data as PatchEventData;
      if (!this.doc || from !== this.seq) throw new Error(`gap: holds ${this.seq}, got ${from}`);
      if (event === 'patch') {
        const timed = pulse ? applyPulse(this.doc, pulse) : this.doc;
        this.doc = applyPatch(timed, ops, true, false).newDocument;
      } else this.doc = applyPulse(this.doc, times as unknown as LivePulse);
    }
    this.seq = id;
  };
}

/** What a viewer connecting now receives: the current document. */
function freshDocument(broadcaster: StatusBroadcaster): ClusterStatus | null {
  const fresh = new Viewer();
  broadcaster.connect(fresh.receive)();
  return fresh.doc;
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
      expect(chunks[0]).toBe(received[0]?.[0]);
      expect(chunks[1]).toBe(received[0]?.[1]);
    }
    const [first, change] = text(received[0] ?? []).map(parseEvent);
    expect(first).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{12}-1$/),
      event: 'snapshot',
    });
    expect(change?.event).toBe('patch');
    expect(change?.id).toBe(first?.id.replace(/-1$/, '-2'));
    const { from, ops, pulse } = change?.data as PatchEventData;
    expect(from).toBe(first?.id);
    // The pulse's times and then the operations turn the first document into exactly the new one.
    expect(pulse?.generatedAt).toBe(at(2));
    const timed = applyPulse(first?.data as ClusterStatus, pulse!);
    const after = applyPatch(timed, ops, true, false).newDocument;
    expect(after).toStrictEqual(JSON.parse(JSON.stringify({ ...stopped, warnings: [] })));
    expect(after).toMatchObject({ generatedAt: at(2), dtr: { quorum: { healthy: 2 } } });
    expect(text(received[0] ?? [])[1]?.endsWith('\n\n')).toBe(true);

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
    const [snapshot, pulse] = text(chunks).map(parseEvent);
    expect(pulse).toMatchObject({
      event: 'pulse',
      id: expect.stringMatching(/-2$/),
      data: { from: snapshot?.id, generatedAt: at(2) },
    });
    vi.advanceTimersByTime(1000);
    expect(chunks).toHaveLength(2); // nothing new polled
    expect(toStatus).toHaveBeenCalledTimes(2);
  });

  it('when time alone changes the warnings, the pulse becomes a patch carrying them', () => {
    const { monitor, broadcaster, setWarnings } = setup();
    const viewer = new Viewer();
    broadcaster.connect(viewer.receive);
    setWarnings([OFFLINE_LONG]);
    monitor.poll(buildSnapshot({ now: at(2) }), false);
    vi.advanceTimersByTime(1000);
    expect(viewer.kinds).toEqual(['snapshot', 'patch']);
    expect(viewer.doc).toMatchObject({ warnings: [{ code: 'DTR_REPLICA_OFFLINE_LONG' }] });
    expect(viewer.doc).toStrictEqual(freshDocument(broadcaster));
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
    expect(parseEvent(text(chunks)[0] ?? '').event).toBe('snapshot');
  });

  it('a browser back with the current Last-Event-ID gets nothing again; a few events behind, just those', () => {
    const { monitor, broadcaster } = setup();
    const viewer = new Viewer();
    const leave = broadcaster.connect(viewer.receive);
    monitor.poll(buildSnapshot({ now: at(2), replicas: ONE_DOWN }), true);
    leave();

    const again: Uint8Array[] = [];
    broadcaster.connect((c) => again.push(c), viewer.seq);
    expect(again).toHaveLength(0);

    // Gone while a change and a quiet poll went out (to the other browser still watching).
    const behind = viewer.seq;
    monitor.poll(buildSnapshot({ now: at(4) }), true);
    monitor.poll(buildSnapshot({ now: at(6) }), false);
    vi.advanceTimersByTime(1000);
    const back: Uint8Array[] = [];
    broadcaster.connect((c) => {
      back.push(c);
      viewer.receive(c);
    }, behind);
    expect(text(back).map((c) => parseEvent(c).event)).toEqual(['patch', 'pulse']);
    expect(viewer.doc).toStrictEqual(freshDocument(broadcaster));
  });

  it('a stale, foreign or garbage Last-Event-ID gets a fresh snapshot', () => {
    const { monitor, broadcaster } = setup(buildSnapshot(), { historyBytes: 0 });
    const first = new Viewer();
    broadcaster.connect(first.receive);
    const old = first.seq;
    monitor.poll(buildSnapshot({ now: at(2), replicas: ['unreachable'] }), true);
    // Another console process (a restart) counts from its own epoch.
    const other = new StatusBroadcaster({
      feed: monitor,
      toStatus: (snapshot) => ({ ...snapshot, warnings: [] }),
    });
    expect(other.currentId).toBeNull();
    for (const lastEventId of [old, other.currentId, 'garbage', '', `${old}0`]) {
      const viewer = new Viewer();
      broadcaster.connect(viewer.receive, lastEventId);
      expect(viewer.kinds).toEqual(['snapshot']);
      expect(viewer.seq).toBe(first.seq);
      expect(viewer.doc).toStrictEqual(first.doc);
    }
    const restarted: Uint8Array[] = [];
    other.connect((c) => restarted.push(c), first.seq);
    expect(parseEvent(text(restarted)[0] ?? '').event).toBe('snapshot');
    expect(other.currentId?.split('-')[0]).not.toBe(first.seq?.split('-')[0]);
  });

  it('a change that would patch most of the document goes out as a snapshot', () => {
    const { monitor, broadcaster } = setup(buildSnapshot({ workers: 1 }));
    const viewer = new Viewer();
    broadcaster.connect(viewer.receive);
    monitor.poll(buildSnapshot({ now: at(2), workers: 1, replicas: ONE_DOWN }), true);
    monitor.poll(buildSnapshot({ now: at(4), workers: 60, replicas: ONE_DOWN }), true);
    expect(viewer.kinds).toEqual(['snapshot', 'patch', 'snapshot']);
    expect(viewer.doc?.ucp.nodes.length).toBeGreaterThan(60);
    expect(viewer.doc).toStrictEqual(freshDocument(broadcaster));
  });

  it('one replica change on a 2,000-node cluster is a patch of a few kB, not the document', () => {
    const { monitor, broadcaster } = setup(buildSnapshot({ workers: 1988 }));
    const viewer = new Viewer();
    broadcaster.connect(viewer.receive);
    const snapshotBytes = viewer.bytes;
    monitor.poll(buildSnapshot({ now: at(2), workers: 1988, replicas: ONE_DOWN }), true);
    expect(viewer.kinds).toEqual(['snapshot', 'patch']);
    expect(snapshotBytes).toBeGreaterThan(500_000);
    expect(viewer.bytes - snapshotBytes).toBeLessThan(10_000);
    expect(viewer.doc).toStrictEqual(freshDocument(broadcaster));
  });

  it("after many random changes and quiet polls, a viewer holds exactly the server's document", () => {
    const status = fc.constantFrom<MemberStatus>('healthy', 'unhealthy', 'unreachable', 'unknown');
    const step = fc.record({
      changed: fc.boolean(),
      replicas: fc.array(status, { minLength: 1, maxLength: 5 }),
      managers: fc.array(status, { minLength: 1, maxLength: 3 }),
      workers: fc.integer({ min: 0, max: 6 }),
      warn: fc.boolean(),
      reconnect: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const { monitor, broadcaster, setWarnings } = setup();
        const viewer = new Viewer();
        const watcher = new Viewer(); // keeps the broadcaster running throughout
        broadcaster.connect(watcher.receive);
        let leave = broadcaster.connect(viewer.receive);
        steps.forEach((s, i) => {
          setWarnings(s.warn ? [OFFLINE_LONG] : []);
          const { changed, replicas, managers, workers } = s;
          monitor.poll(buildSnapshot({ now: at(i + 1), replicas, managers, workers }), changed);
          vi.advanceTimersByTime(1000);
          if (s.reconnect) {
            leave();
            leave = broadcaster.connect(viewer.receive, viewer.seq);
          }
          const server = freshDocument(broadcaster);
          expect(viewer.doc).toStrictEqual(server);
          expect(watcher.doc).toStrictEqual(server);
        });
      }),
      { numRuns: 60 },
    );
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
    expect(await readChunk(reader)).toMatch(/^id: \w+-1\nevent: snapshot\n/);
    monitor.poll(buildSnapshot({ now: at(2), replicas: ONE_DOWN }), true);
    expect(parseEvent(await readChunk(reader))).toMatchObject({
      event: 'patch',
      data: {
        pulse: { generatedAt: at(2) },
        ops: expect.arrayContaining([
          { op: 'replace', path: '/dtr/replicas/0/status', value: 'unreachable' },
        ]),
      },
    });

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
      maxPatchRatio: 0, // every change a whole snapshot
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
