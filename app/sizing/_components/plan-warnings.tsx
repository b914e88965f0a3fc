import type { SizingWarning } from '@/lib/domain/sizing/types';
import { StatusIcon } from '@/components/ui/status-icon';
import { panelTone, severityTone } from '@/components/ui/tone';
import { SizingSection } from './sizing-section';

const SEVERITY_LABEL = { critical: 'Critical', warning: 'Warning', info: 'Note' } as const;

/** What is wrong with the plan: consequence and fix, most severe first. */
export function PlanWarnings({ warnings }: { warnings: SizingWarning[] }) {
  return (
    <SizingSection id="warnings" title="Warnings">
      {warnings.length === 0 ? (
        <p data-testid="sizing-no-warnings" className="text-sm text-slate-700 dark:text-slate-300">
          None: odd counts, spread over enough zones, on dedicated nodes.
        </p>
      ) : (
        <ul className="flex flex-col gap-3" data-testid="sizing-warnings">
          {warnings.map((warning) => {
            const tone = severityTone[warning.severity];
            return (
              <li
                key={warning.code}
                data-testid={`sizing-warning-${warning.code}`}
                data-severity={warning.severity}
                className={`flex gap-3 rounded-lg border-l-4 p-3 ${panelTone[tone]}`}
              >
                <StatusIcon tone={tone} className="mt-0.5 size-5" />
                <div className="flex flex-col gap-1">
                  <p className="font-semibold">
                    <span className="sr-only">{SEVERITY_LABEL[warning.severity]}: </span>
                    {warning.title}
                  </p>
                  <p className="text-sm">{warning.detail}</p>
                  <p className="text-sm">
                    <span className="font-semibold">Fix: </span>
                    {warning.fix}
                  </p>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </SizingSection>
  );
}
