// DTR content caches: CACHE_SINGLE_REPLICA, CACHE_UNHEALTHY. Which nodes serve which cache:
// lib/domain/cache-replicas.ts (the rule, from the cache HA document).
import {
  cacheBackings,
  isCacheLabelled,
  replicaCount,
  unusedCacheNodes,
  type CacheBacking,
} from '../cache-replicas';
import { CACHE_LABEL, nodesByHostname } from '../placement';
import { quoteWord } from '../shell';
import type { CacheReplica, CacheState, ClusterNode, Warning } from '../types';
import type { AssessContext, Rule } from './context';

/** The commands that add or remove the cache label on a node, the hostname shell-quoted. */
export const labelCommand = (hostname: string): string =>
  `docker node update --label-add ${CACHE_LABEL}=true ${quoteWord(hostname)}`;
export const unlabelCommand = (hostname: string): string =>
  `docker node update --label-rm ${CACHE_LABEL} ${quoteWord(hostname)}`;
/** Puts a drained or paused node back into service. */
export const activateCommand = (hostname: string): string =>
  `docker node update --availability active ${quoteWord(hostname)}`;
/** The tasks swarm runs on a node, and why any of them stopped. */
export const nodeTasksCommand = (hostname: string): string =>
  `docker node ps ${quoteWord(hostname)}`;

/** Registered caches with their probes; undefined when the snapshot does not know them. */
const registeredCaches = (ctx: AssessContext): CacheState[] | undefined => ctx.snapshot.dtr.caches;

/** Which nodes serve each cache: the monitor's answer, else the same rule on the snapshot. */
export function backingsOf(caches: readonly CacheState[], nodes: readonly ClusterNode[]) {
  const computed = cacheBackings(caches, nodes);
  return new Map(
    caches.map((c): [string, CacheBacking] => [
      c.id,
      c.layout && c.replicas
        ? { layout: c.layout, nodes: c.replicas.map((r) => r.node) }
        : (computed.get(c.id) ?? { layout: 'outside', nodes: [] }),
    ]),
  );
}

const SINGLE_NEXT_STEP = `Run it as the cache HA document does: label a second node ${CACHE_LABEL}=true, scale the cache service to one replica per labelled node on shared storage with read-after-write consistency (NFS export rw,root_squash,no_wdelay), put a load balancer in front, and register the load balancer's address as this cache's host in DTR.`;

export const cacheSingleReplica: Rule = (ctx) => {
  const caches = registeredCaches(ctx);
  const nodes = ctx.snapshot.ucp.nodes;
  if (!caches) {
    // Without DTR's list, the labelled nodes are the only witness.
    const labelled = nodes.filter((n) => n.hosts.includes('dtr-cache') || isCacheLabelled(n));
    const only = labelled.length === 1 ? labelled[0] : undefined;
    if (!only) return [];
    return [
      {
        code: 'CACHE_SINGLE_REPLICA',
        severity: 'warning',
        title: `Only one DTR cache node: ${only.hostname}`,
        detail: `Clients that pull through the cache on ${only.hostname} get errors whenever it is down, even though DTR itself is fine.`,
        nextStep: SINGLE_NEXT_STEP,
        subjects: [only.hostname],
        href: '/caches',
      },
    ];
  }
  const backings = backingsOf(caches, nodes);
  return caches.flatMap((cache): Warning[] => {
    const backing = backings.get(cache.id);
    if (!backing || (backing.layout !== 'node' && backing.layout !== 'load-balancer')) return [];
    if (backing.nodes.length >= 2) return [];
    const where = backing.nodes[0];
    const title =
      backing.layout === 'node'
        ? `DTR cache ${cache.name} has one replica, on ${where}`
        : where
          ? `DTR cache ${cache.name} has one replica behind its load balancer, on ${where}`
          : `DTR cache ${cache.name} has no replica behind its load balancer`;
    return [
      {
        code: 'CACHE_SINGLE_REPLICA',
        severity: 'warning',
        title,
        detail: `Clients set to pull through ${cache.name} (${cache.url}) get errors whenever ${where ?? 'that node'} or its cache is down, even though DTR itself is fine.`,
        nextStep: SINGLE_NEXT_STEP,
        subjects: [cache.name, ...backing.nodes],
        href: '/caches',
      },
    ];
  });
};

