// DTR quorum and failed replicas: DTR_QUORUM_LOST, DTR_QUORUM_AT_RISK, DTR_QUORUM_UNKNOWN,
// DTR_REPLICA_UNHEALTHY, DTR_REPLICA_UNKNOWN, DTR_REPLICA_OFFLINE_LONG.
import type { ReplicaState, Severity } from '../types';
import { ageMs, isDown, type AssessContext, type Rule } from './context';
import { adviceForFailedReplica, failedAdvice, quorumLossAdvice } from './dtr-advice';
import { durationInWords, listOf, plural } from './format';

const basisOf = (ctx: AssessContext): string =>
  ctx.snapshot.dtr.quorum.basis ? ` Evidence: ${ctx.snapshot.dtr.quorum.basis}` : '';

const unknownReplicas = (ctx: AssessContext) =>
  ctx.snapshot.dtr.replicas.filter((r) => r.quorumVote === 'unknown');

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
        `Only ${quorum.healthy} of ${plural(quorum.replicas, 'replica')} ${quorum.healthy === 1 ? 'counts' : 'count'} towards the majority and DTR needs ${quorum.majority}. ` +
        'This is an outage, not a read-only mode: login, push and pull fail with internal server errors, and every replica’s /_ping reports unhealthy.' +
        basisOf(ctx),
      ...quorumLossAdvice(ctx),
      subjects: replicas.filter((r) => r.quorumVote !== 'up').map((r) => r.id),
    },
  ];
};

export const dtrQuorumAtRisk: Rule = (ctx) => {
  const { replicas, quorum } = ctx.snapshot.dtr;
  if (replicas.length === 0 || quorum.status !== 'at-risk') return [];
  const notUp = replicas.filter((r) => r.quorumVote !== 'up');
  const unknown = unknownReplicas(ctx);
  // At risk only if the replicas of unknown state are down: the console says so, without alarm.
  const onlyIfUnknownDown = unknown.length > 0;
  return [
    {
      code: 'DTR_QUORUM_AT_RISK',
      severity: onlyIfUnknownDown ? 'warning' : 'critical',
      title: onlyIfUnknownDown
        ? 'DTR quorum holds, with no margin if the replicas the console cannot judge are down'
        : 'DTR quorum is at risk: one more failure stops the registry',
      detail:
        `${quorum.healthy} of ${plural(quorum.replicas, 'replica')} count towards the majority, exactly the ${quorum.majority} DTR needs` +
        (onlyIfUnknownDown
          ? `; the state of ${listOf(unknown.map((r) => r.id))} is unknown. If ${unknown.length === 1 ? 'it is' : 'they are'} down, one more failure stops login, push and pull for everyone.`
          : `. This cluster is built to survive ${plural(quorum.failuresTolerated, 'failure')} and has none left: if one more replica fails, login, push and pull stop for everyone.`) +
        basisOf(ctx),
      ...(onlyIfUnknownDown
        ? {
            nextStep: `Find out whether ${listOf(unknown.map((r) => `${r.id} (on ${r.node})`))} ${unknown.length === 1 ? 'is' : 'are'} up: the replica cards say what the console could not check. Make no membership change until the console can judge every replica.`,
            href: '/replicas',
          }
        : failedAdvice(ctx)),
      subjects: notUp.map((r) => r.id),
    },
  ];
};

