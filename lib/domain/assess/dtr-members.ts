// States of individual replicas that real clusters reach: DTR_REPLICA_GHOST,
// DTR_REPLICAS_SHARE_NODE, DTR_REPLICA_READONLY, DTR_VERSION_SKEW, DTR_REPLICA_SLOW.
import { lookCommand } from '../advice/commands';
import type { ReplicaState, Severity, Warning } from '../types';
import { type AssessContext, type Rule } from './context';
import { adviceForFailedReplica } from './dtr-advice';
import { nodeHref } from './dtr-replicas';
import { listOf, plural } from './format';

function tightSeverity(ctx: AssessContext): Severity {
  const status = ctx.snapshot.dtr.quorum.status;
  return status === 'lost' || status === 'at-risk' || status === 'unknown' ? 'critical' : 'warning';
}

export const dtrReplicaGhost: Rule = (ctx) => {
  const { quorum } = ctx.snapshot.dtr;
  return ctx.snapshot.dtr.replicas
    .filter((r) => r.status === 'ghost')
    .map((replica) => ({
      code: 'DTR_REPLICA_GHOST' as const,
      severity: tightSeverity(ctx),
      title: `DTR replica ${replica.id} is a ghost: its node ${replica.node} is gone from the swarm`,
      detail:
        `DTR still lists replica ${replica.id} on ${replica.node}, but UCP’s node list has no such node — the usual state after a dead node was removed with docker node rm. ` +
        `DTR still counts it: the cluster of ${quorum.replicas} needs ${quorum.majority} replicas up, so the ghost eats one failure of tolerance. ` +
        'The console does not probe it (the load balancer would answer for it) and leaves it out of generated load-balancer configs.',
      ...adviceForFailedReplica(ctx, replica),
      subjects: [replica.id, replica.node],
    }));
};

/** Replicas per node (hostnames compared without case), for nodes with more than one. */
function sharedNodes(replicas: readonly ReplicaState[]): Map<string, ReplicaState[]> {
  const byNode = new Map<string, ReplicaState[]>();
  for (const r of replicas) {
    const key = r.node.toLowerCase();
    byNode.set(key, [...(byNode.get(key) ?? []), r]);
  }
  return new Map([...byNode].filter(([, list]) => list.length > 1));
}

export const dtrReplicasShareNode: Rule = (ctx) =>
  [...sharedNodes(ctx.snapshot.dtr.replicas).values()].map((replicas): Warning => {
    const node = replicas[0]?.node ?? '';
    const ids = replicas.map((r) => r.id);
    // Which of them the node's containers belong to, when UCP listed them.
    const withContainers = replicas.filter((r) => r.image !== null && r.image !== undefined);
    const leftovers =
      withContainers.length > 0 && withContainers.length < replicas.length
        ? replicas.filter((r) => !withContainers.includes(r))
        : [];
    const command = lookCommand(node);
    return {
      code: 'DTR_REPLICAS_SHARE_NODE',
      severity: 'warning',
      title: `${plural(replicas.length, 'DTR replica')} are listed on one node, ${node}`,
      detail:
        `DTR lists ${listOf(ids)} on ${node}. DTR runs one replica per node, so this is the leftover of a join that did not finish, ` +
        'or of a replica destroyed (not removed) and joined again. Losing that one node would cost every one of them, and a leftover ID still counts against the majority.' +
        (leftovers.length > 0
          ? ` UCP lists containers only for ${listOf(withContainers.map((r) => r.id))}: ${listOf(leftovers.map((r) => r.id))} ${leftovers.length === 1 ? 'has' : 'have'} none.`
          : ''),
      nextStep:
        (leftovers.length > 0
          ? `Remove the leftover ${listOf(leftovers.map((r) => r.id))} with \`remove\`, run through a healthy replica.`
          : `Find which ID the containers on ${node} belong to (the command below, through a UCP client bundle), then remove the other with \`remove\`, run through a healthy replica.`) +
        ' One change at a time.',
      ...(command !== undefined && { command }),
      subjects: [...ids, node],
      href: `/replicas/remove?replica=${encodeURIComponent(leftovers[0]?.id ?? ids[0] ?? '')}`,
    };
  });

