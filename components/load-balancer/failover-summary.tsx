import { failoverSeconds } from '@/lib/domain/lb/failover';
import type { LbOptions } from '@/lib/domain/lb/options';
import { formatSeconds } from '@/lib/domain/lb/failover';
import { panelTone } from '@/components/ui/tone';

/** How the estimate comes about, in the load balancer's own terms. */
function formula(options: LbOptions): string | null {
  const s = formatSeconds;
  if (options.kind === 'haproxy')
    return `inter ${s(options.checkIntervalMs)} × fall ${options.fall} + timeout ${s(options.checkTimeoutMs)}`;
  if (options.kind === 'elb')
    return `Interval ${s(options.checkIntervalMs)} × UnhealthyThreshold ${options.fall}`;
  return null;
}

/** The consequence of the settings, first: how long clients keep being sent to a dead replica. */
export function FailoverSummary({ options }: { options: LbOptions }) {
  const estimate = failoverSeconds(options);
  const how = formula(options);
  const summary = estimate.summary.replace(/\.$/, '');
  return (
    <div
      data-testid="lb-failover"
      data-kind={options.kind}
      data-seconds={estimate.seconds ?? ''}
      className={`flex flex-col gap-1 rounded-lg border-l-4 p-4 ${panelTone[estimate.seconds === null ? 'warn' : 'info']}`}
    >
      <p className="text-lg font-semibold text-balance" aria-live="polite">
        {summary}
        {how && <span className="font-normal"> ({how})</span>}.
      </p>
      <p className="text-sm">{estimate.detail}</p>
    </div>
  );
}
