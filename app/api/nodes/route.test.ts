import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, signedInHeaders, VIEWER } from '@/test/support/auth';
import type { NodePage } from '@/lib/domain/node-page';
import { getRuntime, shutdownRuntime } from '@/lib/server/runtime';
import { getClusterStatus } from '@/lib/server/services/status';
import { GET } from './route';

let viewer: Record<string, string>;
let admin: Record<string, string>;

beforeAll(async () => {
  const runtime = await getRuntime();
  // Polls only when a test says so: the ETag changes with every snapshot.
  runtime.monitor.stop();
  await runtime.monitor.pollNow();
  viewer = await signedInHeaders(VIEWER, runtime.sessionSecret);
  admin = await signedInHeaders(ADMIN, runtime.sessionSecret);
});

afterAll(async () => {
  await shutdownRuntime();
});

function get(search = '', headers: Record<string, string> = viewer): Promise<Response> {
  return GET(new Request(`http://console.test/api/nodes${search}`, { headers }), {});
}

async function page(search = ''): Promise<NodePage> {
  const response = await get(search);
  expect(response.status).toBe(200);
  return (await response.json()) as NodePage;
}

describe('GET /api/nodes (demo mode)', () => {
  it('pages the whole inventory: every node once, with its zone and what-if', async () => {
    const status = await getClusterStatus(await getRuntime());
    const first = await page('?limit=5');
    expect(first.generatedAt).toBe(status.generatedAt);
    expect(first.total).toBe(status.ucp.nodes.length);
    expect(first.items).toHaveLength(5);
    expect(first.items[0]).toMatchObject({
      node: { hostname: expect.any(String) },
      impact: { dtr: {}, ucp: {} },
    });
    const seen = first.items.map((r) => r.node.hostname);
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await page(`?limit=5&cursor=${cursor}`);
      seen.push(...next.items.map((r) => r.node.hostname));
      cursor = next.nextCursor;
    }
    expect([...seen].sort()).toEqual(status.ucp.nodes.map((n) => n.hostname).sort());
  });

  it('filters and sorts on the server', async () => {
    const status = await getClusterStatus(await getRuntime());
    const workers = await page('?role=worker&hosts=none&sort=hostname&dir=desc&limit=500');
    const expected = status.ucp.nodes.filter((n) => n.role === 'worker' && n.hosts.length === 0);
    expect(workers.total).toBe(expected.length);
    const names = workers.items.map((r) => r.node.hostname);
    expect(names).toEqual(
      [...names].sort(new Intl.Collator('en', { numeric: true }).compare).reverse(),
    );
    const one = expected[0]?.hostname ?? '';
    expect((await page(`?q=${one}`)).items.map((r) => r.node.hostname)).toContain(one);
  });

  it('serves an ETag per snapshot and query, and a 304 when If-None-Match names it', async () => {
    const response = await get('?limit=3');
    const etag = response.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const again = await get('?limit=3', { ...viewer, 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // Another query is another document.
    expect((await get('?limit=4', { ...viewer, 'if-none-match': etag })).status).toBe(200);
    await (await getRuntime()).monitor.pollNow();
    const later = await get('?limit=3', { ...viewer, 'if-none-match': etag });
    expect(later.status).toBe(200);
    expect(later.headers.get('etag')).not.toBe(etag);
  });

  it('answers bad parameters with a 400 and a sentence', async () => {
    for (const [search, message] of [
      ['?limit=9999', /limit is a whole number of nodes from 1 to 500/],
      ['?state=asleep', /state is one of/],
      ['?cursor=garbage!', /not one this console issued/],
      ['?offset=10', /Unknown parameter offset/],
    ] as const) {
      const response = await get(search);
      expect(response.status, search).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('bad_request');
      expect(body.error.message).toMatch(message);
    }
  });

  it('lets viewers and admins read, and refuses anonymous callers', async () => {
    expect((await get('?limit=1', admin)).status).toBe(200);
    const anonymous = await get('?limit=1', {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('etag')).toBeNull();
  });
});
