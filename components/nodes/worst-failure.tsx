import Link from 'next/link';
import type { SingleFailure } from '@/lib/domain/placement';
import type { Quorum, ReplicaState } from '@/lib/domain/types';
import { StatusIcon } from '@/components/ui/status-icon';
import { panelTone, type Tone } from '@/components/ui/tone';
import { describeLost, failureHref, failureTitle, outcomes, worstStatus } from './what-if-copy';

interface WorstFailureProps {
  /** null when no node hosts a DTR replica or UCP manager. */
  failure: SingleFailure | null;
  current: { dtr: Quorum; ucp: Quorum };
  replicas: readonly Pick<ReplicaState, 'id' | 'node'>[];
}

/** The single node or zone whose loss would hurt most, in one sentence, with where to look. */
export function WorstFailure({ failure, current, replicas }: WorstFailureProps) {
  if (!failure) {
    return (
      <p
        data-testid="worst-failure"
        data-status="none"
        className={`rounded-lg border-l-4 p-4 text-sm ${panelTone.neutral}`}
      >
        No node is known to host a DTR replica or a UCP manager, so no single failure can be
        assessed yet.
      </p>
    );
  }
  const status = worstStatus(failure);
  // A hypothetical: alarming only when that one failure would cost a quorum.
  const tone: Tone = status === 'lost' ? 'bad' : 'info';
  // A group with no members (DTR not configured on a Swarm-only console) has nothing to say.
  const said = outcomes(current, failure).filter((o) => o.after.members > 0);
  const zone = failure.scenario.kind === 'zone' ? failure.scenario.zone : null;
  return (
    <div
      data-testid="worst-failure"
      data-status={status}
      data-scenario={failure.scenario.kind}
      className={`flex gap-3 rounded-lg border-l-4 p-4 shadow-sm ${panelTone[tone]}`}
    >
      <StatusIcon tone={tone} className="mt-0.5 size-5" />
      <div className="flex min-w-0 flex-col gap-1">
        <p className="font-semibold text-balance">
          {failureTitle(failure)}: {said.map((o) => o.text).join(', ')}
        </p>
        <p className="text-sm">
          {zone !== null
            ? `Zone ${zone} holds ${failure.nodes.length} ${failure.nodes.length === 1 ? 'node' : 'nodes'}; losing it takes down `
            : 'Losing it takes down '}
          {describeLost(failure, replicas)}.
        </p>
        <p className="text-sm">
          <Link
            href={failureHref(failure)}
            className="font-semibold underline underline-offset-2 hover:no-underline"
          >
            {zone !== null ? `Show the nodes in zone ${zone}` : 'Show this node'}
          </Link>
          <span className="text-slate-700 dark:text-slate-300">
            {' '}
            · every node&apos;s what-if is on the Nodes page
          </span>
        </p>
      </div>
    </div>
  );
}
