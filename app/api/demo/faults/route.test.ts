import { afterAll, describe, expect, it } from 'vitest';
import { shutdownRuntime, getRuntime } from '@/lib/server/runtime';
import { POST } from './route';
import { POST as RESET } from '../reset/route';

function post(body: string, contentType = 'application/json'): Request {
  return new Request('http://console.test/api/demo/faults', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
}

afterAll(async () => {
  await shutdownRuntime();
});

describe('POST /api/demo/faults (demo mode)', () => {
  it('stops a replica the monitor then sees as unreachable, and reset brings it back', async () => {
    const runtime = await getRuntime();
    await runtime.monitor.pollNow();
    const [replica] = runtime.demo!.describe().replicas;
    const response = await POST(post(JSON.stringify({ target: replica!.id, kind: 'stop' })));
    expect(response.status).toBe(200);
    const stopped = await runtime.monitor.pollNow();
    expect(stopped.dtr.replicas.find((r) => r.id === replica!.id)?.status).toBe('unreachable');

    expect((await RESET()).status).toBe(200);
    const recovered = await runtime.monitor.pollNow();
    expect(recovered.dtr.replicas.find((r) => r.id === replica!.id)?.status).toBe('healthy');
  });

  it('refuses an unknown fault kind with a 400 naming the allowed kinds', async () => {
    const response = await POST(post(JSON.stringify({ target: 'dtr-node-1', kind: 'explode' })));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(/stop, hang, slow/);
  });

  it('refuses an unknown target with a readable 400', async () => {
    const response = await POST(post(JSON.stringify({ target: 'no-such-node', kind: 'stop' })));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/no-such-node/);
  });

  it('refuses malformed JSON and non-JSON bodies without changing anything', async () => {
    expect((await POST(post('{"target":'))).status).toBe(400);
    expect(
      (await POST(post('target=x&kind=stop', 'application/x-www-form-urlencoded'))).status,
    ).toBe(415);
    const missing = await POST(post(JSON.stringify({ kind: 'stop' })));
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.message).toMatch(/target/);
  });
});
