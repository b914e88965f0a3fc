import type { ReplicaState } from '@/lib/domain/types';
import { explainProbeError, formatLatency } from '@/lib/format';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import { RelativeTime } from '@/components/ui/relative-time';
import { memberLabel, memberTone } from '@/components/ui/tone';

const border: Record<ReplicaState['status'], string> = {
  healthy: 'border-slate-200 dark:border-slate-700',
  unhealthy: 'border-red-600 dark:border-red-400',
  unreachable: 'border-red-600 dark:border-red-400',
  unknown: 'border-slate-400 dark:border-slate-500',
};

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="flex justify-between gap-3">
      <dt className="text-slate-600 dark:text-slate-300">{term}</dt>
      <dd className="min-w-0 text-right font-medium break-words">{children}</dd>
    </div>
  );
}

export function ReplicaCard({ replica, now }: { replica: ReplicaState; now: number }) {
  const meaning = explainProbeError(replica.error);
  // Shown when the cluster's own view adds something the probe error does not already say.
  const clusterDisagrees =
    replica.clusterHealth !== null &&
    replica.clusterHealth !== 'OK' &&
    replica.clusterHealth !== replica.error;

  return (
    <article
      data-testid={`replica-card-${replica.id}`}
      data-status={replica.status}
      aria-labelledby={`replica-${replica.id}`}
      className={`flex flex-col gap-3 rounded-lg border bg-white p-4 shadow-sm dark:bg-slate-900 ${border[replica.status]}`}
    >
      <div>
        <div className="flex flex-wrap items-center gap-2">
          <h3 id={`replica-${replica.id}`} className="font-mono text-base font-semibold">
            <span className="sr-only">Replica </span>
            {replica.id}
          </h3>
          <CopyButton text={replica.id} label={`Copy replica ID ${replica.id}`} />
          <span className="ml-auto">
            <Badge tone={memberTone[replica.status]}>{memberLabel[replica.status]}</Badge>
          </span>
        </div>
        <p className="mt-1 flex flex-wrap gap-x-1 text-sm text-slate-700 dark:text-slate-300">
          <span>on node</span>
          <span className="min-w-0 font-mono break-words">{replica.node}</span>
        </p>
      </div>

      {(replica.error || clusterDisagrees) && (
        <div className="rounded-md bg-red-50 p-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-50">
          {meaning && <p className="font-medium">{meaning}</p>}
          {replica.error && <p className="font-mono text-xs break-words">{replica.error}</p>}
          {clusterDisagrees && (
            <p className="mt-1">
              The cluster reports:{' '}
              <span className="font-mono text-xs break-words">{replica.clusterHealth}</span>
            </p>
          )}
        </div>
      )}

      <dl className="flex flex-col gap-1 text-sm">
        <Fact term="Ping latency">{formatLatency(replica.latencyMs)}</Fact>
        <Fact term={`${memberLabel[replica.status]} since`}>
          <RelativeTime time={replica.since} now={now} />
        </Fact>
        <Fact term="Last self-report">
          {replica.lastReport ? <RelativeTime time={replica.lastReport} now={now} /> : 'unknown'}
        </Fact>
        <Fact term="Checked">
          <RelativeTime time={replica.checkedAt} now={now} />
        </Fact>
        {replica.readonly && <Fact term="Mode">read-only</Fact>}
      </dl>
    </article>
  );
}
