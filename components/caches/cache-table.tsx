import type { CacheState } from '@/lib/domain/types';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { memberLabel, memberTone } from '@/components/ui/tone';

/** Registered DTR content caches with their own /v2/ probe. */
export function CacheTable({ caches, now }: { caches: CacheState[]; now: number }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-300 dark:border-slate-700">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Registered DTR content caches</caption>
        <thead className="bg-slate-100 text-xs tracking-wide text-slate-700 uppercase dark:bg-slate-900 dark:text-slate-300">
          <tr>
            <th scope="col" className="px-3 py-2">
              Name
            </th>
            <th scope="col" className="px-3 py-2">
              URL
            </th>
            <th scope="col" className="px-3 py-2">
              Node
            </th>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Latency
            </th>
            <th scope="col" className="px-3 py-2">
              Since
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
          {caches.map((cache) => (
            <tr key={cache.id} data-testid={`cache-row-${cache.name}`} data-status={cache.status}>
              <th scope="row" className="px-3 py-2 font-semibold">
                {cache.name}
              </th>
              <td className="px-3 py-2 font-mono text-xs break-all">{cache.url}</td>
              <td className="px-3 py-2 font-mono text-xs">
                {cache.node ?? <span className="text-slate-600 dark:text-slate-400">unknown</span>}
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
          ))}
        </tbody>
      </table>
    </div>
  );
}
