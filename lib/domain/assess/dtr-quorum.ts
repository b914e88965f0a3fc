// DTR quorum and failed replicas: DTR_QUORUM_LOST, DTR_QUORUM_AT_RISK, DTR_REPLICA_UNHEALTHY,
// DTR_REPLICA_OFFLINE_LONG.
import type { ReplicaState, Severity } from '../types';
import { ageMs, isDown, type AssessContext, type Rule } from './context';
import { adviceForFailedReplica, emergencyRepair, removeThenJoin } from './dtr-advice';
import { durationInWords, plural } from './format';

export const dtrQuorumLost: Rule = (ctx) => {
  const { replicas, quorum } = ctx.snapshot.dtr;
  // No replicas means DTR was never read; SOURCE_UNREACHABLE says so.
  if (replicas.length === 0 || quorum.status !== 'lost') return [];
  return [
    {
      code: 'DTR_QUORUM_LOST',
      severity: 'critical',
      title: 'DTR has lost quorum: the registry is down',
      detail:
        `Only ${quorum.healthy} of ${plural(quorum.replicas, 'replica')} ${quorum.healthy === 1 ? 'is' : 'are'} healthy and DTR needs ${quorum.majority}. ` +
        'This is an outage, not a read-only mode: login, push and pull fail with internal server errors, and every replica’s /_ping reports unhealthy.',
      ...emergencyRepair(ctx),
      subjects: replicas.filter((r) => r.status !== 'healthy').map((r) => r.id),
    },
  ];
};

export const dtrQuorumAtRisk: Rule = (ctx) => {
  const { replicas, quorum } = ctx.snapshot.dtr;
  if (replicas.length === 0 || quorum.status !== 'at-risk') return [];
  const notHealthy = replicas.filter((r) => r.status !== 'healthy');
  return [
    {
      code: 'DTR_QUORUM_AT_RISK',
      severity: 'critical',
      title: 'DTR quorum is at risk: one more failure stops the registry',
      detail:
        `${quorum.healthy} of ${plural(quorum.replicas, 'replica')} are healthy, exactly the ${quorum.majority} DTR needs. ` +
        `This cluster is built to survive ${plural(quorum.failuresTolerated, 'failure')} and has none left: ` +
        `if one more replica fails, login, push and pull stop for everyone.`,
      ...removeThenJoin(ctx),
      subjects: notHealthy.map((r) => r.id),
    },
  ];
};

function consequence(ctx: AssessContext): string {
  const { quorum } = ctx.snapshot.dtr;
  switch (quorum.status) {
    case 'lost':
      return 'With quorum lost, the whole registry is down.';
    case 'at-risk':
      return `The cluster still has a majority (${quorum.healthy} of ${quorum.replicas}), but one more failure is an outage.`;
    default:
      return (
        `The cluster still has a majority (${quorum.healthy} of ${quorum.replicas}), but while this replica counts as a member ` +
        `it can take ${plural(quorum.margin, 'more failure')} instead of ${quorum.failuresTolerated}.`
      );
  }
}

function failedSeverity(ctx: AssessContext): Severity {
  const status = ctx.snapshot.dtr.quorum.status;
  return status === 'lost' || status === 'at-risk' ? 'critical' : 'warning';
}

function whatIsWrong(replica: ReplicaState): string {
  const reason = replica.error ? `: ${replica.error}` : '';
  return replica.status === 'unreachable'
    ? `The console cannot reach it${reason}.`
    : `It reports unhealthy${reason}.`;
}

export const dtrReplicaUnhealthy: Rule = (ctx) =>
  ctx.snapshot.dtr.replicas.filter(isDown).map((replica) => ({
    code: 'DTR_REPLICA_UNHEALTHY',
    severity: failedSeverity(ctx),
    title: `DTR replica ${replica.id} on ${replica.node} is ${replica.status}`,
    detail: `${whatIsWrong(replica)} ${consequence(ctx)}`,
    ...adviceForFailedReplica(ctx, replica),
    subjects: [replica.id, replica.node],
  }));

export const dtrReplicaOfflineLong: Rule = (ctx) =>
  ctx.snapshot.dtr.replicas.flatMap((replica) => {
    if (replica.status === 'healthy') return [];
    const down = ageMs(ctx, replica.since);
    if (down === null || down <= ctx.offlineLongMs) return [];
    const { quorum } = ctx.snapshot.dtr;
    return [
      {
        code: 'DTR_REPLICA_OFFLINE_LONG' as const,
        severity: 'warning' as const,
        title: `DTR replica ${replica.id} has not been healthy for ${durationInWords(down)}`,
        detail:
          `Replica ${replica.id} on ${replica.node} has been ${replica.status} since ${replica.since}. ` +
          `A failed replica that is not removed still counts as a member: the cluster of ${quorum.replicas} still needs ` +
          `${quorum.majority} healthy replicas, so it silently eats failure tolerance.`,
        ...adviceForFailedReplica(ctx, replica),
        subjects: [replica.id, replica.node],
      },
    ];
  });
