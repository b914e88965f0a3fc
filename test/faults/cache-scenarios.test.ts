// Issue #15: the cache rules on an upstream built from the documented wire formats (./wire-cluster.ts,
// not the demo). The cache HA document's layout — one cache service with a replica on each node
// labelled dtr.cache=true, behind a load balancer whose address DTR lists — and regional caches
// registered at their own node's address, judged by the real Monitor and the whole assessment.
import { afterEach, expect, it } from 'vitest';
import { assessCluster } from '@/lib/domain/assess';
import type { ClusterStatus, Warning } from '@/lib/domain/types';
import { Monitor } from '@/lib/monitor/monitor';
import { startWireCluster, type WireCluster, type WireState } from './wire-cluster';

const TIMEOUT = 400;
const UCP = { ucpUrl: 'https://ucp.example.com', ucpUsername: 'admin' };
const HA_NODES = ['cache-node-1', 'cache-node-2', 'cache-node-3'];

let cluster: WireCluster | null = null;
afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

/** Two polls after `edit` changed the cluster's own documents; the status /api/status would serve. */
async function scenario(
  setup: (state: WireState) => void,
  edit?: (state: WireState) => void,
): Promise<ClusterStatus> {
  cluster = await startWireCluster(setup, TIMEOUT);
  edit?.(cluster.state);
  const monitor = new Monitor({ target: cluster.target, mode: 'live', log: () => undefined });
  await monitor.pollNow();
  const snapshot = await monitor.pollNow();
  return { ...snapshot, warnings: assessCluster(snapshot, UCP) };
}

const haLayout = (state: WireState) => {
  state.cacheNodes = Object.fromEntries(HA_NODES.map((h) => [h, 'ok' as const]));
  state.contentCaches = [{ id: 'c-ha', name: 'cache-ha', at: 'lb' }];
};
const cacheWarnings = (s: ClusterStatus): Warning[] =>
  s.warnings.filter((w) => w.code.startsWith('CACHE_'));
const allText = (warnings: Warning[]) =>
  warnings.flatMap((w) => [w.title, w.detail, w.nextStep, w.command ?? '']).join('\n');
const setNode = (
  state: WireState,
  hostname: string,
  change: (n: WireState['nodes'][0]) => void,
) => {
  const node = state.nodes.find((n) => n.Description.Hostname === hostname);
  if (!node) throw new Error(`no node ${hostname}`);
  change(node);
};

it('the document layout is one cache with 3 replicas, each probed on its node, and no warning', async () => {
  const s = await scenario(haLayout);
  expect(s.dtr.caches?.map((c) => [c.name, c.status, c.layout, c.node])).toEqual([
    ['cache-ha', 'healthy', 'load-balancer', null],
  ]);
  expect(s.dtr.caches?.[0]?.replicas?.map((r) => [r.node, r.status])).toEqual(
    HA_NODES.map((h) => [h, 'healthy']),
  );
  for (const host of HA_NODES) expect(cluster?.requests(`cache:${host}`).length).toBeGreaterThan(0);
  expect(cacheWarnings(s)).toEqual([]);
});

it('one replica stopped: the load balancer still answers, a warning says 2 of 3 and how to restore it', async () => {
  const s = await scenario((state) => {
    haLayout(state);
    state.cacheNodes['cache-node-2'] = 'refuse';
  });
  expect(s.dtr.caches?.[0]?.status).toBe('healthy');
  const warnings = cacheWarnings(s);
  expect(warnings.map((w) => [w.code, w.severity, w.title, w.command])).toEqual([
    [
      'CACHE_UNHEALTHY',
      'warning',
      'DTR cache cache-ha: the replica on cache-node-2 is unreachable',
      'docker node ps cache-node-2',
    ],
  ]);
  expect(warnings[0]?.detail).toContain('now serves from 2 of its 3 replicas');
  expect(allText(warnings)).not.toContain('--label-rm');
});

it('a replica answering 503 is unhealthy, with its reason', async () => {
  const s = await scenario((state) => {
    haLayout(state);
    state.cacheNodes['cache-node-3'] = 'unhealthy';
  });
  const [w] = cacheWarnings(s);
  expect(w?.title).toBe('DTR cache cache-ha: the replica on cache-node-3 is unhealthy');
  expect(w?.detail).toContain('storage driver error');
});

it.each([
  ['drain', 'drained'],
  ['pause', 'paused'],
] as const)('a %s cache node warns, with the command that puts it back', async (avail, word) => {
  const s = await scenario(haLayout, (state) =>
    setNode(state, 'cache-node-1', (n) => {
      n.Spec = { ...n.Spec, Availability: avail };
    }),
  );
  expect(cacheWarnings(s).map((w) => [w.title, w.command])).toEqual([
    [
      `DTR cache node cache-node-1 is ${word}`,
      'docker node update --availability active cache-node-1',
    ],
  ]);
});

it('a cache node down: one warning for the node, not another for its silent replica', async () => {
  const s = await scenario(
    (state) => {
      haLayout(state);
      state.cacheNodes['cache-node-2'] = 'refuse';
    },
    (state) =>
      setNode(state, 'cache-node-2', (n) => {
        n.Status = { ...n.Status, State: 'down', Message: 'heartbeat failure' };
      }),
  );
  expect(cacheWarnings(s).map((w) => w.title)).toEqual(['DTR cache node cache-node-2 is down']);
  expect(cacheWarnings(s)[0]?.detail).toContain('2 of its 3 replicas');
});

it('two regional caches with one replica each: two CACHE_SINGLE_REPLICA warnings', async () => {
  const s = await scenario((state) => {
    state.cacheNodes = { 'cache-asia-1': 'ok', 'cache-eu-1': 'ok' };
    state.contentCaches = [
      { id: 'c-asia', name: 'region-asia', at: 'cache-asia-1' },
      { id: 'c-eu', name: 'region-eu', at: 'cache-eu-1' },
    ];
  });
  expect(s.dtr.caches?.map((c) => [c.name, c.layout, c.node])).toEqual([
    ['region-asia', 'node', 'cache-asia-1'],
    ['region-eu', 'node', 'cache-eu-1'],
  ]);
  expect(cacheWarnings(s).map((w) => [w.code, w.subjects])).toEqual([
    ['CACHE_SINGLE_REPLICA', ['region-asia', 'cache-asia-1']],
    ['CACHE_SINGLE_REPLICA', ['region-eu', 'cache-eu-1']],
  ]);
});

it('the HA cache and a regional cache side by side: only the regional one is single', async () => {
  const s = await scenario((state) => {
    state.cacheNodes = { ...Object.fromEntries(HA_NODES.map((h) => [h, 'ok' as const])) };
    state.cacheNodes['cache-asia-1'] = 'ok';
    state.contentCaches = [
      { id: 'c-ha', name: 'cache-ha', at: 'lb' },
      { id: 'c-asia', name: 'region-asia', at: 'cache-asia-1' },
    ];
  });
  expect(s.dtr.caches?.map((c) => [c.name, c.replicas?.length])).toEqual([
    ['cache-ha', 3],
    ['region-asia', 1],
  ]);
  expect(cacheWarnings(s).map((w) => w.title)).toEqual([
    'DTR cache region-asia has one replica, on cache-asia-1',
  ]);
});
