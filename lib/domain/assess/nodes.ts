// Nodes that carry HA members: NODE_DOWN.
import type { ClusterNode } from '../types';
import type { AssessContext, Rule } from './context';
import { listOf } from './format';

function whatItHosts(ctx: AssessContext, node: ClusterNode): string[] {
  const replicas = ctx.snapshot.dtr.replicas
    .filter((r) => r.node === node.hostname)
    .map((r) => `DTR replica ${r.id}`);
  return [
    ...(replicas.length > 0
      ? replicas
      : node.hosts.includes('dtr-replica')
        ? ['a DTR replica']
        : []),
    ...(node.hosts.includes('ucp-manager') || node.role === 'manager' ? ['a UCP manager'] : []),
    ...(node.hosts.includes('dtr-cache') ? ['a DTR cache'] : []),
  ];
}

export const nodeDown: Rule = (ctx) => {
  const dtrLost = ctx.snapshot.dtr.replicas.length > 0 && ctx.snapshot.dtr.quorum.status === 'lost';
  const ucpLost =
    ctx.snapshot.ucp.managers.total > 0 && ctx.snapshot.ucp.managers.status === 'lost';
  return ctx.snapshot.ucp.nodes.flatMap((node) => {
    if (node.state === 'ready') return [];
    const hosted = whatItHosts(ctx, node);
    if (hosted.length === 0) return [];
    // Kept simple: critical when a quorum this node belongs to is lost, so this node may be what brought it down.
    const hostsReplica = ctx.snapshot.dtr.replicas.some((r) => r.node === node.hostname);
    const breaksDtr = dtrLost && hostsReplica;
    const breaksUcp = ucpLost && node.role === 'manager';
    const critical = breaksDtr || breaksUcp;
    const quorums = [breaksDtr ? 'DTR' : '', breaksUcp ? 'UCP' : ''].filter(Boolean).join(' and ');
    return [
      {
        code: 'NODE_DOWN' as const,
        severity: critical ? ('critical' as const) : ('warning' as const),
        title: `Node ${node.hostname} is ${node.state}`,
        detail:
          `It hosts ${listOf(hosted)}, which ${hosted.length === 1 ? 'is' : 'are'} out of service while the node is ${node.state}` +
          `${node.message ? ` (${node.message})` : ''}.` +
          (critical
            ? ` The ${quorums} quorum is lost and this node is one of the missing members.`
            : ''),
        nextStep:
          `Check ${node.hostname}: power, network and the Docker engine. If it will not come back, replace what it hosted, one change at a time` +
          (!hostsReplica
            ? '.'
            : dtrLost
              ? ': DTR quorum is lost, so follow the emergency-repair step first.'
              : ' (for a DTR replica: remove it, then join a new one).'),
        subjects: [node.hostname],
        href: `/nodes?node=${encodeURIComponent(node.hostname)}`,
      },
    ];
  });
};
