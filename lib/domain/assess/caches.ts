// DTR content caches: CACHE_SINGLE_REPLICA, CACHE_UNHEALTHY.
import { CACHE_LABEL } from '../placement';
import { quoteWord } from '../shell';
import type { CacheState, ClusterNode, Warning } from '../types';
import type { AssessContext, Rule } from './context';

const labelled = (node: ClusterNode): boolean => node.labels[CACHE_LABEL]?.toLowerCase() === 'true';

/** The commands that add or remove the cache label on a node, the hostname shell-quoted. */
export const labelCommand = (hostname: string): string =>
  `docker node update --label-add ${CACHE_LABEL}=true ${quoteWord(hostname)}`;
export const unlabelCommand = (hostname: string): string =>
  `docker node update --label-rm ${CACHE_LABEL} ${quoteWord(hostname)}`;

const cacheNodes = (ctx: AssessContext): ClusterNode[] =>
  ctx.snapshot.ucp.nodes.filter((node) => node.hosts.includes('dtr-cache') || labelled(node));

/** Registered caches with their probes; undefined when the snapshot does not know them. */
const registeredCaches = (ctx: AssessContext): CacheState[] | undefined => ctx.snapshot.dtr.caches;

export const cacheSingleReplica: Rule = (ctx) => {
  const caches = registeredCaches(ctx) ?? [];
  const nodes = cacheNodes(ctx);
  const onlyCache = caches.length === 1 ? caches[0] : undefined;
  const onlyNode = nodes.length === 1 ? nodes[0] : undefined;
  const subject = onlyCache?.node ?? onlyCache?.name ?? onlyNode?.hostname;
  if (subject === undefined) return [];
  const what = onlyCache
    ? `Only one DTR cache is registered: ${onlyCache.name}`
    : `Only one DTR cache node: ${subject}`;
  return [
    {
      code: 'CACHE_SINGLE_REPLICA',
      severity: 'warning',
      title: what,
      detail: `Clients that pull through the cache on ${subject} get errors whenever it is down, even though DTR itself is fine.`,
      nextStep: `Run the cache on a second node (labelled ${CACHE_LABEL}=true) with shared storage, behind a load balancer, or point clients at DTR directly while it is down.`,
      subjects: [subject],
      href: '/caches',
    },
  ];
};

function unhealthyCache(cache: CacheState): Warning[] {
  if (cache.status === 'healthy') return [];
  const where = cache.node ? ` on ${cache.node}` : '';
  if (cache.status === 'unknown') {
    return [
      {
        code: 'CACHE_UNHEALTHY',
        severity: 'info',
        title: `DTR cache ${cache.name} could not be checked`,
        detail: `The console could not judge the cache at ${cache.url}${cache.error ? ` (${cache.error})` : ''}.`,
        nextStep: `Check that ${cache.url} is the address clients use and that the console trusts its certificate.`,
        subjects: [cache.node ?? cache.name],
        href: '/caches',
      },
    ];
  }
  return [
    {
      code: 'CACHE_UNHEALTHY',
      severity: 'warning',
      title: `DTR cache ${cache.name} is ${cache.status}`,
      detail: `Clients that pull through ${cache.url} fail or fall back to DTR, depending on their setup${cache.error ? ` (${cache.error})` : ''}.`,
      nextStep:
        cache.status === 'unreachable'
          ? `Check the node${where}: power, network, the Docker engine and the cache container. Until it answers, take it out of the cache load balancer.`
          : `Check the cache container's logs${where} and its storage. Until /v2/ answers again, take it out of the cache load balancer.`,
      subjects: [cache.node ?? cache.name],
      href: '/caches',
    },
  ];
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

/** Label and registration disagree: informational, the cache may still serve. */
function labelMismatches(caches: CacheState[], nodes: ClusterNode[]): Warning[] {
  const withCache = new Set(caches.flatMap((c) => (c.node ? [c.node] : [])));
  const unregistered = nodes
    .filter((n) => labelled(n) && !withCache.has(n.hostname))
    .map((n): Warning => ({
      code: 'CACHE_UNHEALTHY',
      severity: 'info',
      title: `Node ${n.hostname} is labelled ${CACHE_LABEL}=true but runs no registered cache`,
      detail: `DTR lists no content cache on ${n.hostname}, so the label reserves the node for nothing and this console counts a cache that clients cannot use.`,
      nextStep: `Deploy and register a cache on ${n.hostname}, or remove the label: ${unlabelCommand(n.hostname)}`,
      command: unlabelCommand(n.hostname),
      subjects: [n.hostname],
      href: '/caches',
    }));
  const byHostname = new Map(nodes.map((n) => [n.hostname, n]));
  const unlabelled = caches.flatMap((c): Warning[] => {
    const node = c.node ? byHostname.get(c.node) : undefined;
    if (!node || labelled(node)) return [];
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

export const cacheUnhealthy: Rule = (ctx) => {
  const caches = registeredCaches(ctx);
  const nodes = cacheNodes(ctx);
  // Without probe data, the node's state is the only witness.
  if (!caches) return nodes.flatMap(unreadyNode);
  const probed = new Set(caches.flatMap((c) => (c.node ? [c.node] : [])));
  return [
    ...caches.flatMap(unhealthyCache),
    ...nodes.filter((n) => !probed.has(n.hostname)).flatMap(unreadyNode),
    ...labelMismatches(caches, ctx.snapshot.ucp.nodes),
  ];
};
