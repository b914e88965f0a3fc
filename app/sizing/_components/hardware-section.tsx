import { countOf } from '@/lib/domain/sizing/words';
import type { HardwarePlan, ResourceVerdict } from '@/lib/domain/sizing/types';
import { Badge } from '@/components/ui/badge';
import type { Tone } from '@/components/ui/tone';
import { SizingSection, Why } from './sizing-section';
import { WideTable } from '@/components/ui/wide-table';

const VERDICT: Record<ResourceVerdict, { tone: Tone; text: string }> = {
  'below-minimum': { tone: 'bad', text: 'Below minimum' },
  'below-recommended': { tone: 'warn', text: 'Below recommended' },
  ok: { tone: 'ok', text: 'Recommended' },
};

const gb = (value: number) => `${value.toLocaleString('en-US')} GB`;

/** Minimum and recommended hardware per DTR node, totals, and the planner's own size checked. */
export function HardwareSection({ hardware }: { hardware: HardwarePlan }) {
  const { minimum: min, recommended: rec, nodes } = hardware;
  const rows = [
    ['Minimum per node', gb(min.perNode.memoryGb), min.perNode.vcpus, gb(min.perNode.diskGb)],
    [
      'Recommended per node',
      gb(rec.perNode.memoryGb),
      rec.perNode.vcpus,
      `${rec.perNode.diskGb}–${gb(rec.perNode.diskGbMax)}`,
    ],
    [
      `Minimum, ${countOf(nodes, 'node')}`,
      gb(min.total.memoryGb),
      min.total.vcpus,
      gb(min.total.diskGb),
    ],
    [
      `Recommended, ${countOf(nodes, 'node')}`,
      gb(rec.total.memoryGb),
      rec.total.vcpus,
      `${rec.total.diskGb}–${gb(rec.total.diskGbMax)}`,
    ],
  ] as const;
  return (
    <SizingSection id="hardware" title="DTR node hardware">
      <WideTable label="DTR node hardware">
        <table className="w-full text-left text-sm tabular-nums" data-testid="hardware-table">
          <caption className="sr-only">Memory, vCPUs and disk per DTR node and in total</caption>
          <thead className="bg-slate-100 dark:bg-slate-800">
            <tr>
              <th scope="col" className="px-3 py-2 font-semibold">
                Size
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Memory
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                vCPUs
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Disk
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 dark:divide-slate-700">
            {rows.map(([label, memory, vcpus, disk]) => (
              <tr key={label}>
                <th scope="row" className="px-3 py-2 font-semibold">
                  {label}
                </th>
                <td className="px-3 py-2">{memory}</td>
                <td className="px-3 py-2">{vcpus}</td>
                <td className="px-3 py-2">{disk}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </WideTable>
      {hardware.checks.length > 0 && (
        <ul className="flex flex-col gap-1 text-sm" data-testid="hardware-checks">
          {hardware.checks.map((check) => {
            const unit = check.resource === 'vcpus' ? '' : ' GB';
            return (
              <li
                key={check.resource}
                data-verdict={check.verdict}
                className="flex flex-wrap items-center gap-2"
              >
                <Badge tone={VERDICT[check.verdict].tone}>{VERDICT[check.verdict].text}</Badge>
                <span>
                  Your {check.label.toLowerCase()}: {check.planned}
                  {unit} (minimum {check.minimum}
                  {unit}, recommended {check.recommended}
                  {unit})
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <Why>{hardware.why}</Why>
      <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="hardware-source">
        Source: DTR 2.x system requirements (Docker Enterprise 3.x and Mirantis docs), “16GB of RAM
        for nodes running DTR” as the minimum and the recommended production size.
      </p>
    </SizingSection>
  );
}
