import type { DowntimeBar } from '@/components/sizing/downtime-bars';
import { DowntimeChart } from '@/components/sizing/downtime-chart-lazy';
import { countOf } from '@/lib/domain/sizing/words';
import { formatAvailability, formatDowntime } from '@/lib/domain/sizing/availability';
import type { SizingPlan } from '@/lib/domain/sizing/types';
import { SizingSection, Why } from './sizing-section';
import { WideTable } from '@/components/ui/wide-table';

function chartBars(plan: SizingPlan): DowntimeBar[] {
  return plan.availability.series.map((point) => ({
    members: point.members,
    minutes: point.downtimeMinutes,
    label: formatDowntime(point.downtimeMinutes),
    even: point.even,
    plan: [plan.dtr.members === point.members && 'DTR', plan.ucp.members === point.members && 'UCP']
      .filter((mark) => mark !== false)
      .join(' + '),
  }));
}

/** Binomial downtime estimate per tier, and the chart that shows why even counts lose. */
export function AvailabilitySection({ plan }: { plan: SizingPlan }) {
  const { availability, dtr, ucp } = plan;
  const bars = chartBars(plan);
  const description = bars.map((b) => `${b.members}: ${b.label}`).join('; ');
  const rows = [
    { key: 'dtr', label: `DTR (${countOf(dtr.members, 'replica')})`, ...dtr.availability },
    { key: 'ucp', label: `UCP (${countOf(ucp.members, 'manager')})`, ...ucp.availability },
    { key: 'registry', label: 'Registry (DTR and UCP)', ...availability.registry },
    ...(availability.caches
      ? [{ key: 'caches', label: 'Cache, per region', ...availability.caches }]
      : []),
  ];
  return (
    <SizingSection
      id="availability"
      title="Estimated downtime per year"
      description={`Each node up ${availability.perNodePercent}% of the time. Log scale: each gridline up is about ten times more downtime a year, from microseconds to days.`}
    >
      <figure
        className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-700 dark:bg-slate-900"
        data-testid="downtime-figure"
        data-availability={availability.perNodePercent}
        data-plan-dtr={dtr.members}
        data-plan-ucp={ucp.members}
      >
        <DowntimeChart bars={bars} description={`Downtime per year by members: ${description}.`} />
        <figcaption className="text-sm text-slate-700 dark:text-slate-300">
          2 members are down about twice as long as 1 (both must be up), and 4 longer than 3 (3 of 4
          must be up): an even count adds a machine that can fail without adding a failure it
          survives. Outlined bars are the plan.
        </figcaption>
      </figure>
      <WideTable label="Downtime per year">
        <table className="w-full min-w-[36rem] text-left text-sm" data-testid="availability-table">
          <caption className="sr-only">Estimated availability and yearly downtime per tier</caption>
          <thead className="bg-slate-100 dark:bg-slate-800">
            <tr>
              <th scope="col" className="px-3 py-2 font-semibold">
                Tier
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Availability
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Downtime / year
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Why
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 dark:divide-slate-700">
            {rows.map((row) => (
              <tr key={row.key} data-testid={`availability-${row.key}`}>
                <th scope="row" className="px-3 py-2 font-semibold">
                  {row.label}
                </th>
                <td className="px-3 py-2 tabular-nums">{formatAvailability(row.unavailability)}</td>
                <td className="px-3 py-2 tabular-nums" data-testid={`downtime-${row.key}`}>
                  {formatDowntime(row.downtimeMinutes)}
                </td>
                <td className="px-3 py-2 text-slate-700 dark:text-slate-300">{row.why}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </WideTable>
      <Why>{availability.why}</Why>
    </SizingSection>
  );
}
