import type { Metadata } from 'next';
import { connection } from 'next/server';
import { Suspense } from 'react';
import { pageRange } from '@/lib/domain/history';
import { formatDateTime } from '@/lib/format';
import { AutoRefresh } from './_components/auto-refresh';
import { HistoryPanels } from './_components/history-panels';
import { RangePicker } from './_components/range-picker';
import { PanelsSkeleton } from './_components/panels-skeleton';

export const metadata: Metadata = {
  title: 'History',
  description:
    'Healthy DTR replicas, quorum margin and probe latency over time, and who went down when and for how long.',
};

type SearchParams = Record<string, string | string[] | undefined>;

/** The range as of this request: relative presets end now. */
function rangeOf(params: SearchParams) {
  return pageRange(params, Date.now());
}

export default async function HistoryPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  await connection();
  const range = rangeOf(await searchParams);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold tracking-tight">History</h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {formatDateTime(range.from)} to {formatDateTime(range.to)}
          {range.preset && ' · refreshes every 30 s'}
        </p>
      </div>
      <RangePicker preset={range.preset} from={range.from} to={range.to} />
      {range.notice && (
        <p
          role="status"
          data-testid="history-range-notice"
          className="rounded-md border-l-4 border-amber-500 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50"
        >
          {range.notice}
        </p>
      )}
      {range.preset && <AutoRefresh everyMs={30_000} />}
      <Suspense key={`${range.preset ?? 'custom'}:${range.from}`} fallback={<PanelsSkeleton />}>
        <HistoryPanels from={range.from} to={range.to} />
      </Suspense>
    </div>
  );
}
