import type { ClusterNode, ManagerDetail, Reachability } from '@/lib/domain/types';
import { formatLatency } from '@/lib/format';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { memberLabel, memberTone, type Tone } from '@/components/ui/tone';

type ManagerNode = ClusterNode & { manager: ManagerDetail };

const reachabilityTone: Record<Reachability, Tone> = {
  reachable: 'ok',
  unreachable: 'bad',
  unknown: 'neutral',
};
const reachabilityLabel: Record<Reachability, string> = {
  reachable: 'Raft: reachable',
  unreachable: 'Raft: unreachable',
  unknown: 'Raft: unknown',
};

/** UCP managers from the node list: leader first, then by hostname. */
export function managersOf(nodes: ClusterNode[]): ManagerNode[] {
  return nodes
    .filter((node): node is ManagerNode => node.role === 'manager' && node.manager !== null)
    .sort(
      (a, b) =>
        Number(b.manager.leader) - Number(a.manager.leader) || a.hostname.localeCompare(b.hostname),
    );
}

export function ManagerList({ nodes, now }: { nodes: ClusterNode[]; now: number }) {
  const managers = managersOf(nodes);
  if (managers.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-700 dark:border-slate-600 dark:text-slate-300">
        No UCP managers reported. If UCP is not answering, see the source status above.
      </p>
    );
  }
  return (
    <ul className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3" aria-label="UCP managers">
      {managers.map((node) => {
        const { manager } = node;
        const ping = manager.ping;
        return (
          <li
            key={node.id}
            data-testid={`manager-${node.hostname}`}
            data-reachability={manager.reachability}
            data-status={manager.status ?? 'unknown'}
            className="flex min-w-0 flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-700 dark:bg-slate-900"
          >
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="mr-auto font-mono font-semibold break-all">{node.hostname}</h3>
              {manager.leader && (
                <Badge tone="info" icon={false}>
                  Leader
                </Badge>
              )}
              {manager.status && manager.status !== 'healthy' && (
                <Badge tone={memberTone[manager.status]}>{memberLabel[manager.status]}</Badge>
              )}
              <Badge tone={reachabilityTone[manager.reachability]}>
                {reachabilityLabel[manager.reachability]}
              </Badge>
            </div>
            {manager.status && manager.status !== 'healthy' && manager.verdict && (
              <p className="text-sm" data-testid={`manager-verdict-${node.hostname}`}>
                {manager.verdict.reason}
              </p>
            )}
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-600 dark:text-slate-300">Ping</dt>
              <dd>
                {ping ? (
                  <>
                    <Badge tone={memberTone[ping.status]}>{memberLabel[ping.status]}</Badge>{' '}
                    {formatLatency(ping.latencyMs)}{' '}
                    <span className="text-slate-600 dark:text-slate-300">
                      (<RelativeTime time={ping.checkedAt} now={now} />)
                    </span>
                    {ping.error && (
                      <span className="block font-mono text-xs break-words">{ping.error}</span>
                    )}
                  </>
                ) : (
                  'not probed'
                )}
              </dd>
              <dt className="text-slate-600 dark:text-slate-300">State</dt>
              <dd className="break-words">
                <Badge
                  tone={node.state === 'ready' ? 'ok' : node.state === 'down' ? 'bad' : 'neutral'}
                >
                  {node.state}
                </Badge>{' '}
                {node.message}
              </dd>
              <dt className="text-slate-600 dark:text-slate-300">Engine</dt>
              <dd className="font-mono">{node.engineVersion ?? 'unknown'}</dd>
              {node.addr && (
                <>
                  <dt className="text-slate-600 dark:text-slate-300">Address</dt>
                  <dd className="font-mono break-all">{node.addr}</dd>
                </>
              )}
            </dl>
          </li>
        );
      })}
    </ul>
  );
}
