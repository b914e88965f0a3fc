import type { HistoryEventKind, Outage } from '@/lib/domain/history';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import type { Tone } from '@/components/ui/tone';
import { describeOutage } from './describe';

const KIND_LABEL: Record<HistoryEventKind, string> = {
  replica: 'DTR replica',
  manager: 'UCP manager',
  'dtr-quorum': 'DTR quorum',
  'ucp-quorum': 'UCP quorum',
  source: 'Console',
};

const KIND_TONE: Record<HistoryEventKind, Tone> = {
  replica: 'bad',
  manager: 'bad',
  'dtr-quorum': 'bad',
  'ucp-quorum': 'bad',
  source: 'warn',
};

/** Who went down when, and for how long; newest first. */
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
      {outages.map((outage) => {
        const sentence = describeOutage(outage);
        return (
          <li
            key={`${outage.kind}:${outage.subject}:${outage.start}`}
            data-testid={`outage-${outage.subject}`}
            data-ongoing={outage.end === null}
            className="flex flex-col gap-1 rounded-md border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
          >
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={outage.end === null ? KIND_TONE[outage.kind] : 'neutral'}>
                {outage.end === null ? 'Still down' : 'Recovered'}
              </Badge>
              <span className="text-xs font-medium text-slate-600 dark:text-slate-400">
                {KIND_LABEL[outage.kind]}
              </span>
            </div>
            <p>
              {sentence.what} at <time dateTime={outage.start}>{sentence.start}</time>
              {sentence.ended ? (
                <>, {sentence.ended}.</>
              ) : (
                <>
                  ; <strong>still down</strong>, since{' '}
                  <RelativeTime time={outage.start} now={now} />.
                </>
              )}
            </p>
            {outage.error && (
              <p className="text-sm break-words text-slate-700 dark:text-slate-300">
                Last error: <code className="font-mono">{outage.error}</code>
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
