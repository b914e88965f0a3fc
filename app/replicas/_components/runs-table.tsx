import Link from '@/components/ui/cluster-link';
import { runSubject } from '@/lib/domain/wizards/run-subject';
import type { WizardRunView } from '@/lib/domain/wizards/run';
import { formatDateTime } from '@/lib/format';
import { Badge } from '@/components/ui/badge';
import { WideTable } from '@/components/ui/wide-table';
import { RUN_STATUS } from '@/components/wizards/run-header';
import { linkClass } from '@/components/ui/styles';

/** Recent wizard runs, newest first; each opens where it left off. */
export function RunsTable({ runs }: { runs: WizardRunView[] }) {
  if (runs.length === 0) {
    return (
      <p data-testid="runs-empty" className="text-sm text-slate-700 dark:text-slate-300">
        No replica changes yet. Runs appear here once a wizard generates a command.
      </p>
    );
  }
  return (
    <WideTable label="Recent replica changes">
      <table data-testid="runs-list" className="w-full min-w-[40rem] text-left text-sm">
        <caption className="sr-only">Recent replica changes</caption>
        <thead>
          <tr className="border-b border-slate-300 dark:border-slate-700">
            <th scope="col" className="px-3 py-2 font-semibold">
              Change
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Status
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Started by
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Started
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Last word
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const status = RUN_STATUS[run.status];
            return (
              <tr
                key={run.id}
                data-testid={`run-row-${run.id}`}
                data-status={run.status}
                className="border-b border-slate-200 align-top dark:border-slate-800"
              >
                <td className="px-3 py-2">
                  <Link
                    href={`/replicas/runs/${encodeURIComponent(run.id)}`}
                    className={linkClass.normal}
                  >
                    {runSubject(run.state)}
                  </Link>
                </td>
                <td className="px-3 py-2">
                  <Badge tone={status.tone}>{status.label}</Badge>
                </td>
                <td className="px-3 py-2">{run.createdBy}</td>
                <td className="px-3 py-2 whitespace-nowrap">
                  <time dateTime={run.createdAt}>{formatDateTime(run.createdAt)}</time>
                </td>
                <td className="px-3 py-2 text-slate-700 dark:text-slate-300">
                  {run.withdrawn?.reason ??
                    run.verification?.message ??
                    (run.status === 'open' ? 'Command generated, not run yet.' : '')}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </WideTable>
  );
}
