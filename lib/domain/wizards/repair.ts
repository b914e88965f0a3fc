// The emergency-repair wizard's rules: only after quorum loss, through the replica that has the
// newest data among those that still answer; restore from backup when none does.
import { createContext, nodeByHostname, type AssessContext } from '../assess/context';
import {
  bringBackTargets,
  couldNotBringBack,
  quorumLossLadder,
  reportedAt,
} from '../advice/ladder';
import { repairCandidates } from '../assess/dtr-advice';
import { listOf } from '../assess/format';
import { buildEmergencyRepairCommand, type DtrCommand } from '../commands';
import type { ClusterSnapshot, Instant, MemberStatus, ReplicaState } from '../types';
import {
  applyAcknowledgements,
  blocks,
  buildCommand,
  dtrReadGates,
  dtrUncertaintyGates,
  ucpQuorumGates,
  versionGates,
  type Gate,
  type PlanOptions,
} from './gates';
import { repairImpact, type Impact } from './impact';

export interface RepairInput {
  /** The replica that survives as a single-replica cluster; the newest reporter when left out. */
  keepReplicaId?: string;
  /** Add `--prune`. */
  prune?: boolean;
  acknowledge?: readonly string[];
}

export interface RepairCandidate {
  id: string;
  node: string;
  status: MemberStatus;
  lastReport: Instant | null;
  /**
   * Its containers are down on a node UCP reports ready: emergency repair redeploys them from
   * the replica's data volumes, so it can be the one kept — behind an acknowledgement.
   */
  stopped: boolean;
}

/** Down replicas whose node is ready: their containers stopped, their data volumes still there. */
function stoppedOnReadyNode(ctx: AssessContext): ReplicaState[] {
  return ctx.snapshot.dtr.replicas
    .filter((r) => r.status === 'unreachable' && nodeByHostname(ctx, r.node)?.state === 'ready')
    .sort((a, b) => reportedAt(b) - reportedAt(a));
}

export interface RepairPlan {
  /** Emergency repair applies: DTR quorum is lost and there is more than one replica. */
  offered: boolean;
  ok: boolean;
  gates: Gate[];
  /** Replicas that still answer, newest report first. */
  candidates: RepairCandidate[];
  suggestedKeep: string | null;
  keepReplicaId: string | null;
  /** Nothing to repair from: the way back is a restore from backup. */
  restoreFromBackup: boolean;
  impact: Impact;
  command?: DtrCommand;
}

const CONSEQUENCE_ACK = 'repair-consequence';
/** The gate lifted by saying no replica could be brought back (the ladder's acknowledgement). */
export const BRING_BACK_ACK = 'bring-back-first';

