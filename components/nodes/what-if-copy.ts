// Words for what a failure would do to one quorum group, shared by the overview card and the
// nodes table.
import type { FailureImpact, SingleFailure } from '@/lib/domain/placement';
import type { Quorum, QuorumStatus } from '@/lib/domain/types';
import type { Tone } from '@/components/ui/tone';
import { quorumTone } from '@/components/ui/tone';

export type Group = 'dtr' | 'ucp';
export const GROUP_LABEL: Record<Group, string> = { dtr: 'DTR', ucp: 'UCP' };

/** What a margin left after the failure means, in words rather than a state's name. */
function marginWords(margin: number): string {
  return margin === 0
    ? 'one more failure would lose quorum'
    : `${margin} more ${margin === 1 ? 'failure' : 'failures'} tolerated`;
}

export interface GroupOutcome {
  group: Group;
  changed: boolean;
  after: Quorum;
  /** "DTR margin 0: one more failure would lose quorum", "DTR quorum lost", "UCP unchanged". */
  text: string;
  /** "0", "lost", "=" — for a narrow cell. */
  short: string;
  tone: Tone;
}

export function groupOutcome(group: Group, before: Quorum, after: Quorum): GroupOutcome {
  const label = GROUP_LABEL[group];
  const changed = after.margin !== before.margin;
  if (!changed) {
    return {
      group,
      changed,
      after,
      text:
        before.members > 0 && before.status === 'lost'
          ? `${label} unchanged (quorum already lost)`
          : `${label} unchanged`,
      short: 'unchanged',
      tone: 'neutral',
    };
  }
  const lost = after.status === 'lost';
  return {
    group,
    changed,
    after,
    text: lost
      ? `${label} quorum ${before.status === 'lost' ? 'already lost' : 'lost'}`
      : after.status === 'unknown'
        ? `${label} margin ${after.margin} (cannot tell)`
        : `${label} margin ${after.margin}: ${marginWords(after.margin)}`,
    short: lost ? 'lost' : `margin ${after.margin}`,
    // A what-if, not a state: alarming only when that one failure would cost a quorum, which is
    // worse than any design allows. Margin 0 after losing one of 3 is what the design allows, so
    // it wears no warning colour and no state name ("at risk") either.
    tone: lost ? quorumTone.lost : 'neutral',
  };
}

export function outcomes(
  current: { dtr: Quorum; ucp: Quorum },
  impact: FailureImpact,
): [GroupOutcome, GroupOutcome] {
  return [
    groupOutcome('dtr', current.dtr, impact.dtr),
    groupOutcome('ucp', current.ucp, impact.ucp),
  ];
}

const SEVERITY: Record<QuorumStatus, number> = {
  lost: 0,
  unknown: 1,
  'at-risk': 2,
  degraded: 3,
  healthy: 4,
};

/** The worse of the two groups' states after the failure. */
export function worstStatus(impact: FailureImpact): QuorumStatus {
  return SEVERITY[impact.dtr.status] <= SEVERITY[impact.ucp.status]
    ? impact.dtr.status
    : impact.ucp.status;
}

/** "If dtr-node-2 fails", "If zone b fails". */
export function failureTitle(failure: SingleFailure): string {
  const { scenario } = failure;
  return scenario.kind === 'node'
    ? `If ${scenario.hostname} fails`
    : `If zone ${scenario.zone} fails`;
}

/** Where the nodes page shows the failing node or zone. */
export function failureHref(failure: SingleFailure): string {
  const { scenario } = failure;
  return scenario.kind === 'node'
    ? `/nodes?node=${encodeURIComponent(scenario.hostname)}`
    : `/nodes?zone=${encodeURIComponent(scenario.zone)}`;
}

/** "DTR replica a1b2c3d4e5f6 on dtr-node-2, UCP manager ucp-manager-2 and cache cache-node-2". */
export function describeLost(
  impact: FailureImpact,
  replicas: readonly { id: string; node: string }[],
): string {
  const nodeOf = new Map(replicas.map((r) => [r.id, r.node]));
  const parts = [
    ...impact.lost.map((member) => {
      const node = nodeOf.get(member);
      return node === undefined ? `UCP manager ${member}` : `DTR replica ${member} on ${node}`;
    }),
    ...impact.cachesLost.map((hostname) => `DTR cache ${hostname}`),
  ];
  if (parts.length <= 1) return parts[0] ?? 'nothing the console tracks';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
