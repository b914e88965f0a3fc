// DTR content caches: CACHE_SINGLE_REPLICA, CACHE_UNHEALTHY.
import type { ClusterNode } from '../types';
import type { AssessContext, Rule } from './context';

const cacheNodes = (ctx: AssessContext): ClusterNode[] =>
  ctx.snapshot.ucp.nodes.filter(
    (node) => node.hosts.includes('dtr-cache') || node.labels['dtr.cache'] === 'true',
  );

export const cacheSingleReplica: Rule = (ctx) => {
  const caches = cacheNodes(ctx);
  const only = caches.length === 1 ? caches[0] : undefined;
  if (!only) return [];
  return [
    {
      code: 'CACHE_SINGLE_REPLICA',
      severity: 'warning',
      title: `Only one DTR cache node: ${only.hostname}`,
      detail: `Clients that pull through the cache on ${only.hostname} get errors whenever that node is down, even though DTR itself is fine.`,
      nextStep:
        'Run the cache on a second node (labelled dtr.cache=true) behind a load balancer, or point clients at DTR directly while it is down.',
      subjects: [only.hostname],
      href: '/caches',
    },
  ];
};

export const cacheUnhealthy: Rule = (ctx) =>
  cacheNodes(ctx).flatMap((node) => {
    if (node.state === 'ready') return [];
    return [
      {
        code: 'CACHE_UNHEALTHY' as const,
        severity: 'warning' as const,
        title: `DTR cache node ${node.hostname} is ${node.state}`,
        detail: `Clients that pull through this cache fail or fall back to DTR, depending on their setup${node.message ? ` (${node.message})` : ''}.`,
        nextStep: `Check ${node.hostname}: power, network and the Docker engine. Until it is back, take it out of the cache load balancer.`,
        subjects: [node.hostname],
        href: '/caches',
      },
    ];
  });
