import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { sendJson, startServer, type Handler, type TestServer } from '@/lib/sources/test-server';
import { cacheNode } from './assemble';
import { Monitor } from './monitor';
import { startFakeCluster, type FakeCluster } from './test-cluster';

const TIMEOUT = 600;
const T0 = Date.parse('2026-11-22T00:00:00Z');

let cluster: FakeCluster;
let cache: TestServer;
let cacheHandler: Handler;
let nowMs: number;

const registry401: Handler = (_req, res) =>
  sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
const registry503: Handler = (_req, res) =>
  sendJson(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'storage unreachable' }] });

beforeEach(async () => {
  cluster = await startFakeCluster(TIMEOUT);
  cacheHandler = registry401;
  cache = await startServer((req, res, body) => cacheHandler(req, res, body), '127.0.2.1');
  cluster.contentCaches = [{ id: 'c1', name: 'cache-1', host: cache.url }];
  nowMs = T0;
});
afterEach(async () => {
  await cache.close();
  await cluster.close();
});

function monitor(): Monitor {
  return new Monitor({
    target: cluster.target,
    mode: 'live',
    clock: () => new Date(nowMs),
    log: () => undefined,
  });
}

async function pollAt(m: Monitor, seconds: number): Promise<ClusterSnapshot> {
  nowMs = T0 + seconds * 1000;
  return m.pollNow();
}
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

describe('Monitor caches', () => {
  it('lists registered caches with their /v2/ probe and the node they run on', async () => {
    const s = await pollAt(monitor(), 0);
    expect(s.dtr.caches).toEqual([
      {
        id: 'c1',
        name: 'cache-1',
        url: cache.url,
        node: 'dtr-node-1',
        status: 'healthy',
        error: null,
        latencyMs: expect.any(Number) as number,
        since: at(0),
        checkedAt: at(0),
      },
    ]);
    expect(cache.requests.map((r) => r.path)).toEqual(['/v2/']);
  });

  it('flips a cache only when the re-probe confirms, with since at the change', async () => {
    const m = monitor();
    await pollAt(m, 0);
    cacheHandler = registry503;
    const s = await pollAt(m, 5);
    expect(s.dtr.caches?.[0]).toMatchObject({
      status: 'unhealthy',
      error: '/v2/ answered HTTP 503: storage unreachable',
      since: at(5),
    });
    let calls = 0;
    cacheHandler = (req, res, body) => (calls++ === 0 ? registry401 : registry503)(req, res, body);
    const flapped = await pollAt(m, 10);
    expect(flapped.dtr.caches?.[0]).toMatchObject({ status: 'unhealthy', since: at(5) });
  });

  it('keeps the last cache list when DTR cannot list caches, and still probes them', async () => {
    const m = monitor();
    await pollAt(m, 0);
    cluster.contentCaches = 500;
    await cache.close();
    const s = await pollAt(m, 5);
    expect(s.dtr.caches?.map((c) => [c.name, c.status])).toEqual([['cache-1', 'unreachable']]);
    expect(s.sources.dtr.state).toBe('ok');
  });

  it('leaves caches unknown (absent) before DTR has ever listed them', async () => {
    cluster.contentCaches = 500;
    expect((await pollAt(monitor(), 0)).dtr.caches).toBeUndefined();
  });
});

describe('cacheNode', () => {
  const nodes = [
    { hostname: 'cache-node-1', addr: '10.0.0.7' },
    { hostname: 'cache-node-2', addr: null },
  ] as Parameters<typeof cacheNode>[1];

  it('matches by hostname, FQDN, address or bare host', () => {
    expect(cacheNode('https://cache-node-1:443', nodes)).toBe('cache-node-1');
    expect(cacheNode('https://CACHE-NODE-2.example.com', nodes)).toBe('cache-node-2');
    expect(cacheNode('http://10.0.0.7:8443', nodes)).toBe('cache-node-1');
    expect(cacheNode('cache-node-2:4443', nodes)).toBe('cache-node-2');
  });

  it('is null when no node matches', () => {
    expect(cacheNode('https://cdn.example.com', nodes)).toBeNull();
    expect(cacheNode('::bad::', nodes)).toBeNull();
  });
});
