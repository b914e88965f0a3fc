import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPatch } from 'fast-json-patch';
import { signedInHeaders, VIEWER } from '@/test/support/auth';
import type { ClusterStatus } from '@/lib/domain/types';
import { applyPulse, type LivePulse, type PatchEventData } from '@/lib/domain/live-pulse';
import { getRuntime, shutdownRuntime } from '@/lib/server/runtime';
import { POST as logout } from '../auth/logout/route';
import { GET } from './route';

let viewer: Record<string, string>;

beforeAll(async () => {
  const runtime = await getRuntime();
  viewer = await signedInHeaders(VIEWER, runtime.sessionSecret);
});

afterAll(async () => {
  await shutdownRuntime();
});

interface Received {
  id: string;
  event: string;
  data: string;
}

/** Reads server-sent events until `until` accepts one; `seen` gets every event on the way. */
async function nextEvent(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  until: (event: string, data: string) => boolean,
  seen: Received[] = [],
): Promise<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      if (/^data: /m.test(block))
        seen.push({ id: /^id: (.*)$/m.exec(block)?.[1] ?? '', event, data });
      if (until(event, data)) return data;
    }
  }
}

function open(headers: Record<string, string>, signal: AbortSignal) {
  return GET(new Request('http://console.test/api/events', { signal, headers }), undefined);
}

describe('GET /api/events (demo mode)', () => {
  it('streams the status on connect, then each change as a patch, and stops on abort', async () => {
    const abort = new AbortController();
    const response = await open(viewer, abort.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const reader = response.body!.getReader();

    const seen: Received[] = [];
    const first = JSON.parse(
      await nextEvent(reader, (e) => e === 'snapshot', seen),
    ) as ClusterStatus;
    expect(first.dtr.quorum.status).toBe('healthy');
    expect(Array.isArray(first.warnings)).toBe(true);
    expect(seen[0]?.id).toMatch(/^[0-9a-f]+-\d+$/);

    // The viewer's side: patches and pulses applied in sequence to the first snapshot.
    const runtime = await getRuntime();
    const [replica] = first.dtr.replicas;
    await runtime.demo!.setFault(replica!.id, 'stop');
    await runtime.monitor.pollNow();
    await nextEvent(reader, (e, data) => e === 'patch' && data.includes('"unreachable"'), seen);
    let doc: ClusterStatus = first;
    for (const [i, event] of seen.entries()) {
      if (i === 0) continue;
      const { from, ops, pulse, ...times } = JSON.parse(event.data) as PatchEventData;
      expect(from).toBe(seen[i - 1]?.id);
      doc =
        event.event === 'patch'
          ? applyPatch(pulse ? applyPulse(doc, pulse) : doc, ops, true, false).newDocument
          : applyPulse(doc, times as unknown as LivePulse);
    }
    expect(seen.at(-1)?.event).toBe('patch');
    expect(doc.dtr.replicas.find((r) => r.id === replica!.id)?.status).toBe('unreachable');
    expect(doc.dtr.quorum.healthy).toBe(first.dtr.quorum.healthy - 1);

    // Back with the current Last-Event-ID: no snapshot again, just what comes next.
    abort.abort();
    await expect(reader.read()).resolves.toMatchObject({ done: true });
    const resume = new AbortController();
    const resumed = (
      await open({ ...viewer, 'last-event-id': seen.at(-1)!.id }, resume.signal)
    ).body!.getReader();
    const next: Received[] = [];
    await nextEvent(resumed, (e) => e !== 'message', next);
    expect(next[0]?.event).not.toBe('snapshot');
    expect(JSON.parse(next[0]?.data ?? '{}')).toMatchObject({ from: seen.at(-1)!.id });
    resume.abort();

    // A Last-Event-ID the console does not know (another process, garbage): a fresh snapshot.
    for (const lastEventId of ['0123abcd-1', 'garbage']) {
      const other = new AbortController();
      const fresh = (
        await open({ ...viewer, 'last-event-id': lastEventId }, other.signal)
      ).body!.getReader();
      const got: Received[] = [];
      const data = await nextEvent(fresh, (e) => e !== 'message', got);
      expect(got[0]?.event).toBe('snapshot');
      expect((JSON.parse(data) as ClusterStatus).dtr.quorum.healthy).toBe(doc.dtr.quorum.healthy);
      other.abort();
    }
    await runtime.demo!.reset();
  });

  it('ends an open stream within about a second of its session being signed out', async () => {
    const runtime = await getRuntime();
    const mine = await signedInHeaders(VIEWER, runtime.sessionSecret);
    const abort = new AbortController();
    const response = await open(mine, abort.signal);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await nextEvent(reader, (e) => e === 'snapshot');

    const signedOut = await logout(
      new Request('http://console.test/api/auth/logout', {
        method: 'POST',
        headers: { ...mine, origin: 'http://console.test' },
      }),
    );
    expect(signedOut.status).toBe(200);
    const t0 = Date.now();
    // Pulses keep coming while the stream is open; it must end, not just go quiet.
    const ended = nextEvent(reader, () => false).then(
      () => 'event',
      (error: Error) => error.message,
    );
    const verdict = await Promise.race([
      ended,
      new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 3000)),
    ]);
    abort.abort();
    expect(verdict).toBe('stream ended');
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('refuses anonymous callers', async () => {
    const response = await GET(new Request('http://console.test/api/events'), undefined);
    expect(response.status).toBe(401);
  });
});
