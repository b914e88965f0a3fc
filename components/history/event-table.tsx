import type { HistoryEvent } from '@/lib/domain/history';
import { formatDateTime } from '@/lib/format';
import { WideTable } from '@/components/ui/wide-table';
import { DataTable } from './data-table';
import { eventSeverity } from './describe';

const MAX_ROWS = 500;

/** Every state change in the range, newest first (the most recent 500). */
export function EventTable({ events }: { events: HistoryEvent[] }) {
  const newest = events.slice(-MAX_ROWS).reverse();
  return (
    <details className="text-sm">
      <summary className="cursor-pointer font-medium text-sky-800 dark:text-sky-300">
        All state changes in this range ({events.length}
        {events.length > MAX_ROWS ? `, newest ${MAX_ROWS} shown` : ''})
      </summary>
      <div className="mt-2">
        <WideTable label="State changes">
          <DataTable
            caption="State changes, newest first"
            columns={['Time (UTC)', 'Severity', 'What', 'Subject', 'From', 'To']}
            rows={newest.map((e) => [
              formatDateTime(e.at),
              eventSeverity(e),
              e.kind,
              e.detail.node ? `${e.subject} (${e.detail.node})` : e.subject,
              e.from ?? 'first seen',
              e.to,
            ])}
          />
        </WideTable>
      </div>
    </details>
  );
}
