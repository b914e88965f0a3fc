import { toleranceTable } from '@/lib/domain/quorum';
import { countOf } from '@/lib/domain/sizing/words';
import { formatDowntime } from '@/lib/domain/sizing/availability';
import type { SizingPlan } from '@/lib/domain/sizing/types';
import { MAX_RECOMMENDED_MEMBERS } from '@/lib/domain/quorum';
import { SizingSection } from './sizing-section';
import { WideTable } from '@/components/ui/wide-table';

/** DESIGN.md §1's table with the plan's two group sizes marked. */
export function ToleranceSection({ plan }: { plan: SizingPlan }) {
  const { dtr, ucp, availability } = plan;
  const rows = toleranceTable(Math.max(7, dtr.members, ucp.members));
  return (
    <SizingSection
      id="tolerance"
      title="Failures each size survives"
      description="DTR (RethinkDB) and UCP managers (Swarm Raft) both need a strict majority of members up."
    >
      <WideTable label="Failures each size survives">
        <table className="w-full text-left text-sm" data-testid="tolerance-table">
          <caption className="sr-only">
            Members, majority, failures tolerated and yearly downtime at{' '}
            {availability.perNodePercent}% per node, with the plan&apos;s sizes marked
          </caption>
          <thead className="bg-slate-100 dark:bg-slate-800">
            <tr>
              <th scope="col" className="px-3 py-2 font-semibold">
                Members
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Majority
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Failures tolerated
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Downtime / year at {availability.perNodePercent}%
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Plan
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 dark:divide-slate-700">
            {rows.map((row) => {
              const marks = [
                dtr.members === row.members && `DTR (${countOf(row.members, 'replica')})`,
                ucp.members === row.members && `UCP (${countOf(row.members, 'manager')})`,
              ].filter((mark) => mark !== false);
              const point = availability.series[row.members - 1];
              return (
                <tr
                  key={row.members}
                  data-testid={`tolerance-row-${row.members}`}
                  data-plan={marks.length > 0 ? 'true' : undefined}
                  aria-current={marks.length > 0 ? 'true' : undefined}
                  className={
                    marks.length > 0 ? 'bg-sky-50 font-semibold dark:bg-sky-950' : undefined
                  }
                >
                  <th scope="row" className="px-3 py-2 font-semibold tabular-nums">
                    {row.members}
                    {row.members % 2 === 0 && (
                      <span className="ml-2 text-xs font-normal text-slate-600 dark:text-slate-300">
                        (no gain over {row.members - 1})
                      </span>
                    )}
                    {row.members > MAX_RECOMMENDED_MEMBERS && (
                      <span className="ml-2 text-xs font-normal text-orange-800 dark:text-orange-300">
                        (too many: writes slow down)
                      </span>
                    )}
                  </th>
                  <td className="px-3 py-2 tabular-nums">{row.majority}</td>
                  <td className="px-3 py-2 tabular-nums">{row.failuresTolerated}</td>
                  <td className="px-3 py-2 tabular-nums">
                    {point ? formatDowntime(point.downtimeMinutes) : '—'}
                  </td>
                  <td className="px-3 py-2 text-sky-900 dark:text-sky-100">
                    {marks.length > 0 && (
                      <>
                        <span aria-hidden="true">◀ </span>
                        {marks.join(', ')}
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </WideTable>
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="too-many-line">
        <span className="font-semibold">Where the console draws the line:</span> above{' '}
        {MAX_RECOMMENDED_MEMBERS} members it warns, in a plan and on the running cluster alike
        (DTR_TOO_MANY_REPLICAS). Every write waits for a majority, so each member past{' '}
        {MAX_RECOMMENDED_MEMBERS} adds a copy to wait for while {MAX_RECOMMENDED_MEMBERS} already
        survive 3 failures; the vendor sizes DTR at 3, 5 or {MAX_RECOMMENDED_MEMBERS} replicas and
        warns that adding too many degrades performance.
      </p>
    </SizingSection>
  );
}
