import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, signedInHeaders, VIEWER } from '@/test/support/auth';
import { getRuntime, shutdownRuntime } from '@/lib/server/runtime';
import { POST } from './route';
import { POST as RESET } from '../reset/route';

let admin: Record<string, string>;
let viewer: Record<string, string>;

function post(body: string, headers: Record<string, string>, contentType = 'application/json') {
  return new Request('http://console.test/api/demo/faults', {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
  });
}

const reset = (headers: Record<string, string>) =>
  RESET(new Request('http://console.test/api/demo/reset', { method: 'POST', headers }), undefined);

beforeAll(async () => {
  const runtime = await getRuntime();
  admin = await signedInHeaders(ADMIN, runtime.sessionSecret);
  viewer = await signedInHeaders(VIEWER, runtime.sessionSecret);
});

afterAll(async () => {
  await shutdownRuntime();
});

describe('POST /api/demo/faults (demo mode)', () => {
  it('stops a replica the monitor then sees as unreachable, and reset brings it back', async () => {
    const runtime = await getRuntime();
    await runtime.monitor.pollNow();
    const [replica] = runtime.demo!.describe().replicas;
    const response = await POST(
      post(JSON.stringify({ target: replica!.id, kind: 'stop' }), admin),
      undefined,
    );
    expect(response.status).toBe(200);
    const stopped = await runtime.monitor.pollNow();
    expect(stopped.dtr.replicas.find((r) => r.id === replica!.id)?.status).toBe('unreachable');
    const [entry] = await (await getRuntime()).audit.list({ limit: 1 });
    expect(entry).toMatchObject({ actor: 'ada', action: 'demo-fault' });
    expect(entry?.detail).toContain(replica!.id);

    expect((await reset(admin)).status).toBe(200);
    const recovered = await runtime.monitor.pollNow();
    expect(recovered.dtr.replicas.find((r) => r.id === replica!.id)?.status).toBe('healthy');
  });

  it('refuses anonymous callers (401), viewers (403) and a missing CSRF token (403)', async () => {
    const body = JSON.stringify({ target: 'dtr-node-1', kind: 'stop' });
    expect((await POST(post(body, {}), undefined)).status).toBe(401);
    expect((await POST(post(body, viewer), undefined)).status).toBe(403);
    const { 'x-csrf-token': _token, ...cookieOnly } = admin;
    void _token;
    const noToken = await POST(post(body, cookieOnly), undefined);
    expect(noToken.status).toBe(403);
    expect((await noToken.json()).error.code).toBe('forbidden');
    expect((await reset(viewer)).status).toBe(403);
  });

  it('refuses an unknown fault kind with a 400 naming the allowed kinds', async () => {
    const response = await POST(
      post(JSON.stringify({ target: 'dtr-node-1', kind: 'explode' }), admin),
      undefined,
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(/stop, hang, slow/);
  });

  it('refuses an unknown target with a readable 400', async () => {
    const response = await POST(
      post(JSON.stringify({ target: 'no-such-node', kind: 'stop' }), admin),
      undefined,
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/no-such-node/);
  });

  it('refuses malformed JSON and non-JSON bodies without changing anything', async () => {
    expect((await POST(post('{"target":', admin), undefined)).status).toBe(400);
    const form = post('target=x&kind=stop', admin, 'application/x-www-form-urlencoded');
    expect((await POST(form, undefined)).status).toBe(415);
    const missing = await POST(post(JSON.stringify({ kind: 'stop' }), admin), undefined);
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.message).toMatch(/target/);
  });
});
