import { WideTable } from '@/components/ui/wide-table';
import { toleranceTable } from '@/lib/domain/quorum';

export interface ToleranceMarker {
  /** Group size to mark, e.g. the number of DTR replicas. */
  members: number;
  /** What has that size: "your DTR". */
  label: string;
}

const MAX_MEMBERS = 7;

/** DESIGN.md §1: members, majority and failures tolerated, with the cluster's own sizes marked. */
export function ToleranceTable({ markers }: { markers: ToleranceMarker[] }) {
  const rows = toleranceTable(MAX_MEMBERS);
  const oversized = markers.filter((marker) => marker.members > MAX_MEMBERS);

  return (
    <div>
      <WideTable label="Failures tolerated by group size">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">
            Failures a group of 1 to {MAX_MEMBERS} members survives, with your cluster&apos;s sizes
            marked
          </caption>
          <thead className="bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100">
            <tr>
              <th scope="col" className="px-3 py-2 font-semibold">
                Members
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Majority needed
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Failures tolerated
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 dark:divide-slate-700">
            {rows.map((row) => {
              const here = markers.filter((marker) => marker.members === row.members);
              const wasted = row.members % 2 === 0;
              return (
                <tr
                  key={row.members}
                  aria-current={here.length > 0 ? 'true' : undefined}
                  className={
                    here.length > 0 ? 'bg-sky-50 font-semibold dark:bg-sky-950' : undefined
                  }
                >
                  <th scope="row" className="px-3 py-2 font-semibold tabular-nums">
                    <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                      <span>{row.members}</span>
                      {wasted && (
                        <span className="text-xs font-normal text-slate-600 dark:text-slate-300">
                          no gain over {row.members - 1}
                        </span>
                      )}
                      {here.map((marker) => (
                        <span
                          key={marker.label}
                          className="rounded-full bg-sky-700 px-2 py-0.5 text-xs font-semibold whitespace-nowrap text-white dark:bg-sky-300 dark:text-sky-950"
                        >
                          <span aria-hidden="true">◀ </span>
                          {marker.label}
                        </span>
                      ))}
                    </div>
                  </th>
                  <td className="px-3 py-2 tabular-nums">{row.majority}</td>
                  <td className="px-3 py-2 tabular-nums">{row.failuresTolerated}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </WideTable>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        Why not 2, or any even count? A majority of 2 is 2, so two members survive no failure and
        add one more machine that can fail; every even count tolerates no more than the odd count
        below it.
      </p>
      {oversized.map((marker) => (
        <p key={marker.label} className="mt-1 text-sm text-orange-900 dark:text-orange-100">
          {marker.label} has {marker.members} members: more than {MAX_MEMBERS} slows every write
          without adding useful tolerance.
        </p>
      ))}
    </div>
  );
}
