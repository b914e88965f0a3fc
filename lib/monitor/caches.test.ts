import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { sendJson, startServer, type Handler, type TestServer } from '@/test/support/test-server';
import { cacheNode } from './assemble';
import { Monitor } from './monitor';
import { startFakeCluster, type FakeCluster } from '@/test/support/monitor-cluster';

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
        // Registered at a node's own address: one replica, the cache's own probe.
        layout: 'node',
        replicas: [
          {
            node: 'dtr-node-1',
            status: 'healthy',
            error: null,
            latencyMs: expect.any(Number) as number,
            since: at(0),
            checkedAt: at(0),
          },
        ],
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

  it('never probes a cache host outside the node list (SSRF): a reason, no request, no body echoed', async () => {
    // Issue #18 item 7: a DTR admin registers a cache at an internal address.
    const internal = await startServer(
      (_req, res) => sendJson(res, 500, 'SECRET-FIRST-LINE internal service'),
      '127.0.5.77',
    );
    try {
      cluster.contentCaches = [
        { id: 'c9', name: 'evil', host: `http://127.0.5.77:${internal.port}` },
      ];
      const m = monitor();
      await pollAt(m, 0);
      const s = await pollAt(m, 5);
      expect(internal.requests).toEqual([]);
      const evil = s.dtr.caches?.find((c) => c.id === 'c9');
      expect(evil).toMatchObject({ status: 'unknown', latencyMs: null });
      expect(evil?.error).toMatch(
        /^not probed: 127\.0\.5\.77 is not a node of the cluster \(add it to PROBE_ALLOWED_HOSTS/,
      );
      expect(JSON.stringify(s)).not.toContain('SECRET-FIRST-LINE');
    } finally {
      await internal.close();
    }
  });

  it('probes a host outside the node list once PROBE_ALLOWED_HOSTS names it', async () => {
    const outside = await startServer(registry401, '127.0.5.78');
    try {
      cluster.contentCaches = [{ id: 'c8', name: 'edge', host: outside.url }];
      const m = new Monitor({
        target: { ...cluster.target, probeAllowedHosts: ['127.0.5.78'] },
        mode: 'live',
        clock: () => new Date(nowMs),
        log: () => undefined,
      });
      const s = await pollAt(m, 0);
      expect(s.dtr.caches?.[0]).toMatchObject({ id: 'c8', status: 'healthy', node: null });
      expect(outside.requests.map((r) => r.path)).toEqual(['/v2/']);
    } finally {
      await outside.close();
    }
  });

  it("shows at most a short, printable reason from a cache's answer", async () => {
    cacheHandler = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(`<html><body>\u001b[31m${'A'.repeat(5000)}</body></html>\nsecond line`);
    };
    const s = await pollAt(monitor(), 0);
    const error = s.dtr.caches?.[0]?.error ?? '';
    expect(error).toMatch(/^\/v2\/ answered HTTP 502: /);
    expect(error.length).toBeLessThanOrEqual(160);
    expect(error).not.toMatch(/[\u0000-\u001f<>]/);
    expect(error).not.toContain('second line');
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
