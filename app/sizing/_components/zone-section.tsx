import type { SizingPlan, TierPlan } from '@/lib/domain/sizing/types';
import { Badge } from '@/components/ui/badge';
import { SizingSection, Why } from './sizing-section';
import { WideTable } from '@/components/ui/wide-table';

function TierVerdict({ tier }: { tier: TierPlan }) {
  const ok = tier.zones.survivesZoneLoss;
  return (
    <li
      data-testid={`zone-verdict-${tier.tier}`}
      data-survives={ok}
      className="flex flex-col gap-1 sm:flex-row sm:items-baseline sm:gap-3"
    >
      <span className="shrink-0">
        <Badge tone={ok ? 'ok' : 'risk'}>
          {ok ? 'Survives a zone loss' : 'Zone loss stops it'}
        </Badge>
      </span>
      <span className="text-sm">
        <span className="font-semibold">{tier.title}: </span>
        {tier.zones.why}
      </span>
    </li>
  );
}

/** Members per zone so that losing any one zone keeps quorum, or why it cannot. */
export function ZoneSection({ plan }: { plan: SizingPlan }) {
  const { zones } = plan;
  return (
    <SizingSection
      id="zones"
      title={`Spread over ${zones.zones} ${zones.zones === 1 ? 'zone' : 'zones'}`}
      description="Round-robin placement keeps the fullest zone as small as possible: no other placement does better."
    >
      <WideTable label="Zone layout">
        <table className="w-full text-left text-sm" data-testid="zone-table">
          <caption className="sr-only">Members and nodes per failure zone</caption>
          <thead className="bg-slate-100 dark:bg-slate-800">
            <tr>
              <th scope="col" className="px-3 py-2 font-semibold">
                Zone
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                UCP managers
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                DTR replicas
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Application workers
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Nodes
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 tabular-nums dark:divide-slate-700">
            {zones.rows.map((row) => (
              <tr key={row.zone} data-testid={`zone-row-${row.zone}`}>
                <th scope="row" className="px-3 py-2 font-semibold">
                  Zone {row.zone}
                </th>
                <td className="px-3 py-2">{row.managers}</td>
                <td className="px-3 py-2">{row.replicas}</td>
                <td className="px-3 py-2">{row.workers}</td>
                <td className="px-3 py-2">{row.nodes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </WideTable>
      <ul className="flex flex-col gap-2">
        <TierVerdict tier={plan.ucp} />
        <TierVerdict tier={plan.dtr} />
      </ul>
      <Why testId="zone-why">{zones.why} Cache nodes go by region, not zone.</Why>
    </SizingSection>
  );
}
