'use client';
// The fleet overview (/ when the console watches several clusters): one row per cluster, worst
// first, refreshed every two seconds. Each row links to the cluster's own pages under /c/<name>,
// by a whole page load: moving between clusters never goes through the client router (see
// components/layout/site-header.tsx).
import useSWR from 'swr';
import type { FleetDocument, FleetQuorum, FleetRow } from '@/lib/domain/fleet';
import { apiFetch } from '@/lib/hooks/api-fetch';
import { useNow } from '@/lib/hooks/use-now';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusIcon } from '@/components/ui/status-icon';
import { badgeTone, quorumTone, severityTone } from '@/components/ui/tone';
import { describeMargin } from '@/components/quorum/quorum-copy';
import { linkClass, mutedClass } from '@/components/ui/styles';
import { WideTable } from '@/components/ui/wide-table';

const REFRESH_MS = 2000;
const QUORUM_WORD: Record<FleetQuorum['status'], string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  'at-risk': 'At risk',
  lost: 'Quorum lost',
  unknown: 'Unknown',
};

function Quorum({
  label,
  quorum,
  noun,
}: {
  label: string;
  quorum: FleetQuorum | null;
  noun: string;
}) {
  if (!quorum) return <span className={mutedClass}>{label}: not configured</span>;
  // As the overview's banner: healthy by design, yet one more failure stops it.
  const noMargin = quorum.status === 'healthy' && quorum.margin === 0;
  const tone = noMargin ? 'warn' : quorumTone[quorum.status];
  const unread = quorum.status === 'unknown' && quorum.members === 0;
  return (
    <span className="flex flex-col gap-0.5">
      <span
        className={`inline-flex w-fit items-center gap-1 rounded px-1.5 py-0.5 text-xs font-semibold ring-1 ${badgeTone[tone]}`}
      >
        <StatusIcon tone={tone} className="size-3.5" />
        {noMargin ? 'Healthy, no margin' : QUORUM_WORD[quorum.status]}
      </span>
      <span className="text-sm">
        {unread
          ? `no ${noun} read yet`
          : `${quorum.healthy}/${quorum.members} ${noun} up · ${
              quorum.margin < 0
                ? describeMargin(quorum.margin)
                : `tolerates ${describeMargin(quorum.margin)}`
            }`}
      </span>
    </span>
  );
}

function Row({ row, now }: { row: FleetRow; now: number }) {
  return (
    <tr
      data-testid={`fleet-row-${row.name}`}
      className="border-t border-slate-200 align-top dark:border-slate-800"
    >
      <th scope="row" className="px-3 py-3 text-left">
        {/* A whole page load: /c/<name> is served by the same route as /, and the client router
            would keep this page for it. */}
        <a href={row.href} className={`${linkClass.strong} font-mono`}>
          {row.name}
        </a>
      </th>
      {row.state === 'waiting' ? (
        <td colSpan={4} className={`px-3 py-3 ${mutedClass}`}>
          Waiting for the first poll of this cluster: nothing is known yet, healthy or not.
        </td>
      ) : (
        <>
          <td className="px-3 py-3" data-testid="fleet-dtr">
            <Quorum label="DTR" quorum={row.dtr} noun="replicas" />
          </td>
          <td className="px-3 py-3" data-testid="fleet-ucp">
            <Quorum label="UCP" quorum={row.ucp} noun="managers" />
          </td>
          <td className="px-3 py-3" data-testid="fleet-worst">
            {row.worst ? (
              <span className="flex items-start gap-1.5 text-sm">
                <StatusIcon tone={severityTone[row.worst.severity]} className="mt-0.5 size-4" />
                <span>
                  <span className="font-medium">{row.worst.title}</span>
                  {row.worst.since && (
                    <span className={mutedClass}>
                      {' '}
                      · since <RelativeTime time={row.worst.since} now={now} />
                    </span>
                  )}
                  {row.warnings > 1 && (
                    <span className={mutedClass}> · {row.warnings - 1} more</span>
                  )}
                </span>
              </span>
            ) : (
              <span className="text-sm">No active warnings</span>
            )}
          </td>
          <td className="px-3 py-3 text-sm" data-testid="fleet-freshness">
            {row.generatedAt && <RelativeTime time={row.generatedAt} now={now} />}
            {row.stale && (
              <span
                title="Older than three polls, or UCP or DTR is not answering: these figures may no longer be true."
                className={`ml-1.5 rounded px-1.5 py-0.5 text-xs font-semibold ring-1 ${badgeTone.warn}`}
              >
                Stale
                <span className="sr-only">
                  : older than three polls, or UCP or DTR is not answering
                </span>
              </span>
            )}
          </td>
        </>
      )}
    </tr>
  );
}

