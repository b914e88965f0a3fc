import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, signedInHeaders, VIEWER } from '@/test/support/auth';
import { getRuntime, shutdownRuntime } from '@/lib/server/runtime';
import { startReceiver, type Receiver } from '@/test/alerts/support';

const { GET: LIST, POST: CREATE } = await import('./route');
const { PATCH, DELETE } = await import('./[id]/route');
const { POST: TEST } = await import('./[id]/test/route');
const { GET: PREVIEW } = await import('../preview/route');
const { GET: INCIDENTS } = await import('../incidents/route');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const json = async (response: Response): Promise<Json> => (await response.json()) as Json;
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

async function request(
  method: string,
  path: string,
  body?: unknown,
  user: { username: string; isAdmin: boolean } = ADMIN,
  csrf = true,
): Promise<Request> {
  const headers = await signedInHeaders(user, (await getRuntime()).sessionSecret);
  if (!csrf) delete headers['x-csrf-token'];
  return new Request(`http://console.test${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await shutdownRuntime();
});

describe('alert channels API', () => {
  it('an admin adds a signed webhook: secret and token never come back, the change is audited', async () => {
    const response = await CREATE(
      await request('POST', '/api/alerts/channels', {
        name: `pager-${process.pid}`,
        kind: 'webhook',
        url: `${receiver.url}/hook/deep/path?token=abc123`,
        secret: 'webhook-secret-0123456789',
        minSeverity: 'critical',
      }),
      undefined,
    );
    expect(response.status).toBe(201);
    const { channel } = await json(response);
    expect(channel).toMatchObject({
      name: `pager-${process.pid}`,
      kind: 'webhook',
      url: `${receiver.url}/hook/deep/…?…`,
      secretHint: '…6789',
      minSeverity: 'critical',
      enabled: true,
      origin: 'ui',
    });
    const listed = JSON.stringify(
      await json(await LIST(await request('GET', '/api/alerts/channels'), undefined)),
    );
    expect(listed).not.toContain('webhook-secret');
    expect(listed).not.toContain('abc123');
    // Other test files share this database: look for this channel's entry.
    const event = (
      await (await getRuntime()).audit.query({ limit: 50, action: 'alert-channel-created' })
    ).events.find((e: { detail: string }) => e.detail.includes(`"${channel.name}"`));
    expect(event).toMatchObject({ actor: 'ada', action: 'alert-channel-created' });
    expect(event?.detail).not.toContain('abc123');

    // "Send test" reaches the receiver, signed, with the full URL.
    const tested = await json(await TEST(await request('POST', '/', undefined), ctx(channel.id)));
    expect(tested).toMatchObject({ ok: true, attempts: 1, error: null });
    expect(receiver.seen.at(-1)?.path).toBe('/hook/deep/path?token=abc123');
    expect(JSON.parse(receiver.seen.at(-1)!.body)).toMatchObject({ kind: 'test', version: 1 });

    // A failing test is recorded on the channel as its last error.
    receiver.answer = () => 503;
    const failed = await json(await TEST(await request('POST', '/', undefined), ctx(channel.id)));
    expect(failed.ok).toBe(false);
    expect(failed.channel.lastError).toMatch(/answered HTTP 503$/);
    receiver.answer = () => 200;

    const off = await json(
      await PATCH(await request('PATCH', '/', { enabled: false }), ctx(channel.id)),
    );
    expect(off.channel.enabled).toBe(false);
    expect((await DELETE(await request('DELETE', '/'), ctx(channel.id))).status).toBe(200);
    expect((await DELETE(await request('DELETE', '/'), ctx(channel.id))).status).toBe(404);
  });

  it('refuses bad input with a sentence, viewers, and changes without the CSRF token', async () => {
    const bad = await CREATE(
      await request('POST', '/api/alerts/channels', {
        name: 'x',
        kind: 'slack',
        url: 'https://user:pw@hooks.example.com/x',
      }),
      undefined,
    );
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/must not carry a user name or password/);
    const unsigned = await CREATE(
      await request('POST', '/api/alerts/channels', {
        name: 'y',
        kind: 'webhook',
        url: 'https://h.example.com/',
      }),
      undefined,
    );
    expect((await json(unsigned)).error.message).toMatch(/needs a signing secret/);
    expect(
      (await LIST(await request('GET', '/api/alerts/channels', undefined, VIEWER), undefined))
        .status,
    ).toBe(403);
    const noCsrf = await CREATE(
      await request(
        'POST',
        '/api/alerts/channels',
        { name: 'z', kind: 'slack', url: 'https://h.example.com/' },
        ADMIN,
        false,
      ),
      undefined,
    );
    expect(noCsrf.status).toBe(403);
  });

  it('viewers read incidents and previews; the preview is the exact body a kind receives', async () => {
    const incidents = await INCIDENTS(
      await request('GET', '/api/alerts/incidents', undefined, VIEWER),
      undefined,
    );
    expect(incidents.status).toBe(200);
    expect(await json(incidents)).toMatchObject({
      incidents: expect.any(Array),
      settings: { repeatMs: 14_400_000 },
    });
    const preview = await json(
      await PREVIEW(
        await request('GET', '/api/alerts/preview?kind=alertmanager', undefined, VIEWER),
        undefined,
      ),
    );
    expect(preview.firing[0].labels).toMatchObject({
      alertname: 'DTR_QUORUM_AT_RISK',
      severity: 'critical',
    });
    expect(Date.parse(preview.resolved[0].endsAt)).toBeLessThan(
      Date.parse(preview.firing[0].endsAt),
    );
    const wrong = await PREVIEW(
      await request('GET', '/api/alerts/preview?kind=pager', undefined, VIEWER),
      undefined,
    );
    expect(wrong.status).toBe(400);
  });
});