export const dtrQuorumUnknown: Rule = (ctx) => {
  const { replicas, quorum } = ctx.snapshot.dtr;
  if (replicas.length === 0 || quorum.status !== 'unknown') return [];
  const unknown = unknownReplicas(ctx);
  return [
    {
      code: 'DTR_QUORUM_UNKNOWN',
      severity: 'critical',
      title: 'The console cannot tell whether DTR has quorum',
      detail:
        `${quorum.healthy} of ${plural(quorum.replicas, 'replica')} count towards the majority and DTR needs ${quorum.majority}; ` +
        `${unknown.length > 0 ? `the state of ${listOf(unknown.map((r) => r.id))} is unknown, and ${unknown.length === 1 ? 'it decides' : 'they decide'}` : 'the evidence contradicts itself'}. ` +
        'The registry may be working or down: the console will not call it lost without corroboration, nor healthy without proof.' +
        basisOf(ctx),
      nextStep:
        'Check the registry itself (docker login and a pull through DTR_URL), then what stops the console judging those replicas: ' +
        'the replica cards say which witness is missing (the console’s own probe, DTR’s cluster_status, or UCP’s node list). ' +
        'Make no membership change (remove, join, emergency-repair) on this evidence.',
      subjects: unknown.map((r) => r.id),
      href: '/replicas',
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
    case 'unknown':
      return 'The console cannot tell whether the cluster still has a majority.';
    default:
      return (
        `The cluster still has a majority (${quorum.healthy} of ${quorum.replicas}), but while this replica counts as a member ` +
        `it can take ${plural(Math.max(quorum.margin, 0), 'more failure')} instead of ${quorum.failuresTolerated}.`
      );
  }
}

function failedSeverity(ctx: AssessContext, replica: ReplicaState): Severity {
  const status = ctx.snapshot.dtr.quorum.status;
  // A replica failing /_ping while RethinkDB still counts it does not cost the quorum anything.
  if (replica.quorumVote === 'up' && status === 'healthy') return 'warning';
  return status === 'lost' || status === 'at-risk' || status === 'unknown' ? 'critical' : 'warning';
}

function whatIsWrong(replica: ReplicaState): string {
  const reason = replica.error ? `: ${replica.error}` : '';
  const inQuorum =
    replica.quorumVote === 'up'
      ? ' RethinkDB still counts it in the majority, so the quorum is not affected; the load balancer should take it out of the pool.'
      : '';
  return `${
    replica.status === 'unreachable' ? `It is down${reason}.` : `It reports unhealthy${reason}.`
  }${inQuorum}`;
}

export const dtrReplicaUnhealthy: Rule = (ctx) =>
  ctx.snapshot.dtr.replicas
    .filter((r) => r.status === 'unhealthy' || r.status === 'unreachable')
    .map((replica) => ({
      code: 'DTR_REPLICA_UNHEALTHY',
      severity: failedSeverity(ctx, replica),
      title: `DTR replica ${replica.id} on ${replica.node} is ${replica.status}`,
      detail:
        `${whatIsWrong(replica)} ${replica.quorumVote === 'up' ? '' : consequence(ctx)}`.trim(),
      ...adviceForFailedReplica(ctx, replica),
      subjects: [replica.id, replica.node],
    }));

export const dtrReplicaUnknown: Rule = (ctx) =>
  ctx.snapshot.dtr.replicas
    .filter((r) => r.status === 'unknown')
    .map((replica) => ({
      code: 'DTR_REPLICA_UNKNOWN' as const,
      severity: 'warning' as const,
      title: `The console cannot judge DTR replica ${replica.id} on ${replica.node}`,
      detail: `${replica.verdict.reason} Until it can, the replica counts neither up nor down.`,
      nextStep:
        replica.ping?.kind === 'tls'
          ? 'Give the console the CA that signed DTR’s certificate (DTR_CA_FILE), or probe the replicas’ HTTP port (DTR_PROBE_SCHEME=http).'
          : `Check that the console reaches ${replica.address ?? replica.node} on port ${replica.httpsPort} (or ${replica.httpPort} with DTR_PROBE_SCHEME=http) and DTR’s API (DTR_URL); then look at the replica’s dtr-* containers on ${replica.node}.`,
      subjects: [replica.id, replica.node],
      href: `/nodes?node=${encodeURIComponent(replica.node)}`,
    }));

export const dtrReplicaOfflineLong: Rule = (ctx) =>
  ctx.snapshot.dtr.replicas.flatMap((replica) => {
    if (!isDown(replica)) return [];
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