export function FleetOverview({
  initial,
  unknownCluster = null,
}: {
  initial: FleetDocument;
  /** A cluster name someone asked for (/c/<name>) that this console does not watch. */
  unknownCluster?: string | null;
}) {
  const { data, error } = useSWR('/api/fleet', (url: string) => apiFetch<FleetDocument>(url), {
    fallbackData: initial,
    refreshInterval: REFRESH_MS,
  });
  const fleet = data ?? initial;
  const now = useNow(Date.parse(fleet.generatedAt));
  const atRisk = fleet.clusters.filter(
    (row) => row.state === 'waiting' || row.worst?.severity === 'critical',
  ).length;
  return (
    <section aria-labelledby="fleet-heading" className="flex flex-col gap-4">
      <div>
        <h1 id="fleet-heading" className="text-2xl font-bold">
          Clusters
        </h1>
        <p className={mutedClass} data-testid="fleet-summary">
          {fleet.clusters.length} clusters,{' '}
          {atRisk === 0 ? 'none with a critical warning' : `${atRisk} needing attention now`}. Worst
          first; figures as of <RelativeTime time={fleet.generatedAt} now={now} />.
        </p>
        {unknownCluster !== null && (
          <p
            role="alert"
            data-testid="fleet-unknown-cluster"
            className="mt-2 rounded-md border-l-4 border-amber-600 bg-amber-50 p-3 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50"
          >
            This console watches no cluster named “{unknownCluster}”. The clusters it watches are
            listed below.
          </p>
        )}
        {(fleet.withoutAccess ?? 0) > 0 && (
          <p className={mutedClass} data-testid="fleet-without-access">
            This console also watches {fleet.withoutAccess}{' '}
            {fleet.withoutAccess === 1 ? 'cluster' : 'clusters'} where you have no access: your UCP
            account there did not accept this sign-in, or that UCP did not answer when you signed
            in.
          </p>
        )}
        {error && (
          <p role="alert" className="mt-2 text-sm font-semibold text-red-800 dark:text-red-300">
            Cannot refresh: {error instanceof Error ? error.message : String(error)} The rows below
            are from <RelativeTime time={fleet.generatedAt} now={now} />.
          </p>
        )}
      </div>
      <WideTable label="Clusters">
        <table className="w-full min-w-[44rem] text-left" data-testid="fleet-table">
          <caption className="sr-only">Every cluster this console watches, worst first</caption>
          <thead className="bg-slate-100 text-xs tracking-wide text-slate-700 uppercase dark:bg-slate-900 dark:text-slate-300">
            <tr>
              <th scope="col" className="pb-2">
                Cluster
              </th>
              <th scope="col" className="pb-2">
                DTR quorum
              </th>
              <th scope="col" className="pb-2">
                UCP managers
              </th>
              <th scope="col" className="pb-2">
                Worst active warning
              </th>
              <th scope="col" className="pb-2">
                Figures from
              </th>
            </tr>
          </thead>
          <tbody>
            {fleet.clusters.map((row) => (
              <Row key={row.name} row={row} now={now} />
            ))}
          </tbody>
        </table>
      </WideTable>
    </section>
  );
}
