import type { Instant, Quorum, SourceHealth } from '@/lib/domain/types';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusIcon } from '@/components/ui/status-icon';
import { panelTone, quorumTone } from '@/components/ui/tone';
import {
  describeMargin,
  GROUP_WORDS,
  quorumHeadline,
  type BannerStatus,
  type QuorumGroup,
} from './quorum-copy';

interface QuorumBannerProps {
  group: QuorumGroup;
  quorum: Quorum;
  /** What the verdict rests on (the status's `basis`). */
  basis?: string;
  source: SourceHealth;
  /** When the numbers were true (the snapshot's generatedAt). */
  asOf: Instant;
  now: number;
}

export function QuorumBanner({ group, quorum, basis, source, asOf, now }: QuorumBannerProps) {
  const words = GROUP_WORDS[group];
  // A source that has never answered leaves zero members: that is "we don't know", not an outage.
  const status: BannerStatus =
    source.state === 'error' && quorum.members === 0 ? 'unknown' : quorum.status;
  const tone = quorumTone[status];
  const headingId = `${group}-quorum-heading`;
  const unknown = quorum.unknown ?? 0;
  const numbers: [string, string][] = [
    [`${words.noun[0]?.toUpperCase()}${words.noun.slice(1)}s`, String(quorum.members)],
    [
      'Counted up',
      `${quorum.healthy} of ${quorum.members}${unknown > 0 ? `, ${unknown} unknown` : ''}`,
    ],
    ['Majority needed', String(quorum.majority)],
    [
      'Tolerates by design',
      `${quorum.failuresTolerated} ${quorum.failuresTolerated === 1 ? 'failure' : 'failures'}`,
    ],
    ['Margin now', describeMargin(quorum.margin)],
  ];

  return (
    <section
      aria-labelledby={headingId}
      data-testid={`${group}-quorum-banner`}
      data-status={status}
      className={`rounded-lg border-l-4 p-4 shadow-sm ${panelTone[tone]}`}
    >
      <div className="flex items-start gap-3">
        <StatusIcon tone={tone} className="mt-0.5 size-6" />
        <div className="min-w-0">
          <h3 id={headingId} className="text-sm font-semibold tracking-wide uppercase">
            {words.title}
            {/* The overview also has a "DTR replicas" section: each region needs its own name. */}
            <span className="sr-only"> quorum</span>
          </h3>
          <p role="status" aria-live="polite" className="text-lg font-semibold text-balance">
            {quorumHeadline(group, quorum, status)}
          </p>
          {basis && quorum.members > 0 && (
            <p className="mt-1 text-sm opacity-90" data-testid={`${group}-quorum-basis`}>
              {basis}
            </p>
          )}
        </div>
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3 lg:grid-cols-5 xl:grid-cols-3">
        {numbers.map(([term, value]) => (
          <div key={term}>
            <dt className="opacity-80">{term}</dt>
            <dd className="font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-3 text-xs opacity-90">
        {source.state === 'ok' ? (
          <>
            As of <RelativeTime time={asOf} now={now} />
          </>
        ) : source.lastSuccessAt ? (
          <>
            {words.source} is not answering: last confirmed{' '}
            <RelativeTime time={source.lastSuccessAt} now={now} />
          </>
        ) : (
          <>{words.source} has not answered since the console started</>
        )}
      </p>
    </section>
  );
}
