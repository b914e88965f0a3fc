import type { Impact, ImpactSide } from '@/lib/domain/wizards/impact';
import { Badge } from '@/components/ui/badge';
import { quorumTone, type Tone } from '@/components/ui/tone';

const STATUS_LABEL: Record<ImpactSide['status'], string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  'at-risk': 'At risk',
  lost: 'Quorum lost',
  unknown: 'Cannot tell',
};

const ROWS: { key: keyof Omit<ImpactSide, 'status'>; label: string }[] = [
  { key: 'replicas', label: 'Replicas' },
  { key: 'healthy', label: 'Counted up' },
  { key: 'majority', label: 'Majority needed' },
  { key: 'failuresTolerated', label: 'Failures tolerated by design' },
  { key: 'margin', label: 'Failures it can take now' },
];

/**
 * A side's verdict: a cluster with no margin left is never shown green, even when every member
 * is up (2 replicas, 1 replica): losing any one stops it.
 */
function verdictOf(side: ImpactSide): { tone: Tone; label: string } {
  if (side.status === 'healthy' && side.margin <= 0)
    return { tone: 'warn', label: 'Healthy, no margin' };
  return { tone: quorumTone[side.status], label: STATUS_LABEL[side.status] };
}

/** A figure as shown: the margin never reads negative ("none: quorum lost"). */
function figure(side: ImpactSide, key: (typeof ROWS)[number]['key']): string {
  if (key === 'margin' && side.margin < 0) return 'none (quorum lost)';
  return String(side[key]);
}

/** Before and after a membership change, in numbers and in words. */
export function ImpactTable({ impact }: { impact: Impact }) {
  const before = verdictOf(impact.before);
  const after = verdictOf(impact.after);
  return (
    <div className="flex flex-col gap-3" data-testid="impact">
      <table data-testid="impact-table" className="w-full max-w-lg text-sm">
        <caption className="sr-only">Quorum before and after the change</caption>
        <thead>
          <tr className="border-b border-slate-300 text-left dark:border-slate-700">
            <th scope="col" className="py-1.5 pr-3 font-semibold">
              <span className="sr-only">Figure</span>
            </th>
            <th scope="col" className="py-1.5 pr-3 font-semibold">
              Before
            </th>
            <th scope="col" className="py-1.5 font-semibold">
              After
            </th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map(({ key, label }) => {
            const changed = impact.before[key] !== impact.after[key];
            return (
              <tr key={key} className="border-b border-slate-200 dark:border-slate-800">
                <th scope="row" className="py-1.5 pr-3 text-left font-normal">
                  {label}
                </th>
                <td className="py-1.5 pr-3 tabular-nums">{figure(impact.before, key)}</td>
                <td
                  data-testid={`impact-after-${key}`}
                  className={`py-1.5 tabular-nums ${changed ? 'font-bold' : ''}`}
                >
                  {figure(impact.after, key)}
                </td>
              </tr>
            );
          })}
          <tr>
            <th scope="row" className="py-1.5 pr-3 text-left font-normal">
              Quorum
            </th>
            <td className="py-1.5 pr-3">
              <Badge tone={before.tone}>{before.label}</Badge>
            </td>
            <td
              className="py-1.5"
              data-testid="impact-after-status"
              data-status={impact.after.status}
            >
              <Badge tone={after.tone}>{after.label}</Badge>
            </td>
          </tr>
        </tbody>
      </table>
      <ul className="flex flex-col gap-1 text-sm">
        {impact.summary.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}
