import type { HistoryEventKind, Outage } from '@/lib/domain/history';
import { formatDateTime } from '@/lib/format';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import type { Tone } from '@/components/ui/tone';
import {
  describeBlips,
  describeOutage,
  outageSeverity,
  timelineEntries,
  type OutageSeverity,
} from './describe';

const KIND_LABEL: Record<HistoryEventKind, string> = {
  replica: 'DTR replica',
  manager: 'UCP manager',
  'dtr-quorum': 'DTR quorum',
  'ucp-quorum': 'UCP quorum',
  source: 'Console',
};

const SEVERITY_TONE: Record<OutageSeverity, Tone> = { critical: 'bad', warning: 'warn' };
const SEVERITY_LABEL: Record<OutageSeverity, string> = {
  critical: 'Critical: quorum lost',
  warning: 'Warning',
};

const card = 'flex flex-col gap-1 rounded-md border p-3';
const plainCard = `${card} border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900`;
// A lost quorum is the one entry nobody may scroll past.
const criticalCard = `${card} border-l-4 border-red-600 bg-red-50 text-red-950 dark:border-red-400 dark:bg-red-950 dark:text-red-50`;

/** Still down, recovered or removed: each with its own icon (a check only for "Recovered"). */
function EndBadge({ outage, severity }: { outage: Outage; severity: OutageSeverity }) {
  if (outage.end === null) return <Badge tone={SEVERITY_TONE[severity]}>Still down</Badge>;
  if (outage.endedBy === 'removed')
    return (
      <Badge tone="neutral" icon={false}>
        Removed
      </Badge>
    );
  return <Badge tone="ok">Recovered</Badge>;
}

function OutageItem({ outage, now }: { outage: Outage; now: number }) {
  const sentence = describeOutage(outage);
  const severity = outageSeverity(outage);
  const critical = severity === 'critical';
  return (
    <li
      data-testid={`outage-${outage.subject}`}
      data-ongoing={outage.end === null}
      data-severity={severity}
      className={critical ? criticalCard : plainCard}
    >
      <div className="flex flex-wrap items-center gap-2">
        <EndBadge outage={outage} severity={severity} />
        {critical ? (
          <Badge tone="bad">{SEVERITY_LABEL.critical}</Badge>
        ) : (
          <span className="sr-only">{SEVERITY_LABEL.warning}:</span>
        )}
        <span
          className={`text-xs font-medium ${critical ? '' : 'text-slate-600 dark:text-slate-400'}`}
        >
          {KIND_LABEL[outage.kind]}
        </span>
      </div>
      <p className={critical ? 'font-semibold' : undefined}>
        {sentence.what} at <time dateTime={outage.start}>{sentence.start}</time>
        {sentence.ended ? (
          <>, {sentence.ended}.</>
        ) : (
          <>
            ; <strong>still down</strong>, since <RelativeTime time={outage.start} now={now} />.
          </>
        )}
      </p>
      {outage.error && (
        <p
          className={`text-sm break-words ${critical ? '' : 'text-slate-700 dark:text-slate-300'}`}
        >
          Last error: <code className="font-mono">{outage.error}</code>
        </p>
      )}
    </li>
  );
}

const keyOf = (o: Outage) => `${o.kind}:${o.subject}:${o.start}`;

/** Who went down when, and for how long; newest first, runs of short drops as one line. */
export function OutageTimeline({ outages, now }: { outages: Outage[]; now: number }) {
  if (outages.length === 0) {
    return (
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="outage-timeline-empty">
        Nothing went down in this range.
      </p>
    );
  }
  return (
    <ol className="flex flex-col gap-2" data-testid="outage-timeline">
      {timelineEntries(outages).map((entry) =>
        entry.kind === 'outage' ? (
          <OutageItem key={keyOf(entry.outage)} outage={entry.outage} now={now} />
        ) : (
          <li
            key={`blips:${entry.from}:${entry.to}`}
            data-testid="outage-blips"
            data-count={entry.outages.length}
            className="rounded-md border border-dashed border-slate-300 bg-white p-3 text-sm dark:border-slate-700 dark:bg-slate-900"
          >
            <details>
              <summary className="cursor-pointer">
                <span className="font-medium">{describeBlips(entry.outages)}</span>
                <span className="text-slate-700 dark:text-slate-300">
                  {' '}
                  · <time dateTime={entry.from}>{formatDateTime(entry.from)}</time> to{' '}
                  <time dateTime={entry.to}>{formatDateTime(entry.to)}</time>
                </span>
              </summary>
              <ol className="mt-2 flex flex-col gap-2">
                {entry.outages.map((outage) => (
                  <OutageItem key={keyOf(outage)} outage={outage} now={now} />
                ))}
              </ol>
            </details>
          </li>
        ),
      )}
    </ol>
  );
}
