import Link from '@/components/ui/cluster-link';
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
  /** Nodes per zone in the whole inventory (a served status lists only the nodes that matter). */
  zoneSizes?: Readonly<Record<string, number>>;
}

/** The single node or zone whose loss would hurt most, in one sentence, with where to look. */
export function WorstFailure({ failure, current, replicas, zoneSizes }: WorstFailureProps) {
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
  // A what-if, not the cluster's state: neutral colours, alarming only when that one failure
  // would cost a quorum, which is worse than the design allows.
  const alarming = status === 'lost';
  const tone: Tone = alarming ? 'bad' : 'neutral';
  // A group with no members (DTR not configured on a Swarm-only console) has nothing to say.
  const said = outcomes(current, failure).filter((o) => o.after.members > 0);
  const zone = failure.scenario.kind === 'zone' ? failure.scenario.zone : null;
  const zoneNodes = zone !== null ? (zoneSizes?.[zone] ?? failure.nodes.length) : 0;
  return (
    <div
      data-testid="worst-failure"
      data-status={status}
      data-scenario={failure.scenario.kind}
      data-tone={tone}
      className={`flex gap-3 rounded-lg border-l-4 p-4 ${panelTone[tone]}`}
    >
      {alarming && <StatusIcon tone="bad" className="mt-0.5 size-5" />}
      <div className="flex min-w-0 flex-col gap-1">
        <p className="flex flex-wrap items-center gap-2">
          <span className="rounded border border-current px-1.5 text-xs font-semibold tracking-wide">
            What-if
          </span>
          <span className="font-semibold">{failureTitle(failure)}</span>
        </p>
        <ul data-testid="worst-failure-outcomes" className="font-medium">
          {said.map((o) => (
            <li key={o.group}>{o.text}</li>
          ))}
        </ul>
        <p className="text-sm">
          {zone !== null
            ? `Zone ${zone} holds ${zoneNodes} ${zoneNodes === 1 ? 'node' : 'nodes'}; losing it takes down `
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
