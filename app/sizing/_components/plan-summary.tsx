import type { SizingPlan, TierPlan } from '@/lib/domain/sizing/types';
import { SizingSection, Why } from './sizing-section';

function Output({
  testId,
  label,
  value,
  detail,
  why,
}: {
  testId: string;
  label: string;
  value: number;
  detail?: string;
  why: string;
}) {
  return (
    <div
      data-testid={testId}
      data-value={value}
      className="flex flex-col gap-1 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900"
    >
      <p className="text-sm font-medium text-slate-700 dark:text-slate-300">{label}</p>
      <p className="text-3xl font-bold tabular-nums" data-testid={`${testId}-value`}>
        {value}
      </p>
      {detail && <p className="text-sm font-semibold">{detail}</p>}
      <Why>{why}</Why>
    </div>
  );
}

function tierDetail(tier: TierPlan): string {
  const failures = tier.failuresTolerated === 1 ? 'failure' : 'failures';
  return `Majority ${tier.majority} · survives ${tier.failuresTolerated} ${failures}`;
}

/** The headline numbers, each with its reason, and what drives the total. */
export function PlanSummary({ plan }: { plan: SizingPlan }) {
  const { dtr, ucp, caches, workers, total } = plan;
  return (
    <SizingSection id="plan" title="The plan">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3">
        <Output
          testId="plan-dtr-replicas"
          label="DTR replicas"
          value={dtr.members}
          detail={tierDetail(dtr)}
          why={dtr.why}
        />
        <Output
          testId="plan-ucp-managers"
          label="UCP managers"
          value={ucp.members}
          detail={tierDetail(ucp)}
          why={ucp.why}
        />
        <Output
          testId="plan-cache-nodes"
          label="DTR cache nodes"
          value={caches.nodes}
          detail={caches.nodes > 0 ? `${caches.regions} × ${caches.perRegion}` : undefined}
          why={caches.why}
        />
        <Output
          testId="plan-app-workers"
          label="Application workers"
          value={workers.nodes}
          why={workers.why}
        />
        <div
          data-testid="plan-total-nodes"
          data-value={total.nodes}
          className="flex flex-col gap-2 rounded-lg border-2 border-sky-600 bg-sky-50 p-4 text-sky-950 sm:col-span-2 dark:border-sky-400 dark:bg-sky-950 dark:text-sky-50"
        >
          <p className="text-sm font-medium">Total nodes</p>
          <p className="text-3xl font-bold tabular-nums" data-testid="plan-total-nodes-value">
            {total.nodes}
          </p>
          <Why>{total.why}</Why>
          <p
            className="text-sm font-semibold"
            data-testid="plan-driver"
            data-driver={total.driver.part}
          >
            {total.driverWhy}
          </p>
          <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {total.sensitivity.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      </div>
    </SizingSection>
  );
}