export const dtrReplicaReadonly: Rule = (ctx) => {
  const readonly = ctx.snapshot.dtr.replicas.filter((r) => r.readonly === true);
  if (readonly.length === 0) return [];
  const all = readonly.length === ctx.snapshot.dtr.replicas.length;
  return [
    {
      code: 'DTR_REPLICA_READONLY',
      severity: 'warning',
      title: all
        ? 'DTR is in read-only mode: pushes and deletes are refused'
        : `DTR ${readonly.length === 1 ? `replica ${readonly[0]?.id} is` : `replicas ${listOf(readonly.map((r) => r.id))} are`} read-only`,
      detail:
        `cluster_status marks ${all ? 'every replica' : listOf(readonly.map((r) => `${r.id} (on ${r.node})`))} read-only: pulls work, but pushes, deletes and other writes ` +
        `${all ? 'fail for everyone' : 'that land on it fail, so some pushes through the load balancer fail and others succeed'}. ` +
        'DTR goes read-only on purpose during maintenance (a backup, garbage collection, an upgrade) or when an admin turns on read-only mode.',
      nextStep:
        'If no maintenance is running, check DTR’s read-only setting (System → General, or readOnlyRegistry in /api/v0/meta/settings) and turn it off; ' +
        `if it is off, look at the dtr-* containers of ${listOf(readonly.map((r) => r.node))}.`,
      subjects: readonly.map((r) => r.id),
      href: '/replicas',
    },
  ];
};

export const dtrVersionSkew: Rule = (ctx) => {
  const byTag = new Map<string, ReplicaState[]>();
  for (const r of ctx.snapshot.dtr.replicas) {
    if (!r.image) continue;
    byTag.set(r.image.tag, [...(byTag.get(r.image.tag) ?? []), r]);
  }
  if (byTag.size < 2) return [];
  const groups = [...byTag].sort((a, b) => b[1].length - a[1].length);
  const where = groups
    .map(([tag, list]) => `${tag} on ${listOf(list.map((r) => r.id))}`)
    .join('; ');
  return [
    {
      code: 'DTR_VERSION_SKEW',
      severity: 'warning',
      title: `DTR replicas run different versions (${groups.map(([tag]) => tag).join(', ')})`,
      detail:
        `The replicas’ dtr-registry containers run ${where}. DTR upgrades replicas one at a time, so mixed versions are normal only while \`upgrade\` runs; ` +
        'left so, the replicas disagree on schema and behaviour, and a bootstrapper of the wrong version can damage the cluster.',
      nextStep:
        'If an upgrade stopped part way, run it again with the bootstrapper of the newest version; if one replica was joined with an older bootstrapper, remove it and join it again with the cluster’s version. ' +
        'Every membership command must use the version of the replica it runs against.',
      subjects: ctx.snapshot.dtr.replicas.filter((r) => r.image).map((r) => r.id),
      href: '/replicas',
    },
  ];
};

/** Below this, a replica is not slow whatever the others do. */
export const SLOW_FLOOR_MS = 250;
/** A replica this many times slower than the others' median is an outlier. */
export const SLOW_FACTOR = 5;

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const dtrReplicaSlow: Rule = (ctx) => {
  const healthy = ctx.snapshot.dtr.replicas.filter(
    (r) => r.status === 'healthy' && typeof r.latencyMedianMs === 'number',
  );
  if (healthy.length < 2) return [];
  return healthy.flatMap((replica) => {
    const own = replica.latencyMedianMs as number;
    const others = medianOf(
      healthy.filter((r) => r !== replica).map((r) => r.latencyMedianMs as number),
    );
    if (own < SLOW_FLOOR_MS || own < SLOW_FACTOR * Math.max(others, 1)) return [];
    return [
      {
        code: 'DTR_REPLICA_SLOW' as const,
        severity: 'warning' as const,
        title: `DTR replica ${replica.id} answers much slower than the others`,
        detail:
          `Over the last polls its /_ping took more than ${SLOW_FACTOR} times as long as the other replicas’ and over ${SLOW_FLOOR_MS} ms (the replica card shows the figures). ` +
          'It still counts as healthy, but a replica this slow is often short of CPU, memory or disk, or its node is overloaded; requests the load balancer sends it are slow too, and it may be the next to fail.',
        nextStep: `Look at the load of ${replica.node} (CPU, memory, disk I/O) and at its dtr-* containers; if another workload crowds it, move that workload off the DTR node.`,
        subjects: [replica.id, replica.node],
        href: nodeHref(replica.node),
      },
    ];
  });
};
