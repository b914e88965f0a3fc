import type {
  ClusterEvidence,
  ConsoleEvidence,
  InventoryEvidence,
  ReplicaState,
} from '@/lib/domain/types';
import { explainProbeError, formatLatency } from '@/lib/format';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import { RelativeTime } from '@/components/ui/relative-time';
import { memberLabel, memberTone } from '@/components/ui/tone';

const border: Record<ReplicaState['status'], string> = {
  healthy: 'border-slate-200 dark:border-slate-700',
  unhealthy: 'border-red-600 dark:border-red-400',
  unreachable: 'border-red-600 dark:border-red-400',
  'unreachable-from-console': 'border-amber-500 dark:border-amber-400',
  unknown: 'border-slate-400 dark:border-slate-500',
  ghost: 'border-red-600 dark:border-red-400',
};

const VERDICT_PANEL: Partial<Record<string, string>> = {
  bad: 'bg-red-50 text-red-950 dark:bg-red-950 dark:text-red-50',
  warn: 'bg-amber-50 text-amber-950 dark:bg-amber-950 dark:text-amber-50',
  neutral: 'bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100',
};

const CONSOLE_WORDS: Record<ConsoleEvidence, string> = {
  ok: 'answers',
  failing: 'answers unhealthy',
  'no-answer': 'no answer',
  inconclusive: 'cannot trust answer',
  'not-probed': 'not probed',
};
const CLUSTER_WORDS: Record<ClusterEvidence, string> = {
  ok: 'reports OK',
  failing: 'reports failing',
  'cut-off': 'no majority view',
  silent: 'no view',
};
const INVENTORY_WORDS: Record<InventoryEvidence, string> = {
  ready: 'ready',
  down: 'down',
  absent: 'gone from UCP',
  unknown: 'unknown',
};

function Witness({ label, value }: { label: string; value: string }) {
  return (
    <li className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-800 dark:bg-slate-800 dark:text-slate-100">
      <span className="text-slate-600 dark:text-slate-300">{label}:</span> {value}
    </li>
  );
}

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

      {replica.status !== 'healthy' && (
        <div
          data-testid={`replica-verdict-${replica.id}`}
          className={`rounded-md p-2 text-sm ${VERDICT_PANEL[memberTone[replica.status]] ?? VERDICT_PANEL.neutral}`}
        >
          {replica.verdict ? (
            <p>{replica.verdict.reason}</p>
          ) : (
            meaning && <p className="font-medium">{meaning}</p>
          )}
          {replica.error && replica.status !== 'ghost' && (
            <p className="mt-1 font-mono text-xs break-words">{replica.error}</p>
          )}
          {clusterDisagrees && !replica.verdict && (
            <p className="mt-1">
              The cluster reports:{' '}
              <span className="font-mono text-xs break-words">{replica.clusterHealth}</span>
            </p>
          )}
        </div>
      )}

      {replica.verdict && (
        <ul
          aria-label={`What the verdict on ${replica.id} rests on`}
          className="flex flex-wrap gap-1 text-xs"
          data-testid={`replica-evidence-${replica.id}`}
        >
          <Witness label="Console" value={CONSOLE_WORDS[replica.verdict.evidence.console]} />
          <Witness label="Cluster" value={CLUSTER_WORDS[replica.verdict.evidence.cluster]} />
          <Witness label="Node" value={INVENTORY_WORDS[replica.verdict.evidence.inventory]} />
          <Witness
            label="Majority"
            value={
              replica.quorumVote === 'up'
                ? 'counts'
                : replica.quorumVote === 'down'
                  ? 'does not count'
                  : 'unknown'
            }
          />
        </ul>
      )}

      <dl className="flex flex-col gap-1 text-sm">
        <Fact term="Ping latency">
          {replica.ping === null ? 'not probed' : formatLatency(replica.latencyMs)}
          {typeof replica.latencyMedianMs === 'number' &&
            replica.latencyMs !== null &&
            ` (median ${formatLatency(replica.latencyMedianMs)})`}
        </Fact>
        {replica.image && (
          <Fact term="DTR version">
            <span className="font-mono">{replica.image.tag}</span>
          </Fact>
        )}
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
