// The remove wizard's rules: which removals are safe, which need an explicit acknowledgement,
// and which the tool itself would refuse (DESIGN.md §1, §3).
import { listOf, plural } from '../assess/format';
import { buildRemoveCommand, supportsRemoveForce, type DtrCommand } from '../commands';
import type { ClusterSnapshot, ReplicaState } from '../types';
import {
  applyAcknowledgements,
  blocks,
  buildCommand,
  dtrReadGates,
  existingReplicaGates,
  bringBackFirstGates,
  dtrUncertaintyGates,
  isHealthy,
  isUp,
  suggestHealthy,
  ucpQuorumGates,
  versionGates,
  type Gate,
  type PlanOptions,
} from './gates';
import { removeImpact, type Impact } from './impact';

export interface RemoveInput {
  /** The replica to remove; it may be unhealthy. */
  replicaId: string;
  /** Other failed replicas removed in the same command (the tool wants every other replica healthy). */
  alsoRemove?: readonly string[];
  /** The healthy replica that stays and runs the removal; suggested when left out. */
  existingReplicaId?: string;
  /** Ask for `--force` (MSR 2.9+); only takes effect together with acknowledging `others-unhealthy`. */
  force?: boolean;
  /** IDs of gates the person acknowledged. */
  acknowledge?: readonly string[];
}

export interface RemovePlan {
  ok: boolean;
  gates: Gate[];
  /** What the command removes: the chosen replica first. */
  replicaIds: string[];
  suggestedExisting: string | null;
  /** The replica the command runs through, when one qualifies. */
  existingReplicaId: string | null;
  /** Replicas that stay but are not healthy: the ones that make the tool refuse. */
  otherFailed: string[];
  /** The installed version has `remove --force`. */
  forceAvailable: boolean;
  /** `--force` is in the command. */
  force: boolean;
  impact: Impact | null;
  command?: DtrCommand;
}

const describe = (r: ReplicaState) => `${r.id} on ${r.node} (${r.status})`;

function removeHref(replicaId: string): string {
  return `/replicas/remove?replica=${encodeURIComponent(replicaId)}`;
}

function othersUnhealthyGate(
  status: ClusterSnapshot,
  chosen: ReplicaState,
  others: ReplicaState[],
  forceAvailable: boolean,
  forceHelps: boolean,
): Gate {
  const [first] = others;
  const named = listOf(others.map(describe));
  const verb = others.length === 1 ? 'is' : 'are';
  const advice = isHealthy(chosen)
    ? ` Failed replicas go first: remove ${others.length === 1 ? 'it' : 'them'} (or bring ${others.length === 1 ? 'it' : 'them'} back) before removing a healthy one.`
    : ` Remove ${others.length === 1 ? 'it' : 'them'} in the same command (tick ${others.length === 1 ? 'it' : 'them'} above), or bring ${others.length === 1 ? 'it' : 'them'} back first.`;
  const version = status.dtr.version;
  const force = forceAvailable
    ? forceHelps
      ? ` Version ${version} has --force to skip that check, for when you know why ${others.length === 1 ? 'that replica is' : 'those replicas are'} unhealthy.`
      : ' --force would not help: the cluster would be left without a healthy majority.'
    : version === null
      ? ' The console does not know your DTR version, so it cannot offer --force (MSR 2.9 and later).'
      : ` Version ${version} has no --force to skip the check (MSR 2.9 added it).`;
  return {
    id: 'others-unhealthy',
    severity: 'block',
    message: `${named} ${verb} not healthy. \`remove\` checks that every other replica is healthy and refuses otherwise.${advice}${force}`,
    ...(forceAvailable &&
      forceHelps && {
        acknowledge: `Use --force: skip the tool’s health check. I know why ${listOf(others.map((r) => r.id))} ${verb} unhealthy and accept that the removal may fail half-way.`,
      }),
    ...(isHealthy(chosen) &&
      first && { href: removeHref(first.id), hrefLabel: `Remove ${first.id} first` }),
  };
}

