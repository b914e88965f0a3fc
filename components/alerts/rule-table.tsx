import type { GeneratedRule } from '@/lib/domain/alerts/prometheus-rules';
import { Badge } from '@/components/ui/badge';
import { severityTone } from '@/components/ui/tone';
import { WideTable } from '@/components/ui/wide-table';

const SEVERITY_LABEL = { critical: 'Critical', warning: 'Warning', info: 'Info' } as const;

/** `5m` → "5 min": the `for` of a rule in words a reader scans. */
function forLabel(duration: string): string {
  const match = /^(\d+)(s|m|h)$/.exec(duration);
  if (!match) return duration;
  return `${match[1]} ${{ s: 's', m: 'min', h: 'h' }[match[2] as 's' | 'm' | 'h']}`;
}

/** The generated rules, one row each: what fires, after how long, how loud, and what it means. */
export function RuleTable({ rules }: { rules: GeneratedRule[] }) {
  return (
    <WideTable label="Generated alert rules" testId="prometheus-rule-table">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Generated Prometheus alert rules</caption>
        <thead className="bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100">
          <tr>
            <th scope="col" className="px-3 py-2 font-semibold">
              Alert
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Severity
            </th>
            <th scope="col" className="px-3 py-2 font-semibold whitespace-nowrap">
              For
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Expression
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              What it means
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
          {rules.map((rule, i) => (
            <tr
              key={`${rule.group}-${rule.alert}-${i}`}
              data-testid="prometheus-rule-row"
              data-alert={rule.alert}
              data-severity={rule.severity}
              className="align-top"
            >
              <th scope="row" className="px-3 py-2 font-mono text-xs font-semibold">
                {rule.alert}
                {rule.labels?.cache_replicas && (
                  <span className="block font-sans font-normal text-slate-700 dark:text-slate-300">
                    caches with {rule.labels.cache_replicas} replica
                    {rule.labels.cache_replicas === '1' ? '' : 's'}
                  </span>
                )}
              </th>
              <td className="px-3 py-2">
                <Badge tone={severityTone[rule.severity]}>{SEVERITY_LABEL[rule.severity]}</Badge>
              </td>
              <td className="px-3 py-2 whitespace-nowrap tabular-nums">{forLabel(rule.for)}</td>
              <td className="min-w-64 px-3 py-2 font-mono text-xs break-all">{rule.expr}</td>
              <td className="min-w-72 px-3 py-2">{rule.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </WideTable>
  );
}
