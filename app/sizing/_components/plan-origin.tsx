import Link from '@/components/ui/cluster-link';
import type { LiveStart } from '@/lib/domain/sizing/live';
import { formatDateTime } from '@/lib/format';

type Live = Extract<LiveStart, { available: true }>;

/** Where the plan's inputs come from: the running cluster, the address, or the defaults. */
export type PlanOrigin =
  | { kind: 'live'; live: Live }
  | { kind: 'link'; live: LiveStart; matchesLive: boolean }
  | { kind: 'defaults'; reason: string };

const LINK =
  'font-semibold text-sky-800 underline underline-offset-2 dark:text-sky-300 print:hidden';

function Figures({ live }: { live: Live }) {
  return <>{live.figures.map((f) => f.text).join(', ')}</>;
}

function Notes({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <ul className="list-disc pl-5" data-testid="sizing-origin-notes">
      {notes.map((note) => (
        <li key={note}>{note}</li>
      ))}
    </ul>
  );
}

export function PlanOriginNotice({ origin }: { origin: PlanOrigin }) {
  const box =
    'flex flex-col gap-1 rounded-lg border p-3 text-sm border-sky-300 bg-sky-50 text-sky-950 dark:border-sky-700 dark:bg-sky-950 dark:text-sky-50';
  if (origin.kind === 'live') {
    const { live } = origin;
    return (
      <div className={box} data-testid="sizing-origin" data-origin="live" data-as-of={live.asOf}>
        <p>
          <span className="font-semibold">
            Starting from the running cluster as of{' '}
            <time dateTime={live.asOf}>{formatDateTime(live.asOf)}</time>:
          </span>{' '}
          <Figures live={live} />. Change any input to plan from there;{' '}
          <Link href="/sizing" className={LINK} data-testid="sizing-origin-refresh">
            read the cluster again
          </Link>
          .
        </p>
        <Notes notes={live.notes} />
      </div>
    );
  }
  if (origin.kind === 'link') {
    const { live } = origin;
    if (live.available && origin.matchesLive) {
      return (
        <div
          className={box}
          data-testid="sizing-origin"
          data-origin="link"
          data-matches-live="true"
        >
          <p>
            This plan matches the running cluster as of{' '}
            <time dateTime={live.asOf}>{formatDateTime(live.asOf)}</time>: <Figures live={live} />.
          </p>
        </div>
      );
    }
    return (
      <div className={box} data-testid="sizing-origin" data-origin="link" data-matches-live="false">
        <p>
          This plan uses the values in its address (your edits or a shared link), not the running
          cluster.{' '}
          {live.available ? (
            <>
              <Link href="/sizing" className={LINK} data-testid="sizing-origin-live">
                Start from the running cluster
              </Link>{' '}
              (as of <time dateTime={live.asOf}>{formatDateTime(live.asOf)}</time>:{' '}
              <Figures live={live} />
              ).
            </>
          ) : (
            <>The console has no figures from the running cluster: {live.reason}</>
          )}
        </p>
      </div>
    );
  }
  return (
    <div
      className="flex flex-col gap-1 rounded-lg border border-orange-300 bg-orange-50 p-3 text-sm text-orange-950 dark:border-orange-700 dark:bg-orange-950 dark:text-orange-50"
      data-testid="sizing-origin"
      data-origin="defaults"
    >
      <p>
        <span className="font-semibold">No running cluster to start from</span> ({origin.reason}
        {origin.reason.endsWith('.') ? '' : '.'}) The plan starts from the defaults: 1 failure
        tolerated for DTR and for UCP, 4 application workers, 3 zones.{' '}
        <Link href="/sizing" className={LINK}>
          Try the cluster again
        </Link>
        .
      </p>
    </div>
  );
}