/** Gates about what the cluster looks like afterwards. */
function afterGates(impact: Impact, leaving: ReplicaState[]): Gate[] {
  const { before, after } = impact;
  const gates: Gate[] = [];
  const healthyLeaving = leaving.filter(isHealthy);
  const removingHealthy = healthyLeaving.length > 0;
  if (after.replicas === 0) return gates;
  if (after.margin < 0) {
    gates.push({
      id: 'quorum-after-lost',
      severity: 'block',
      message: `Afterwards ${after.healthy} of ${plural(after.replicas, 'replica')} would be healthy and DTR needs ${after.majority}: the registry would go down. Bring the failed replicas back or remove them first.`,
    });
    return gates;
  }
  if (after.replicas === 1) {
    gates.push({
      id: 'single-replica-left',
      severity: removingHealthy ? 'block' : 'warn',
      message:
        'Afterwards one replica is the whole cluster: no high availability. If it fails, the registry is down until it is repaired or restored from backup.',
      ...(removingHealthy && {
        acknowledge: 'I understand that one replica gives no high availability.',
      }),
    });
  } else if (after.replicas === 2) {
    gates.push(
      removingHealthy
        ? {
            id: 'two-replicas-left',
            severity: 'block',
            message: `Removing a healthy replica leaves 2, which tolerate no failure (now: ${plural(before.failuresTolerated, 'failure')}): losing either replica stops the registry, and there are two machines whose failure does. Join a replacement first if you are moving the replica, then remove this one.`,
            acknowledge:
              'I understand that with 2 replicas losing either one stops the registry, and I will join a replacement next.',
          }
        : {
            id: 'two-replicas-left',
            severity: 'warn',
            message:
              'This is the safe repair order: remove the failed replica first, then join a new one. Until the new replica has joined, the 2 replicas left tolerate no failure: both must stay up. Join a replacement right after this.',
            href: '/replicas/join',
            hrefLabel: 'Join wizard',
          },
    );
  } else if (removingHealthy && after.failuresTolerated < before.failuresTolerated) {
    gates.push({
      id: 'tolerance-drop',
      severity: 'warn',
      message: `Afterwards the cluster survives ${plural(after.failuresTolerated, 'failure')} by design instead of ${before.failuresTolerated}.`,
    });
  }
  if (after.replicas >= 4 && after.replicas % 2 === 0) {
    gates.push({
      id: 'even-after',
      severity: 'warn',
      message: `${after.replicas} replicas tolerate no more failures than ${after.replicas - 1}, with one more machine that can fail. Plan the next change: join one more replica or remove another, one at a time.`,
    });
  }
  if (removingHealthy) {
    gates.push({
      id: 'removing-healthy',
      severity: 'warn',
      message: `${listOf(healthyLeaving.map(describe))} still serves traffic: take it out of the load-balancer pool before running the command, so clients are not cut off mid-request.`,
      href: '/load-balancer',
      hrefLabel: 'Load balancer',
    });
  }
  return gates;
}