function unhealthyCache(cache: CacheState, backing: CacheBacking | undefined): Warning[] {
  if (cache.status === 'healthy') return [];
  const where = cache.node ? ` on ${cache.node}` : '';
  const subject = cache.node ?? cache.name;
  if (cache.status === 'unknown') {
    return [
      {
        code: 'CACHE_UNHEALTHY',
        severity: 'info',
        title: `DTR cache ${cache.name} could not be checked`,
        detail: `The console could not judge the cache at ${cache.url}${cache.error ? ` (${cache.error})` : ''}.`,
        nextStep: `Check that ${cache.url} is the address clients use and that the console trusts its certificate.`,
        subjects: [subject],
        href: '/caches',
      },
    ];
  }
  const behindLb = backing?.layout === 'load-balancer';
  return [
    {
      code: 'CACHE_UNHEALTHY',
      severity: 'warning',
      title: `DTR cache ${cache.name} is ${cache.status}`,
      detail: `Clients that pull through ${cache.url} fail or fall back to DTR, depending on their setup${cache.error ? ` (${cache.error})` : ''}.`,
      nextStep: behindLb
        ? `Check the load balancer at ${cache.url}: it must run and forward to the cache replicas (${backing.nodes.join(', ')}) that pass its /v2/ health check.`
        : cache.status === 'unreachable'
          ? `Check the node${where}: power, network, the Docker engine and the cache container. Until it answers, take it out of the cache load balancer.`
          : `Check the cache container's logs${where} and its storage. Until /v2/ answers again, take it out of the cache load balancer.`,
      subjects: [subject],
      href: '/caches',
    },
  ];
}

/** "cache-ha serves from 2 of 3 replicas" */
function fewerReplicas(cache: CacheState, backing: CacheBacking, nodes: ClusterNode[]): string {
  const count = replicaCount(cache, backing, nodes);
  if (count.total === null || count.serving === null) return '';
  return ` DTR cache ${cache.name} now serves from ${count.serving} of its ${count.total} replica${count.total === 1 ? '' : 's'}.`;
}

/**
 * A node that serves a cache but cannot now: down, drained or paused; or, behind a load balancer,
 * its own replica's probe failing on a node that is fine.
 */
function replicaTrouble(
  cache: CacheState,
  backing: CacheBacking,
  node: ClusterNode | undefined,
  probe: CacheReplica | undefined,
  nodes: ClusterNode[],
): Warning[] {
  const hostname = node?.hostname ?? probe?.node;
  if (!hostname) return [];
  const base = { code: 'CACHE_UNHEALTHY' as const, href: '/caches', subjects: [hostname] };
  const fewer = fewerReplicas(cache, backing, nodes);
  const single = backing.layout === 'node';
  if (node && node.state !== 'ready') {
    // A single-replica cache's own probe already says it is down (or, answering, that it is not).
    if (single) return [];
    return [
      {
        ...base,
        severity: 'warning',
        title: `DTR cache node ${hostname} is ${node.state}`,
        detail: `The cache replica on ${hostname} is out of service${node.message ? ` (${node.message})` : ''}.${fewer} The load balancer's health check keeps it out of the pool; each replica less is less capacity and one failure closer to an outage.`,
        nextStep: `Bring ${hostname} back: check its power, network and Docker engine. Once the node is ready again, swarm starts the cache task there; \`${nodeTasksCommand(hostname)}\` shows it running.`,
        command: nodeTasksCommand(hostname),
      },
    ];
  }
  if (node && (node.availability === 'drain' || node.availability === 'pause')) {
    const drained = node.availability === 'drain';
    return [
      {
        ...base,
        severity: 'warning',
        title: `DTR cache node ${hostname} is ${drained ? 'drained' : 'paused'}`,
        detail: drained
          ? `Swarm stops the cache task on a drained node and starts none there.${fewer || ` Clients of ${cache.name} (${cache.url}) lose that replica.`}`
          : `Swarm starts no new task on a paused node: the cache replica there runs on, but if it fails it is not replaced, and ${cache.name} loses that replica.`,
        nextStep: `Put ${hostname} back into service: ${activateCommand(hostname)}`,
        command: activateCommand(hostname),
      },
    ];
  }
  if (single || !probe || probe.status === 'healthy' || probe.status === 'unknown') return [];
  return [
    {
      ...base,
      severity: 'warning',
      title: `DTR cache ${cache.name}: the replica on ${hostname} is ${probe.status}`,
      detail: `${hostname} is ready, but the cache there does not answer /v2/${probe.error ? ` (${probe.error})` : ''}.${fewer} The load balancer's health check keeps it out of the pool.`,
      nextStep:
        probe.status === 'unreachable'
          ? `Restart the cache task on ${hostname}: \`${nodeTasksCommand(hostname)}\` shows why it stopped; swarm restarts a failed task by itself (restart policy), and \`docker service update --force <cache-service>\` restarts them all.`
          : `Check the cache container's logs on ${hostname} (\`${nodeTasksCommand(hostname)}\` names it) and its access to the shared storage; swarm replaces the task once it fails.`,
      command: nodeTasksCommand(hostname),
    },
  ];
}

