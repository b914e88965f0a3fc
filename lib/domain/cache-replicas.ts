// Which nodes serve each registered DTR content cache, and how many of them serve now.
//
// The cache HA document (MSR 2.8/2.9 "Configure caches for high availability",
// https://docs.mirantis.com/msr/2.9/ops/msr-configure/caches/high-availability.html) runs ONE cache
// service with several replicas, one per node labelled `dtr.cache=true`, on shared storage with
// read-after-write consistency, behind a load balancer whose address is what DTR registers
// (`POST /api/v0/content_caches {"name", "host": "https://<cache-url>:<cache-port>"}`). A regional
// cache without HA is the same service with one replica, often registered at its node's address.
//
// DTR's cache list says only `{id, name, host}`, and the console reads no swarm services or tasks,
// so the rule rests on what it does read — DTR's list and UCP's node list with its labels:
//   1. A cache whose host is a node's own hostname or address (or `<hostname>.<domain>`) runs on
//      that node: one replica.
//   2. The labelled nodes no cache of rule 1 claims are the replicas of the cache service behind a
//      load balancer. When exactly one cache is registered at an address that is no node, they are
//      its replicas: N labelled nodes = one cache with N replicas.
//   3. With several caches at non-node addresses the console cannot tell which labelled nodes serve
//      which, and says so (no replica count, no single-replica warning); with no labelled node left
//      such a cache runs outside this cluster and its replicas cannot be counted.
// A labelled node counts as used whenever rules 1–2 (or 3) give it to a cache: the console never
// offers to remove its label.
import { CACHE_LABEL, nodesByHostname } from './placement';
import type { CacheLayout, CacheState, ClusterNode } from './types';

/** The registered-cache fields the attribution needs. */
export interface RegisteredCache {
  id: string;
  /** The node the registered host resolves to (lib/monitor/assemble.ts cacheNode), or null. */
  node: string | null;
}

export interface CacheBacking {
  layout: CacheLayout;
  /** Hostnames of the nodes that serve the cache (its replicas); empty when unknown. */
  nodes: string[];
}

export const isCacheLabelled = (node: Pick<ClusterNode, 'labels'>): boolean =>
  node.labels[CACHE_LABEL]?.toLowerCase() === 'true';

/** Rules 1–3 above, by cache ID. */
export function cacheBackings(
  caches: readonly RegisteredCache[],
  nodes: readonly Pick<ClusterNode, 'hostname' | 'labels'>[],
): Map<string, CacheBacking> {
  const claimed = new Set(caches.flatMap((c) => (c.node ? [c.node] : [])));
  const pool = nodes.filter((n) => isCacheLabelled(n) && !claimed.has(n.hostname));
  const behindLb = caches.filter((c) => c.node === null);
  const result = new Map<string, CacheBacking>();
  for (const cache of caches) {
    if (cache.node !== null) result.set(cache.id, { layout: 'node', nodes: [cache.node] });
    else if (pool.length === 0) result.set(cache.id, { layout: 'outside', nodes: [] });
    else if (behindLb.length === 1)
      result.set(cache.id, { layout: 'load-balancer', nodes: pool.map((n) => n.hostname) });
    else result.set(cache.id, { layout: 'ambiguous', nodes: [] });
  }
  return result;
}

/**
 * Labelled nodes no registered cache uses: DTR lists no cache at their address, and none at a
 * load balancer that they could stand behind.
 */
export function unusedCacheNodes<N extends Pick<ClusterNode, 'hostname' | 'labels'>>(
  caches: readonly RegisteredCache[],
  nodes: readonly N[],
): N[] {
  const claimed = new Set(caches.flatMap((c) => (c.node ? [c.node] : [])));
  if (caches.some((c) => c.node === null)) return [];
  return nodes.filter((n) => isCacheLabelled(n) && !claimed.has(n.hostname));
}

/** How a cache's replicas stand now: the design count and the ones serving. */
export interface ReplicaCount {
  layout: CacheLayout;
  /** Replicas by design (nodes that serve it); null when the console cannot count them. */
  total: number | null;
  /** Replicas serving now: node ready, not drained, and its own probe not failing. */
  serving: number | null;
}

/** A replica serves unless its node is down or drained, or its own probe says it does not. */
export function replicaServes(
  node: Pick<ClusterNode, 'state' | 'availability'> | undefined,
  probe: Pick<CacheState, 'status'> | undefined,
): boolean {
  if (node && (node.state !== 'ready' || node.availability === 'drain')) return false;
  return probe === undefined || probe.status === 'healthy' || probe.status === 'unknown';
}

/** The replica count of `cache`, from its own fields when the monitor filled them. */
export function replicaCount(
  cache: CacheState,
  backing: CacheBacking | undefined,
  nodes: readonly ClusterNode[],
): ReplicaCount {
  const layout = cache.layout ?? backing?.layout ?? 'outside';
  if (layout === 'ambiguous' || layout === 'outside') return { layout, total: null, serving: null };
  const names = cache.replicas?.map((r) => r.node) ?? backing?.nodes ?? [];
  const byHost = nodesByHostname(nodes);
  const probes = new Map((cache.replicas ?? []).map((r) => [r.node, r]));
  const serving = names.filter((name) =>
    replicaServes(byHost.get(name), layout === 'node' ? cache : probes.get(name)),
  ).length;
  return { layout, total: names.length, serving };
}
