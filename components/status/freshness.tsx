import { isStalled } from '@/lib/domain/freshness';
import type { ClusterStatus, SourceHealth, SourceName } from '@/lib/domain/types';
import { formatDuration } from '@/lib/format';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusIcon } from '@/components/ui/status-icon';
import { panelTone } from '@/components/ui/tone';

const SOURCE_LABEL: Record<SourceName, string> = { ucp: 'UCP', dtr: 'DTR' };

function SourceNotice({
  name,
  health,
  now,
}: {
  name: SourceName;
  health: SourceHealth;
  now: number;
}) {
  const label = SOURCE_LABEL[name];
  const tone = health.state === 'error' ? 'bad' : 'warn';
  return (
    <li
      data-testid={`source-${name}`}
      data-state={health.state}
      className={`flex gap-2 rounded-md border-l-4 p-3 text-sm ${panelTone[tone]}`}
    >
      <StatusIcon tone={tone} className="mt-0.5 size-4" />
      <div className="min-w-0">
        <p role="status" className="font-semibold">
          {health.state === 'error'
            ? `${label} has not answered yet: its data is missing, not healthy.`
            : `${label} is not answering: its figures are old.`}
        </p>
        <p>
          {health.lastSuccessAt ? (
            <>
              Last good data <RelativeTime time={health.lastSuccessAt} now={now} />
            </>
          ) : (
            'No good data since the console started'
          )}
          {health.checkedAt && (
            <>
              ; last attempt <RelativeTime time={health.checkedAt} now={now} />
            </>
          )}
          .
        </p>
        {health.lastError && (
          <p className="font-mono text-xs break-words">Last error: {health.lastError}</p>
        )}
      </div>
    </li>
  );
}

/** How fresh the figures on screen are: the snapshot's age, and any source that is failing. */
export function Freshness({ status, now }: { status: ClusterStatus; now: number }) {
  const age = now - Date.parse(status.generatedAt);
  const stalled = isStalled(age, status.pollIntervalMs);
  const failing = (Object.entries(status.sources) as [SourceName, SourceHealth][]).filter(
    ([, health]) => health.state !== 'ok',
  );

  return (
    <div data-testid="freshness" className="flex flex-col gap-2">
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Updated <RelativeTime time={status.generatedAt} now={now} />, polled every{' '}
        {formatDuration(status.pollIntervalMs)}
      </p>
      {stalled && (
        <p className={`rounded-md border-l-4 p-3 text-sm ${panelTone.warn}`}>
          The monitor has produced no new snapshot for {formatDuration(age)}: everything below may
          be out of date.
        </p>
      )}
      {failing.length > 0 && (
        <ul className="flex flex-col gap-2">
          {failing.map(([name, health]) => (
            <SourceNotice key={name} name={name} health={health} now={now} />
          ))}
        </ul>
      )}
    </div>
  );
}
