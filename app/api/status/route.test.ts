import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInHeaders, VIEWER } from '@/test/support/auth';
import type { ClusterStatus } from '@/lib/domain/types';
import { getRuntime, shutdownRuntime } from '@/lib/server/runtime';
import { getClusterStatus } from '@/lib/server/services/status';
import { GET } from './route';

let viewer: Record<string, string>;

beforeAll(async () => {
  const runtime = await getRuntime();
  // Polls only when a test says so: the ETag changes with every snapshot.
  runtime.monitor.stop();
  viewer = await signedInHeaders(VIEWER, runtime.sessionSecret);
});

afterAll(async () => {
  await shutdownRuntime();
});

function get(headers: Record<string, string> = {}, search = ''): Promise<Response> {
  return GET(
    new Request(`http://console.test/api/status${search}`, { headers: { ...viewer, ...headers } }),
    {},
  );
}

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

describe('GET /api/status (demo mode)', () => {
  it('serves the latest snapshot as JSON, the same bytes and ETag until the next poll', async () => {
    const runtime = await getRuntime();
    await runtime.monitor.pollNow();
    const response = await get({ 'accept-encoding': 'gzip, deflate, br' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    // Small: sent as it is, never zipped afresh per request by Next or a proxy (no-transform).
    expect(response.headers.get('cache-control')).toBe('no-store, no-transform');
    // Next drops a route's content-encoding and compresses by itself: never pre-encode.
    expect(response.headers.get('content-encoding')).toBeNull();
    const body = await bytesOf(response);
    const status = JSON.parse(body.toString('utf8')) as ClusterStatus;
    expect(status.generatedAt).toBe(runtime.monitor.latest()?.generatedAt);
    expect(status.dtr.quorum.status).toBe('healthy');
    expect(Array.isArray(status.warnings)).toBe(true);

    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const again = await get();
    expect(again.headers.get('etag')).toBe(etag);
    expect((await bytesOf(again)).equals(body)).toBe(true);

    await runtime.monitor.pollNow();
    const next = await get();
    expect(next.headers.get('etag')).not.toBe(etag);
    expect(JSON.parse(await next.text())).toMatchObject({
      generatedAt: runtime.monitor.latest()?.generatedAt,
    });
  });

  it('answers 304 without a body when If-None-Match names the current document', async () => {
    const first = await get();
    const etag = first.headers.get('etag') ?? '';
    const notModified = await get({ 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(notModified.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(await notModified.text()).toBe('');
    // Weak forms (a compressing proxy's) and lists match too; another document's tag does not.
    expect((await get({ 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    expect((await get({ 'if-none-match': '"not-this-one"' })).status).toBe(200);

    await (await getRuntime()).monitor.pollNow();
    const changed = await get({ 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('serves the nodes that matter and counts of all; ?nodes=all the full list, with its own ETag', async () => {
    const runtime = await getRuntime();
    const full = await getClusterStatus(runtime);
    // The demo's fleet has application workers that are ready and active: counted, not listed.
    const workers = full.ucp.nodes.filter((n) => n.role === 'worker' && n.hosts.length === 0);
    expect(workers.length).toBeGreaterThan(0);

    const slimResponse = await get();
    const slim = JSON.parse(await slimResponse.text()) as ClusterStatus;
    expect(slim.ucp.nodeCounts?.total).toBe(full.ucp.nodes.length);
    expect(slim.ucp.nodeList?.href).toBe('/api/nodes');
    const listed = new Set(slim.ucp.nodes.map((n) => n.hostname));
    for (const node of full.ucp.nodes) {
      const matters =
        node.role === 'manager' ||
        node.hosts.length > 0 ||
        node.state !== 'ready' ||
        node.availability !== 'active';
      if (matters) expect(listed.has(node.hostname), node.hostname).toBe(true);
    }
    expect(slim.ucp.nodes.length).toBeLessThan(full.ucp.nodes.length);
    expect(slim.ucp.nodeList?.omitted).toBe(full.ucp.nodes.length - slim.ucp.nodes.length);

    const allResponse = await get({}, '?nodes=all');
    expect(allResponse.status).toBe(200);
    const all = JSON.parse(await allResponse.text()) as ClusterStatus;
    expect(all.ucp.nodes.map((n) => n.hostname)).toEqual(full.ucp.nodes.map((n) => n.hostname));
    expect(all.ucp.nodeCounts).toBeUndefined();
    const allTag = allResponse.headers.get('etag') ?? '';
    expect(allTag).not.toBe(slimResponse.headers.get('etag'));
    expect((await get({ 'if-none-match': allTag }, '?nodes=all')).status).toBe(304);
    // One shape's tag does not answer for the other.
    expect((await get({ 'if-none-match': allTag })).status).toBe(200);

    const bad = await get({}, '?nodes=some');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /nodes=some is not understood: .* nodes=all to list every node/,
    );
  });

  it('refuses anonymous callers, revealing no ETag', async () => {
    const response = await GET(new Request('http://console.test/api/status'), {});
    expect(response.status).toBe(401);
    expect(response.headers.get('etag')).toBeNull();
  });
});
