import type { Instant } from '@/lib/domain/types';
import { formatDateTime } from '@/lib/format';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusIcon } from '@/components/ui/status-icon';
import { panelTone } from '@/components/ui/tone';

/** The browser lost the console itself: say so, and that the page shows the last good snapshot. */
export function ConnectionNotice({
  reason,
  dataFrom,
  now,
}: {
  reason: string;
  dataFrom: Instant | null;
  now: number;
}) {
  return (
    <div
      data-testid="console-unreachable"
      className={`flex gap-2 rounded-md border-l-4 p-3 text-sm ${panelTone.bad}`}
    >
      <StatusIcon tone="bad" className="mt-0.5 size-4" />
      <div className="min-w-0">
        {/* Only the fixed sentence is live: a ticking age would be re-announced every second. */}
        <p role="alert" className="font-semibold">
          {dataFrom
            ? `Console unreachable, showing data from ${formatDateTime(dataFrom)}.`
            : 'Console unreachable, and no data has arrived yet.'}
        </p>
        {dataFrom && (
          <p>
            Those figures were true <RelativeTime time={dataFrom} now={now} />; the page keeps
            retrying.
          </p>
        )}
        <p className="font-mono text-xs break-words">{reason}</p>
      </div>
    </div>
  );
}
