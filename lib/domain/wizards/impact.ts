// Before/after quorum of a membership change, in numbers and in words.
import { plural } from '../assess/format';
import { assessQuorum } from '../quorum';
import type { ClusterSnapshot, QuorumStatus } from '../types';

export interface ImpactSide {
  replicas: number;
  healthy: number;
  majority: number;
  /** Failures the cluster survives by design ((n - 1) div 2). */
  failuresTolerated: number;
  /** More failures it can take right now (healthy - majority); below zero quorum is lost. */
  margin: number;
  status: QuorumStatus;
}

export interface Impact {
  before: ImpactSide;
  after: ImpactSide;
  /** One sentence per side and the change, for people. */
  summary: string[];
}

export function impactSide(replicas: number, healthy: number): ImpactSide {
  const q = assessQuorum(replicas, healthy);
  return {
    replicas: q.members,
    healthy: q.healthy,
    majority: q.majority,
    failuresTolerated: q.failuresTolerated,
    margin: q.margin,
    status: q.status,
  };
}

function sideInWords(label: string, side: ImpactSide): string {
  if (side.replicas === 0) return `${label}: no replicas.`;
  const now =
    side.margin < 0
      ? 'quorum is lost: the registry is down'
      : side.margin === 0
        ? 'it cannot lose another replica right now'
        : `it can lose ${plural(side.margin, 'more replica')} right now`;
  const design =
    side.failuresTolerated === 0
      ? 'survives no failure by design'
      : `survives ${plural(side.failuresTolerated, 'failure')} by design`;
  return `${label}: ${plural(side.replicas, 'replica')}, ${side.healthy} healthy. DTR needs ${side.majority}, ${design}, and ${now}.`;
}

export function describeImpact(before: ImpactSide, after: ImpactSide): Impact {
  const summary = [sideInWords('Before', before), sideInWords('After', after)];
  const marginChange = after.margin - before.margin;
  if (after.margin >= 0 && marginChange > 0)
    summary.push(`The change gives back ${plural(marginChange, 'failure')} of headroom.`);
  if (after.margin >= 0 && marginChange < 0)
    summary.push(`The change uses up ${plural(-marginChange, 'failure')} of headroom.`);
  if (after.margin >= 0 && marginChange === 0 && after.failuresTolerated < before.failuresTolerated)
    summary.push('The headroom now stays the same, but the design tolerates fewer failures.');
  return { before, after, summary };
}

export const currentSide = (status: ClusterSnapshot): ImpactSide =>
  impactSide(
    status.dtr.replicas.length,
    status.dtr.replicas.filter((r) => r.quorumVote === 'up').length,
  );

/** Removing replicas: each removed member leaves n, and a healthy one leaves h too. */
export function removeImpact(status: ClusterSnapshot, replicaIds: readonly string[]): Impact {
  const leaving = status.dtr.replicas.filter((r) => replicaIds.includes(r.id));
  const before = currentSide(status);
  return describeImpact(
    before,
    impactSide(
      before.replicas - leaving.length,
      before.healthy - leaving.filter((r) => r.quorumVote === 'up').length,
    ),
  );
}

/** Joining one replica that comes up healthy. */
export function joinImpact(status: ClusterSnapshot): Impact {
  const before = currentSide(status);
  return describeImpact(before, impactSide(before.replicas + 1, before.healthy + 1));
}

/** Emergency repair: one replica, brought back healthy, is the whole cluster. */
export function repairImpact(status: ClusterSnapshot): Impact {
  return describeImpact(currentSide(status), impactSide(1, 1));
}
