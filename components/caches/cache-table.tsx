import { replicaCount, type CacheBacking } from '@/lib/domain/cache-replicas';
import type { CacheLayout, CacheState, ClusterNode } from '@/lib/domain/types';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { memberLabel, memberTone } from '@/components/ui/tone';
import { WideTable } from '@/components/ui/wide-table';

const LAYOUT_TEXT: Record<CacheLayout, string> = {
  node: 'on one node (registered at its address)',
  'load-balancer': 'behind a load balancer',
  ambiguous:
    'behind a load balancer; several caches are, so the console cannot tell which labelled nodes serve this one',
  outside: 'outside this cluster (no labelled node serves it): replicas not visible here',
};

const AVAILABILITY_TEXT: Partial<Record<ClusterNode['availability'], string>> = {
  drain: 'drained',
  pause: 'paused',
};

/** Registered DTR content caches: own /v2/ probe, and each replica with its node's state. */
export function CacheTable({
  caches,
  backings,
  nodes,
  now,
}: {
  caches: CacheState[];
  backings: Map<string, CacheBacking>;
  nodes: ClusterNode[];
  now: number;
}) {
  const byHostname = new Map(nodes.map((n) => [n.hostname, n]));
  return (
    <WideTable label="Content caches">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Registered DTR content caches and their replicas</caption>
        <thead className="bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100">
          <tr>
            <th scope="col" className="px-3 py-2 font-semibold">
              Name
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Registered host
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Replicas
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Status
            </th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">
              Latency
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Since
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
          {caches.map((cache) => {
            const backing = backings.get(cache.id);
            const count = replicaCount(cache, backing, nodes);
            const probes = new Map((cache.replicas ?? []).map((r) => [r.node, r]));
            const replicaNodes = backing?.nodes ?? [];
            return (
              <tr
                key={cache.id}
                data-testid={`cache-row-${cache.name}`}
                data-status={cache.status}
                data-layout={count.layout}
                data-replicas={count.total ?? 'unknown'}
                data-serving={count.serving ?? 'unknown'}
                className="align-top"
              >
                <th scope="row" className="px-3 py-2 font-semibold">
                  {cache.name}
                </th>
                <td className="px-3 py-2 font-mono text-xs break-all">{cache.url}</td>
                <td className="px-3 py-2">
                  <div className="flex flex-col gap-1">
                    <span data-testid={`cache-replicas-${cache.name}`}>
                      {count.total === null ? (
                        'unknown'
                      ) : (
                        <>
                          <span className="font-semibold">
                            {count.total} replica{count.total === 1 ? '' : 's'}
                          </span>
                          {count.serving !== count.total && `, ${count.serving} serving`}
                        </>
                      )}
                      <span className="text-xs text-slate-700 dark:text-slate-300">
                        {' '}
                        · {LAYOUT_TEXT[count.layout]}
                      </span>
                    </span>
                    {replicaNodes.length > 0 && (
                      <ul className="flex flex-col gap-1 text-xs">
                        {replicaNodes.map((hostname) => {
                          const node = byHostname.get(hostname);
                          const probe = count.layout === 'node' ? cache : probes.get(hostname);
                          const nodeIssue =
                            node && node.state !== 'ready'
                              ? `node ${node.state}`
                              : node
                                ? AVAILABILITY_TEXT[node.availability]
                                : 'not in the node list';
                          return (
                            <li
                              key={hostname}
                              data-testid={`cache-replica-${cache.name}-${hostname}`}
                              data-status={probe?.status ?? 'unknown'}
                              className="flex flex-wrap items-center gap-1"
                            >
                              <code className="font-mono">{hostname}</code>
                              {probe && count.layout !== 'node' && (
                                <Badge tone={memberTone[probe.status]}>
                                  {memberLabel[probe.status]}
                                </Badge>
                              )}
                              {nodeIssue && <Badge tone="warn">{nodeIssue}</Badge>}
                              {probe?.error && count.layout !== 'node' && (
                                <span className="text-slate-700 dark:text-slate-300">
                                  {probe.error}
                                </span>
                              )}
                            </li>
                          );
                        })}
                      </ul>
                    )}
                  </div>
                </td>
                <td className="px-3 py-2">
                  <div className="flex flex-col items-start gap-1">
                    <Badge tone={memberTone[cache.status]}>{memberLabel[cache.status]}</Badge>
                    {cache.error && (
                      <span className="text-xs text-slate-700 dark:text-slate-300">
                        {cache.error}
                      </span>
                    )}
                  </div>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {cache.latencyMs === null ? '—' : `${cache.latencyMs} ms`}
                </td>
                <td className="px-3 py-2 whitespace-nowrap">
                  <RelativeTime time={cache.since} now={now} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </WideTable>
  );
}
