'use client';

import type { DriftFinding, LbServerState } from '@/lib/domain/lb/drift';
import { useNow } from '@/lib/hooks/use-now';
import { Badge } from '@/components/ui/badge';
import { CodeBlock } from '@/components/ui/code-block';
import { RelativeTime } from '@/components/ui/relative-time';
import { panelTone, type Tone } from '@/components/ui/tone';
import { lbStateOf } from '@/lib/domain/lb/drift';
import { useLbDrift } from '@/lib/hooks/use-lb-drift';
import { Prose } from '@/components/ui/prose';
import { LbDriftNotConfigured } from './lb-drift-not-configured';

const FINDING_TONE: Record<DriftFinding['severity'], Tone> = { critical: 'bad', warning: 'warn' };

function Finding({ finding }: { finding: DriftFinding }) {
  const tone = FINDING_TONE[finding.severity];
  return (
    <li
      data-testid="lb-drift-finding"
      data-code={finding.code}
      data-subjects={finding.subjects.join(' ')}
      className={`flex min-w-0 flex-col gap-2 rounded-lg border-l-4 p-4 ${panelTone[tone]}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={tone}>{finding.severity === 'critical' ? 'Critical' : 'Warning'}</Badge>
        <code className="font-mono text-xs">{finding.code}</code>
      </div>
      <h3 className="font-semibold text-balance">{finding.title}</h3>
      <p className="text-sm">
        <Prose text={finding.detail} />
      </p>
      <p className="text-sm">
        <span className="font-semibold">Next step: </span>
        <Prose text={finding.nextStep} />
      </p>
      {finding.command && (
        <CodeBlock code={finding.command} label={`Copy command for ${finding.code}`} />
      )}
    </li>
  );
}

const STATE_TONE = { serving: 'ok', out: 'bad', unknown: 'neutral' } as const;

function PoolTable({ pool }: { pool: LbServerState[] }) {
  return (
    <details className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-700">
      <summary className="cursor-pointer font-medium">
        The pool as the load balancer reports it ({pool.length} servers)
      </summary>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full" data-testid="lb-drift-pool">
          <thead className="text-left text-xs text-slate-700 uppercase dark:text-slate-300">
            <tr>
              <th className="py-1 pr-3">Backend</th>
              <th className="py-1 pr-3">Server</th>
              <th className="py-1 pr-3">Status</th>
              <th className="py-1">Last check</th>
            </tr>
          </thead>
          <tbody className="font-mono text-xs">
            {pool.map((row) => (
              <tr
                key={`${row.backend}/${row.server}`}
                className="border-t border-slate-200 dark:border-slate-700"
              >
                <td className="py-1 pr-3 break-all">{row.backend}</td>
                <td className="py-1 pr-3 break-all">{row.server}</td>
                <td className="py-1 pr-3">
                  <Badge tone={STATE_TONE[lbStateOf(row.status).traffic]} icon={false}>
                    {row.status}
                  </Badge>
                </td>
                <td className="py-1">
                  {[row.checkStatus, row.checkDetail].filter(Boolean).join(' ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** The load balancer's pool against the cluster's replicas, when LB_STATS_URL is set. */
export function LbDriftPanel() {
  const { drift, error } = useLbDrift();
  const now = useNow(drift?.checkedAt ? Date.parse(drift.checkedAt) : 0);
  if (!drift) {
    return error ? <p className="text-sm">The drift check did not load: {error.message}</p> : null;
  }
  if (!drift.configured) return <LbDriftNotConfigured />;
  return (
    <div
      data-testid="lb-drift"
      data-configured="true"
      data-findings={drift.findings.length}
      className="flex flex-col gap-3"
    >
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Pool read from <code className="font-mono">{drift.source}</code>
        {drift.fetchedAt ? (
          <>
            , <RelativeTime time={drift.fetchedAt} now={now} />
          </>
        ) : (
          ', not yet'
        )}
        .
      </p>
      {drift.error && (
        <p
          role="alert"
          data-testid="lb-drift-error"
          className={`rounded-lg border-l-4 p-3 text-sm ${panelTone.warn}`}
        >
          The load balancer&apos;s stats could not be read: {drift.error}.
          {drift.fetchedAt ? ' What follows is as of the last good read.' : ''}
        </p>
      )}
      {drift.fetchedAt && drift.findings.length === 0 && (
        <p
          data-testid="lb-drift-ok"
          className={`rounded-lg border-l-4 p-3 text-sm font-medium ${panelTone.ok}`}
        >
          The pool matches the cluster: every replica is in it, no removed one is, and the load
          balancer agrees with the console on which replicas are healthy.
        </p>
      )}
      {drift.findings.length > 0 && (
        <ul className="flex flex-col gap-3">
          {drift.findings.map((finding) => (
            <Finding key={`${finding.code}:${finding.subjects.join(',')}`} finding={finding} />
          ))}
        </ul>
      )}
      {drift.pool.length > 0 && <PoolTable pool={drift.pool} />}
    </div>
  );
}
