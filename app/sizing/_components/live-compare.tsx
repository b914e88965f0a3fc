'use client';

// Loaded only through ./live-compare-lazy (next/dynamic, client only).
import Link from '@/components/ui/cluster-link';
import { useMemo } from 'react';
import { compareWithLive } from '@/lib/domain/sizing/compare';
import { summarizeLive } from '@/lib/domain/sizing/live';
import type { SizingPlan } from '@/lib/domain/sizing/types';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { Badge } from '@/components/ui/badge';
import { StatusIcon } from '@/components/ui/status-icon';
import { LiveCompareFrame, LiveCompareNote } from './live-compare-frame';
import { WideTable } from '@/components/ui/wide-table';

/** Plan vs the cluster the console watches (or the demo), and the safe order of changes between them. */
export function LiveCompare({ plan }: { plan: SizingPlan }) {
  const { status, error, isLoading } = useClusterStatus();
  const comparison = useMemo(
    () => (status ? compareWithLive(plan, summarizeLive(status)) : null),
    [plan, status],
  );

  let body: React.ReactNode;
  if (!status || !comparison) {
    body = (
      <LiveCompareNote>
        {isLoading || !error
          ? 'Reading the running cluster…'
          : `The console could not read the cluster status (${error.message}). The plan above does not depend on it.`}
      </LiveCompareNote>
    );
  } else {
    body = (
      <>
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <Badge tone={status.mode === 'demo' ? 'info' : 'ok'}>
            {status.mode === 'demo' ? 'Demo cluster' : 'Live cluster'}
          </Badge>
          {error && <Badge tone="warn">Last update failed: showing the last snapshot</Badge>}
        </p>
        <WideTable label="Plan and running cluster">
          <table className="w-full text-left text-sm" data-testid="compare-table">
            <caption className="sr-only">The plan next to the running cluster</caption>
            <thead className="bg-slate-100 dark:bg-slate-800">
              <tr>
                <th scope="col" className="px-3 py-2 font-semibold">
                  Figure
                </th>
                <th scope="col" className="px-3 py-2 font-semibold">
                  Plan
                </th>
                <th scope="col" className="px-3 py-2 font-semibold">
                  Running
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200 tabular-nums dark:divide-slate-700">
              {comparison.rows.map((row) => (
                <tr
                  key={row.key}
                  data-testid={`compare-row-${row.key}`}
                  data-planned={row.planned}
                  data-running={row.running}
                  data-matches={row.matches}
                >
                  <th scope="row" className="px-3 py-2 font-semibold">
                    {row.label}
                  </th>
                  <td className="px-3 py-2">{row.planned}</td>
                  <td className="px-3 py-2">
                    <span className="inline-flex items-center gap-1.5">
                      <span
                        className={
                          row.matches
                            ? 'text-emerald-700 dark:text-emerald-300'
                            : 'text-orange-700 dark:text-orange-300'
                        }
                      >
                        <StatusIcon tone={row.matches ? 'ok' : 'risk'} className="size-4" />
                      </span>
                      <span className="sr-only">{row.matches ? 'as planned:' : 'differs:'}</span>
                      {row.running}
                      {row.note && (
                        <span className="text-slate-600 dark:text-slate-400">({row.note})</span>
                      )}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </WideTable>
        {comparison.steps.length === 0 ? (
          <p data-testid="migration-none" className="text-sm font-semibold">
            The running cluster matches the plan: nothing to change.
          </p>
        ) : (
          <div className="flex flex-col gap-2">
            <h3 className="font-semibold">From the running cluster to the plan, in this order</h3>
            <ol className="flex list-decimal flex-col gap-2 pl-6" data-testid="migration-steps">
              {comparison.steps.map((step, i) => (
                <li
                  key={`${step.action}-${i}`}
                  data-testid={`migration-step-${i + 1}`}
                  data-action={step.action}
                >
                  <p className="font-semibold">
                    {step.href ? (
                      <Link
                        href={step.href}
                        className="text-sky-800 underline underline-offset-2 dark:text-sky-300 print:text-inherit print:no-underline"
                      >
                        {step.title}
                      </Link>
                    ) : (
                      step.title
                    )}
                  </p>
                  <p className="text-sm text-slate-700 dark:text-slate-300">{step.detail}</p>
                </li>
              ))}
            </ol>
          </div>
        )}
      </>
    );
  }

  return (
    <LiveCompareFrame
      state={comparison ? 'ready' : error ? 'error' : 'loading'}
      matches={comparison ? comparison.matches : undefined}
    >
      {body}
    </LiveCompareFrame>
  );
}