export function planRemove(
  status: ClusterSnapshot,
  input: RemoveInput,
  options: PlanOptions = {},
): RemovePlan {
  const replicas = status.dtr.replicas;
  const forceAvailable = supportsRemoveForce(status.dtr.version);
  const chosen = replicas.find((r) => r.id === input.replicaId);
  const gates: Gate[] = [
    ...dtrReadGates(status),
    ...dtrUncertaintyGates(status),
    ...ucpQuorumGates(status),
  ];
  const base = {
    suggestedExisting: suggestHealthy(status, [input.replicaId]),
    forceAvailable,
    force: false,
  };
  if (!chosen) {
    gates.push({
      id: 'unknown-replica',
      severity: 'block',
      message: `There is no replica ${input.replicaId} in the replica list. Pick the replica to remove from the list.`,
    });
    return {
      ...base,
      ok: false,
      gates,
      replicaIds: [],
      existingReplicaId: null,
      otherFailed: [],
      impact: null,
    };
  }

  const also = [...new Set(input.alsoRemove ?? [])].filter((id) => id !== chosen.id);
  for (const id of also) {
    const replica = replicas.find((r) => r.id === id);
    if (!replica) {
      gates.push({
        id: 'unknown-replica',
        severity: 'block',
        message: `There is no replica ${id} in the replica list.`,
      });
    } else if (isHealthy(replica)) {
      gates.push({
        id: 'also-remove-healthy',
        severity: 'block',
        message: `Replica ${id} is healthy. Only failed replicas go in the same command; remove healthy replicas one at a time.`,
      });
    }
  }
  const replicaIds = [chosen.id, ...also.filter((id) => replicas.some((r) => r.id === id))];
  const leaving = replicas.filter((r) => replicaIds.includes(r.id));
  const staying = replicas.filter((r) => !replicaIds.includes(r.id));

  if (status.dtr.quorum.status === 'lost') {
    gates.push({
      id: 'quorum-lost',
      severity: 'block',
      message: `DTR has lost quorum (${status.dtr.quorum.healthy} of ${status.dtr.quorum.replicas} healthy, ${status.dtr.quorum.majority} needed). \`remove\` needs a healthy majority and cannot run: use emergency repair.`,
      href: '/replicas/repair',
      hrefLabel: 'Emergency repair',
    });
  }
  if (staying.length === 0) {
    gates.push({
      id: 'last-replica',
      severity: 'block',
      message:
        'At least one replica must stay: `remove` runs through a replica that remains. To rebuild DTR from nothing, restore from backup.',
    });
  }

  const impact = removeImpact(status, replicaIds);
  const otherFailed = staying.filter((r) => !isUp(r));
  if (otherFailed.length > 0) {
    gates.push(
      othersUnhealthyGate(status, chosen, otherFailed, forceAvailable, impact.after.margin >= 0),
    );
  }
  if (input.force === true && !forceAvailable) {
    gates.push({
      id: 'force-unsupported',
      severity: 'block',
      message: `--force needs MSR 2.9 or later; the console sees ${status.dtr.version === null ? 'an unknown version' : `version ${status.dtr.version}`}.`,
    });
  }

  const existing = existingReplicaGates(status, input.existingReplicaId, replicaIds);
  gates.push(...existing.gates);

  if (status.dtr.quorum.status !== 'lost') {
    gates.push(...bringBackFirstGates(status, leaving, options.offlineLongMs));
    gates.push(...afterGates(impact, leaving));
  }
  if (
    status.dtr.clusterView?.tablesReadyForWrites === false &&
    status.dtr.quorum.status !== 'lost'
  ) {
    gates.push({
      id: 'tables-not-writable',
      severity: 'warn',
      message:
        'Some DTR tables are not writable right now. If a join or remove just happened, wait until they are before another change.',
    });
  }
  gates.push(...versionGates(status));

  // Acknowledging the health check is the --force decision: both must be given.
  const acknowledged = (input.acknowledge ?? []).filter(
    (id) => id !== 'others-unhealthy' || input.force === true,
  );
  const judged = applyAcknowledgements(gates, acknowledged);
  const force =
    forceAvailable && judged.some((g) => g.id === 'others-unhealthy' && g.acknowledged === true);
  const plan: RemovePlan = {
    ...base,
    ok: false,
    gates: judged,
    replicaIds,
    existingReplicaId: existing.existing,
    otherFailed: otherFailed.map((r) => r.id),
    force,
    impact,
  };
  if (blocks(judged).length > 0 || existing.existing === null) return plan;

  const existingReplicaId = existing.existing;
  const built = buildCommand(status, options, existingReplicaId, (connection) =>
    buildRemoveCommand({ ...connection, existingReplicaId, replicaIds, force }),
  );
  const all = [...judged, ...built.gates];
  return {
    ...plan,
    gates: all,
    ok: blocks(all).length === 0,
    ...(built.command && { command: built.command }),
  };
}
