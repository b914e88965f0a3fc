import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '@/lib/auth/audit';
import { ADMIN, signedInHeaders, VIEWER } from '@/test/support/auth';
import { getRuntime, shutdownRuntime } from '@/lib/server/runtime';
import { GET } from './route';

let admin: Record<string, string>;
let viewer: Record<string, string>;
// The test database may hold other files' events: these are told apart by name.
const who = `audit-route-${process.pid}-${Date.now()}`;

const get = (query: string, headers: Record<string, string>) =>
  GET(new Request(`http://console.test/api/audit${query}`, { headers }), undefined);

interface Page {
  events: { actor: string; action: string; ip: string; detail: string; cursor: string }[];
  older: string | null;
  newer: string | null;
}

beforeAll(async () => {
  const runtime = await getRuntime();
  admin = await signedInHeaders(ADMIN, runtime.sessionSecret);
  viewer = await signedInHeaders(VIEWER, runtime.sessionSecret);
  for (let i = 0; i < 5; i += 1) {
    await audit(runtime.audit, {
      actor: `${who}-${i % 2 ? 'odd' : 'even'}`,
      action: i % 2 ? 'sign-in-failed' : 'sign-in',
      ip: '::ffff:192.0.2.9',
      detail: `event ${i}`,
    });
  }
});

afterAll(async () => {
  await shutdownRuntime();
});

describe('GET /api/audit', () => {
  it('gives an administrator one filtered page at a time, with normalised addresses', async () => {
    const response = await get(`?actor=${who}&limit=2`, admin);
    expect(response.status).toBe(200);
    const first = (await response.json()) as Page;
    expect(first.events.map((e) => e.detail)).toEqual(['event 4', 'event 3']);
    expect(first.events[0]?.ip).toBe('192.0.2.9');
    expect(first.newer).toBeNull();

    const older = (await (
      await get(`?actor=${who}&limit=2&before=${encodeURIComponent(first.older!)}`, admin)
    ).json()) as Page;
    expect(older.events.map((e) => e.detail)).toEqual(['event 2', 'event 1']);

    const refused = (await (await get(`?actor=${who}&outcome=refused`, admin)).json()) as Page;
    expect(refused.events.map((e) => e.detail)).toEqual(['event 3', 'event 1']);
  });

  it('answers a filter it cannot read with 400 and the reason', async () => {
    const response = await get('?outcome=maybe&from=yesterday', admin);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain('outcome must be one of: succeeded, refused, failed');
    expect(error.message).toContain('from must be a date and time');
  });

  it('refuses a viewer', async () => {
    expect((await get('', viewer)).status).toBe(403);
  });
});
