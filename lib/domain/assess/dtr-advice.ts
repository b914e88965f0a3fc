// What to do about failed DTR replicas, given the state of the quorum (DESIGN.md §1, §3).
import { buildEmergencyRepairCommand, buildRemoveCommand } from '../commands';
import type { ReplicaState, Warning } from '../types';
import { commandFields, dtrCommand, isDown, survivingReplica, type AssessContext } from './context';
import { durationInWords, listOf } from './format';

type Advice = Pick<Warning, 'nextStep' | 'command' | 'href'>;

/** The dtr tool talks to UCP: with the UCP quorum lost, no DTR change can run. */
function ucpFirst(ctx: AssessContext): string {
  const ucp = ctx.snapshot.ucp.managers;
  return ucp.total > 0 && ucp.status === 'lost'
    ? 'UCP has lost its manager quorum too: restore UCP first, the dtr tool needs it. Then: '
    : '';
}

const DESTROY_IS_NOT_REMOVE =
  ' Use `remove`, not `destroy`: destroy deletes the containers without telling the cluster, so the dead replica keeps counting against the quorum.';

/**
 * Remove the failed replicas (all at once: `remove` refuses while any other replica is
 * unhealthy), then join new ones. Only valid while a healthy majority remains.
 */
export function removeThenJoin(
  ctx: AssessContext,
  target?: ReplicaState,
  { gone = false }: { gone?: boolean } = {},
): Advice {
  const replicas = ctx.snapshot.dtr.replicas;
  const failed = replicas.filter((r) => isDown(r) || r.id === target?.id);
  if (failed.length === 0) {
    return {
      nextStep:
        'Find out why the replicas with an unknown state are not reporting before changing membership.',
      href: '/replicas/remove',
    };
  }
  const ids = failed.map((r) => r.id);
  const survivor = survivingReplica(ctx);
  const command = survivor
    ? dtrCommand(ctx, (c) =>
        buildRemoveCommand({ ...c, existingReplicaId: survivor.id, replicaIds: ids }),
      )
    : null;
  const { command: text, note } = commandFields(command, 'remove');
  const together =
    ids.length > 1
      ? ` \`remove\` checks that every other replica is healthy, so ${listOf(ids)} go in one command.`
      : '';
  const first =
    target && !gone
      ? `If ${target.node} is just rebooting, it will rejoin by itself. Otherwise remove`
      : 'Remove';
  return {
    nextStep:
      `${ucpFirst(ctx)}${first} ${ids.length > 1 ? 'the failed replicas' : `replica ${ids[0]}`} first, then join a new replica on a healthy worker, ` +
      `one change at a time: joining while a failed replica still counts can split the cluster.${together}${DESTROY_IS_NOT_REMOVE}` +
      ` Afterwards, take the removed replica out of the load balancer.${note}`,
    ...(text !== undefined && { command: text }),
    href: `/replicas/remove?replica=${encodeURIComponent(target?.id ?? ids[0] ?? '')}`,
  };
}

/**
 * Its containers are up: healthy, vouched for by the cluster, or answering its own `/_ping`
 * unhealthy (as every replica does once DTR has lost quorum). Emergency repair needs such a one.
 */
export function stillAnswers(r: ReplicaState): boolean {
  return (
    r.status === 'healthy' ||
    r.status === 'unreachable-from-console' ||
    (r.status === 'unhealthy' && r.ping !== null && r.ping.status !== 'unreachable')
  );
}

/** Replicas that still answer, best emergency-repair candidate first: newest replica_timestamp. */
export function repairCandidates(ctx: AssessContext): ReplicaState[] {
  const answering = ctx.snapshot.dtr.replicas.filter(stillAnswers);
  const reportedAt = (r: ReplicaState) =>
    r.lastReport === null
      ? Number.NEGATIVE_INFINITY
      : Date.parse(r.lastReport) || Number.NEGATIVE_INFINITY;
  return [...answering].sort((a, b) => reportedAt(b) - reportedAt(a));
}

/** After quorum loss: emergency-repair the best replica, or restore from backup. */
export function emergencyRepair(ctx: AssessContext): Advice {
  const replicas = ctx.snapshot.dtr.replicas;
  const only = replicas.length === 1 ? replicas[0] : undefined;
  if (only) {
    return {
      nextStep:
        `Bring replica ${only.id} back: check node ${only.node}, its Docker engine and its dtr-* containers. ` +
        'If it cannot be started, restore DTR from backup. Then join two more replicas so one failure no longer stops the registry.',
      href: '/replicas/repair',
    };
  }
  const [best, ...others] = repairCandidates(ctx);
  if (!best) {
    return {
      nextStep:
        'No replica answers. Bring back the node of one replica (power, network, Docker engine), then run emergency-repair on it. ' +
        'If no replica can be brought back, restore DTR from backup.',
      href: '/replicas/repair',
    };
  }
  const command = dtrCommand(ctx, (c) =>
    buildEmergencyRepairCommand({ ...c, existingReplicaId: best.id }),
  );
  const { command: text, note } = commandFields(command, 'emergency-repair');
  const age = best.lastReport === null ? null : Date.parse(best.lastReport);
  const why =
    age === null || Number.isNaN(age)
      ? 'it still answers, though no replica reported a timestamp'
      : `it has the newest report (${durationInWords(ctx.nowMs - age)} ago) among the replicas that still answer`;
  const fallback =
    others.length === 0
      ? ''
      : `try ${listOf(others.map((r) => r.id))}${others.length > 1 ? ' in that order' : ''}; if none works, `;
  return {
    nextStep:
      `${ucpFirst(ctx)}Run emergency-repair on replica ${best.id} (on ${best.node}): ${why}. It turns that replica into a single-replica cluster; ` +
      `then join new replicas one at a time. Removing replicas cannot work now: \`remove\` needs a healthy majority. ` +
      `If the repair fails, ${fallback}restore DTR from backup.${note}`,
    ...(text !== undefined && { command: text }),
    href: `/replicas/repair?replica=${encodeURIComponent(best.id)}`,
  };
}

/** Advice for one failed replica: remove-then-join with a majority, emergency-repair without. */
export function adviceForFailedReplica(
  ctx: AssessContext,
  replica: ReplicaState,
  options: { gone?: boolean } = {},
): Advice {
  const status = ctx.snapshot.dtr.quorum.status;
  if (status === 'unknown') {
    return {
      nextStep:
        'The console cannot tell whether DTR still has a majority: make no membership change yet. First restore the console’s view (see the quorum warning), ' +
        `and check replica ${replica.id}’s node ${replica.node} and its dtr-* containers.`,
      href: '/replicas',
    };
  }
  if (status !== 'lost') return removeThenJoin(ctx, replica, options);
  if (ctx.snapshot.dtr.replicas.length === 1) return emergencyRepair(ctx);
  return {
    nextStep:
      'Quorum is lost, so `remove` cannot run: it needs a healthy majority. Follow the emergency-repair step of the ' +
      '"DTR has lost quorum" warning, then join new replicas one at a time.',
    href: '/replicas/repair',
  };
}
