import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInHeaders, VIEWER } from '@/test/support/auth';
import type { ClusterStatus } from '@/lib/domain/types';
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

/** Reads server-sent events until `until` accepts one. */
async function nextEvent(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  until: (event: string, data: string) => boolean,
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
      if (until(event, data)) return data;
    }
  }
}

describe('GET /api/events (demo mode)', () => {
  it('streams the status on connect and each change, and stops on abort', async () => {
    const abort = new AbortController();
    const response = await GET(
      new Request('http://console.test/api/events', { signal: abort.signal, headers: viewer }),
      undefined,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const reader = response.body!.getReader();

    const first = JSON.parse(await nextEvent(reader, (e) => e === 'snapshot')) as ClusterStatus;
    expect(first.dtr.quorum.status).toBe('healthy');
    expect(Array.isArray(first.warnings)).toBe(true);

    const runtime = await getRuntime();
    const [replica] = first.dtr.replicas;
    await runtime.demo!.setFault(replica!.id, 'stop');
    await runtime.monitor.pollNow();
    const changed = JSON.parse(
      await nextEvent(reader, (e, data) => e === 'snapshot' && data.includes('"unreachable"')),
    ) as ClusterStatus;
    expect(changed.dtr.replicas.find((r) => r.id === replica!.id)?.status).toBe('unreachable');

    abort.abort();
    await expect(reader.read()).resolves.toMatchObject({ done: true });
    await runtime.demo!.reset();
  });

  it('ends an open stream within about a second of its session being signed out', async () => {
    const runtime = await getRuntime();
    const mine = await signedInHeaders(VIEWER, runtime.sessionSecret);
    const abort = new AbortController();
    const response = await GET(
      new Request('http://console.test/api/events', { signal: abort.signal, headers: mine }),
      undefined,
    );
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
