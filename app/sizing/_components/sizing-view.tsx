import { describeInputs } from '@/lib/domain/sizing/export';
import type { ParamProblem } from '@/lib/domain/sizing/url';
import type { SizingInput } from '@/lib/domain/sizing/input';
import type { SizingPlan } from '@/lib/domain/sizing/types';
import { FreshnessProvider, PlanArea } from './freshness';
import { PlanOriginNotice, type PlanOrigin } from './plan-origin';
import { AvailabilitySection } from './availability-section';
import { LinkFallbackNotice } from '@/components/ui/link-fallback-notice';
import { HardwareSection } from './hardware-section';
import { LiveCompare } from './live-compare-lazy';
import { PlanActions } from './plan-actions';
import { PlanSummary } from './plan-summary';
import { PlanWarnings } from './plan-warnings';
import { SizingForm } from './sizing-form';
import { SizingSection } from './sizing-section';
import { StorageSection } from './storage-section';
import { ToleranceSection } from './tolerance-section';
import { ZoneSection } from './zone-section';

export type { PlanOrigin };

/** The sizing page: the form on the left, the plan computed on the server on the right. */
export function SizingView({
  plan,
  problems,
  query,
  origin,
  liveInput,
}: {
  plan: SizingPlan;
  problems: ParamProblem[];
  query: string;
  origin: PlanOrigin;
  /** The running cluster as an input, to reset the form to; null without cluster figures. */
  liveInput: SizingInput | null;
}) {
  return (
    <FreshnessProvider>
      <div
        className="flex flex-col gap-6"
        data-testid="sizing-page"
        data-query={query}
        data-origin={origin.kind}
      >
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div className="flex flex-col gap-1">
            <h1 className="text-2xl font-bold tracking-tight">Sizing calculator</h1>
            <p className="max-w-3xl text-slate-700 dark:text-slate-300">
              How many DTR replicas, UCP managers and nodes for the failures you must survive — and
              why. Every input is in the address: share the link to share the plan.
            </p>
          </div>
          <PlanActions plan={plan} query={query} />
        </div>

        <PlanOriginNotice origin={origin} />

        {problems.length > 0 && (
          <LinkFallbackNotice
            problems={problems}
            testId="sizing-fallback-notice"
            headline="Some values in this link were not understood; the plan uses defaults for them."
            fieldWord="input"
            defaultsHref="/sizing"
          />
        )}

        <div className="grid grid-cols-1 gap-8 lg:grid-cols-[21rem_minmax(0,1fr)] print:block">
          {/* In the page's flow, never a scroll region of its own: every field is reached by
            scrolling the page, on a desktop as on a phone (#21). */}
          <aside aria-label="Plan inputs" data-testid="sizing-inputs" className="print:hidden">
            <SizingForm input={plan.input} query={query} liveInput={liveInput} />
          </aside>

          <PlanArea>
            <SizingSection id="inputs" title="Inputs" className="hidden print:flex">
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                {describeInputs(plan.input).map((line) => (
                  <div key={line.label} className="contents">
                    <dt className="font-semibold">{line.label}</dt>
                    <dd>{line.value}</dd>
                  </div>
                ))}
              </dl>
            </SizingSection>
            <PlanSummary plan={plan} />
            <PlanWarnings warnings={plan.warnings} />
            <ToleranceSection plan={plan} />
            <AvailabilitySection plan={plan} />
            <ZoneSection plan={plan} />
            <HardwareSection hardware={plan.hardware} />
            <StorageSection storage={plan.storage} />
            <LiveCompare plan={plan} />
          </PlanArea>
        </div>
      </div>
    </FreshnessProvider>
  );
}