/** Label and registration disagree: informational, the cache may still serve. */
function labelMismatches(caches: CacheState[], nodes: ClusterNode[]): Warning[] {
  const unregistered = unusedCacheNodes(caches, nodes).map((n): Warning => ({
    code: 'CACHE_UNHEALTHY',
    severity: 'info',
    title: `Node ${n.hostname} is labelled ${CACHE_LABEL}=true but DTR lists no cache it serves`,
    detail: `DTR lists no content cache at ${n.hostname}'s address, and none at a load balancer that ${n.hostname} could stand behind. A cache running there is one clients cannot be pointed at; with none, the label reserves the node for nothing.`,
    nextStep: `See what runs there: ${nodeTasksCommand(n.hostname)}. If a cache task does, register the address clients reach it at (its load balancer's) in DTR (POST /api/v0/content_caches). If none does, the label is left over and can go: ${unlabelCommand(n.hostname)}`,
    command: nodeTasksCommand(n.hostname),
    subjects: [n.hostname],
    href: '/caches',
  }));
  const byHostname = nodesByHostname(nodes);
  const unlabelled = caches.flatMap((c): Warning[] => {
    const node = c.node ? byHostname.get(c.node) : undefined;
    if (!node || isCacheLabelled(node)) return [];
    return [
      {
        code: 'CACHE_UNHEALTHY',
        severity: 'info',
        title: `Cache ${c.name} runs on ${node.hostname}, which is not labelled ${CACHE_LABEL}=true`,
        detail: `Without the label the cache service can be scheduled elsewhere, or other work onto this node, and placement views miss the cache.`,
        nextStep: `Label the node: ${labelCommand(node.hostname)}`,
        command: labelCommand(node.hostname),
        subjects: [node.hostname],
        href: '/caches',
      },
    ];
  });
  return [...unregistered, ...unlabelled];
}

function unreadyNode(node: ClusterNode): Warning[] {
  if (node.state === 'ready') return [];
  return [
    {
      code: 'CACHE_UNHEALTHY',
      severity: 'warning',
      title: `DTR cache node ${node.hostname} is ${node.state}`,
      detail: `Clients that pull through this cache fail or fall back to DTR, depending on their setup${node.message ? ` (${node.message})` : ''}.`,
      nextStep: `Check ${node.hostname}: power, network and the Docker engine. Until it is back, take it out of the cache load balancer.`,
      subjects: [node.hostname],
      href: '/caches',
    },
  ];
}

export const cacheUnhealthy: Rule = (ctx) => {
  const caches = registeredCaches(ctx);
  const nodes = ctx.snapshot.ucp.nodes;
  // Without probe data, the node's state is the only witness.
  if (!caches)
    return nodes
      .filter((n) => n.hosts.includes('dtr-cache') || isCacheLabelled(n))
      .flatMap(unreadyNode);
  const backings = backingsOf(caches, nodes);
  const byHostname = nodesByHostname(nodes);
  const perReplica = caches.flatMap((cache) => {
    const backing = backings.get(cache.id);
    if (!backing) return [];
    const probes = new Map((cache.replicas ?? []).map((r) => [r.node, r]));
    return backing.nodes.flatMap((hostname) =>
      replicaTrouble(cache, backing, byHostname.get(hostname), probes.get(hostname), nodes),
    );
  });
  return [
    ...caches.flatMap((c) => unhealthyCache(c, backings.get(c.id))),
    ...perReplica,
    ...labelMismatches(caches, nodes),
  ];
};