export function planRepair(
  status: ClusterSnapshot,
  input: RepairInput = {},
  options: PlanOptions = {},
): RepairPlan {
  const { replicas, quorum } = status.dtr;
  const ctx = createContext(status);
  const candidates: RepairCandidate[] = [
    ...repairCandidates(ctx).map((r) => ({ r, stopped: false })),
    ...stoppedOnReadyNode(ctx).map((r) => ({ r, stopped: true })),
  ].map(({ r, stopped }) => ({
    id: r.id,
    node: r.node,
    status: r.status,
    lastReport: r.lastReport,
    stopped,
  }));
  const suggestedKeep = candidates[0]?.id ?? null;
  const impact = repairImpact(status);
  const offered = replicas.length > 1 && quorum.status === 'lost';
  const gates: Gate[] = [
    ...dtrReadGates(status, { allowStale: true }),
    ...dtrUncertaintyGates(status),
    ...ucpQuorumGates(status),
  ];
  const base = { offered, candidates, suggestedKeep, impact, restoreFromBackup: false };

  // Never read DTR: dtr-unreadable says so, and nothing here can be judged.
  if (replicas.length === 0)
    return { ...base, offered: false, ok: false, gates, keepReplicaId: null };
  if (quorum.status !== 'lost') {
    gates.push({
      id: 'quorum-intact',
      severity: 'block',
      message: `DTR still has quorum (${quorum.healthy} of ${quorum.replicas} healthy, ${quorum.majority} needed). Emergency repair would throw away every other replica for nothing: remove failed replicas, then join new ones.`,
      href: '/replicas/remove',
      hrefLabel: 'Remove wizard',
    });
    return { ...base, ok: false, gates, keepReplicaId: null };
  }
  if (replicas.length === 1) {
    gates.push({
      id: 'single-replica',
      severity: 'block',
      message:
        'There is only one replica: emergency repair has nothing to shrink. Bring that replica back (node, Docker engine, its dtr-* containers); if it cannot be started, restore DTR from backup.',
    });
    return { ...base, ok: false, gates, keepReplicaId: null, restoreFromBackup: true };
  }
  // The advice ladder's order: bring a replica back first; repair only once none could be.
  const back = quorumLossLadder(ctx).find((s) => s.id === 'bring-back');
  gates.push({
    id: BRING_BACK_ACK,
    severity: 'block',
    message:
      `First try to bring a replica back: ${back ? `${back.title.charAt(0).toLowerCase()}${back.title.slice(1)}. ${back.when}` : 'start its containers or its node.'} ` +
      'That loses nothing; emergency repair drops every other replica. Come back here only if none of them can be brought back.' +
      (back?.command ? ' On a machine with a UCP client bundle:' : ''),
    ...(back?.command !== undefined && { command: back.command }),
    acknowledge: couldNotBringBack(bringBackTargets(ctx)),
    href: '/',
    hrefLabel: 'The steps on the overview',
  });
  if (candidates.length === 0) {
    gates.push({
      id: 'no-replica-answers',
      severity: 'block',
      message:
        'No replica answers, and none is stopped on a node UCP reports ready. Bring back the node of one replica (power, network, Docker engine) and run emergency repair on it. If no replica can be brought back, restore DTR from backup.',
    });
    return { ...base, ok: false, gates, keepReplicaId: null, restoreFromBackup: true };
  }

  const keepId = input.keepReplicaId ?? suggestedKeep;
  const keep = replicas.find((r) => r.id === keepId);
  if (!keep) {
    gates.push({
      id: 'keep-unknown',
      severity: 'block',
      message: `There is no replica ${keepId ?? ''} in the replica list. Pick the replica to keep from the list.`,
    });
  } else if (!candidates.some((c) => c.id === keep.id)) {
    gates.push({
      id: 'keep-unreachable',
      severity: 'block',
      message: `The console cannot reach replica ${keep.id} on ${keep.node}, and its node is not ready. Emergency repair runs on a replica whose data volumes are on a working node: pick one of ${listOf(candidates.map((c) => c.id))}.`,
    });
  } else if (candidates.find((c) => c.id === keep.id)?.stopped) {
    gates.push({
      id: 'keep-stopped',
      severity: 'block',
      message: `Replica ${keep.id}’s containers are down on ${keep.node}, which UCP reports ready. Emergency repair redeploys the DTR containers from the replica’s data volumes, so it can run on it — if those volumes are intact. Check them first on ${keep.node}: docker volume ls --filter name=dtr-`,
      acknowledge: `The data volumes of ${keep.id} on ${keep.node} are intact: redeploy it from them.`,
    });
  } else if (keep.id !== suggestedKeep && suggestedKeep !== null) {
    gates.push({
      id: 'keep-not-newest',
      severity: 'warn',
      message: `Replica ${suggestedKeep} reported more recently. The replica you keep becomes the only copy of DTR’s metadata: the newest one loses the least.`,
    });
  }

  const others = replicas.filter((r) => r.id !== keepId).map((r) => r.id);
  gates.push({
    id: CONSEQUENCE_ACK,
    severity: 'block',
    message: `Emergency repair makes replica ${keepId} a cluster of one. ${listOf(others)} ${others.length === 1 ? 'is' : 'are'} dropped from the cluster; changes only they held are lost, and their nodes need their DTR containers cleaned up before they can join again. Afterwards join new replicas one at a time.`,
    acknowledge: `I understand that every replica except ${keepId} leaves the cluster.`,
  });
  if (input.prune === true) {
    gates.push({
      id: 'prune',
      severity: 'warn',
      message:
        '--prune also deletes the data volumes of the replicas that leave the cluster, on their nodes: they can then never serve as a fallback if this repair fails. Leave it out unless the vendor’s support asks for it.',
    });
  }
  gates.push(...versionGates(status));

  const judged = applyAcknowledgements(gates, input.acknowledge);
  const plan: RepairPlan = {
    ...base,
    ok: false,
    gates: judged,
    keepReplicaId: keep ? keep.id : null,
  };
  if (blocks(judged).length > 0 || !keep) return plan;
  const built = buildCommand(status, options, keep.id, (connection) =>
    buildEmergencyRepairCommand({
      ...connection,
      existingReplicaId: keep.id,
      ...(input.prune === true && { prune: true }),
    }),
  );
  const all = [...judged, ...built.gates];
  return {
    ...plan,
    gates: all,
    ok: blocks(all).length === 0,
    ...(built.command && { command: built.command }),
  };
}
