// The nodes table's cells: each fact in words (and colour where it is a state).
import type { FailureImpact } from '@/lib/domain/placement';
import type {
  ClusterNode,
  HostedRole,
  NodeAvailability,
  NodeState,
  Quorum,
} from '@/lib/domain/types';
import { formatBytes } from '@/lib/format';
import { Badge } from '@/components/ui/badge';
import type { Tone } from '@/components/ui/tone';
import { outcomes } from './what-if-copy';

export const HOSTED_LABEL: Record<HostedRole, string> = {
  'dtr-replica': 'DTR replica',
  'ucp-manager': 'UCP manager',
  'dtr-cache': 'DTR cache',
};
const HOSTED_TONE: Record<HostedRole, Tone> = {
  'dtr-replica': 'info',
  'ucp-manager': 'neutral',
  'dtr-cache': 'neutral',
};
const STATE_TONE: Record<NodeState, Tone> = {
  ready: 'ok',
  down: 'bad',
  disconnected: 'bad',
  unknown: 'neutral',
};
const AVAILABILITY_TONE: Record<NodeAvailability, Tone> = {
  active: 'ok',
  pause: 'warn',
  drain: 'warn',
  unknown: 'neutral',
};

/** Swarm's NanoCPUs as vCPUs: 4e9 → "4 vCPU", 1.5e9 → "1.5 vCPU". */
export function formatVcpu(nanoCpus: number | null): string {
  if (nanoCpus === null || !Number.isFinite(nanoCpus) || nanoCpus < 0) return 'unknown';
  return `${Math.round(nanoCpus / 1e8) / 10} vCPU`;
}

const muted = 'text-slate-600 dark:text-slate-300';

export function StateCell({ node }: { node: ClusterNode }) {
  return (
    <div className="flex min-w-0 flex-col items-start gap-0.5">
      <Badge tone={STATE_TONE[node.state]}>{node.state}</Badge>
      <span className={`block w-full truncate text-xs ${muted}`} title={node.message || undefined}>
        {node.message || <span className="sr-only">no UCP message</span>}
      </span>
    </div>
  );
}

export function AvailabilityCell({ availability }: { availability: NodeAvailability }) {
  return (
    <Badge tone={AVAILABILITY_TONE[availability]} icon={false}>
      {availability}
    </Badge>
  );
}

export function ManagerCell({ node }: { node: ClusterNode }) {
  if (!node.manager)
    return (
      <span className={muted}>
        —<span className="sr-only">not a manager</span>
      </span>
    );
  const { leader, reachability } = node.manager;
  const tone: Tone =
    reachability === 'reachable' ? 'ok' : reachability === 'unreachable' ? 'bad' : 'neutral';
  return (
    <div className="flex min-w-0 flex-col items-start gap-0.5">
      <Badge tone={tone}>{reachability}</Badge>
      <span className={`text-xs ${leader ? 'font-semibold' : muted}`}>
        {leader ? 'Raft leader' : 'follower'}
      </span>
    </div>
  );
}

export function HostsCell({ hosts }: { hosts: readonly HostedRole[] }) {
  if (hosts.length === 0) return <span className={muted}>workloads only</span>;
  return (
    <div className="flex flex-wrap gap-1">
      {hosts.map((role) => (
        <Badge key={role} tone={HOSTED_TONE[role]} icon={false}>
          {HOSTED_LABEL[role]}
        </Badge>
      ))}
    </div>
  );
}

export function ResourcesCell({ node }: { node: ClusterNode }) {
  return (
    <span className="whitespace-nowrap tabular-nums">
      {formatVcpu(node.nanoCpus)} · {formatBytes(node.memoryBytes)}
    </span>
  );
}

/** What losing this node would do: the groups it changes, red when a quorum would be lost. */
export function WhatIfCell({
  hostname,
  impact,
  current,
  testIdPrefix = 'what-if',
}: {
  hostname: string;
  impact: FailureImpact;
  current: { dtr: Quorum; ucp: Quorum };
  /** The table and the phone cards each name their own. */
  testIdPrefix?: string;
}) {
  const changed = outcomes(current, impact).filter((o) => o.changed);
  const effect = changed.some((o) => o.after.status === 'lost')
    ? 'lost'
    : changed.length > 0
      ? 'weakens'
      : impact.lost.length > 0 || impact.cachesLost.length > 0
        ? 'no-quorum-change'
        : 'none';
  return (
    <div
      data-testid={`${testIdPrefix}-${hostname}`}
      data-effect={effect}
      data-dtr={impact.dtr.status}
      data-ucp={impact.ucp.status}
      className="flex flex-wrap gap-1"
    >
      {changed.map((o) => (
        <span key={o.group} title={o.text}>
          <Badge tone={o.tone}>
            <span className="sr-only">{o.text}</span>
            <span aria-hidden="true">
              {o.group.toUpperCase()} {o.short}
            </span>
          </Badge>
        </span>
      ))}
      {effect === 'no-quorum-change' && (
        <span className={`text-xs ${muted}`}>
          {impact.lost.length > 0 ? 'no change (already down)' : 'loses a cache'}
        </span>
      )}
      {effect === 'none' && <span className={`text-xs ${muted}`}>no effect</span>}
    </div>
  );
}
