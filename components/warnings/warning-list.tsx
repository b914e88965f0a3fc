import Link from 'next/link';
import type { Severity, Warning } from '@/lib/domain/types';
import { Badge } from '@/components/ui/badge';
import { CodeBlock } from '@/components/ui/code-block';
import { panelTone, severityTone } from '@/components/ui/tone';

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Info',
};

/** Most severe first; the server's order is kept within one severity. */
export function sortWarnings(warnings: Warning[]): Warning[] {
  return warnings
    .map((warning, index) => ({ warning, index }))
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.warning.severity] - SEVERITY_ORDER[b.warning.severity] ||
        a.index - b.index,
    )
    .map(({ warning }) => warning);
}

export function WarningList({ warnings }: { warnings: Warning[] }) {
  if (warnings.length === 0) {
    return (
      <p
        data-testid="warnings-empty"
        className={`rounded-lg border-l-4 p-4 text-sm font-medium ${panelTone.ok}`}
      >
        No warnings. Everything the console checks is as designed.
      </p>
    );
  }
  return (
    <ul className="flex flex-col gap-3">
      {sortWarnings(warnings).map((warning) => {
        const tone = severityTone[warning.severity];
        return (
          <li
            key={`${warning.code}:${warning.subjects.join(',')}`}
            data-testid={`warning-${warning.code}`}
            data-severity={warning.severity}
            className={`flex min-w-0 flex-col gap-2 rounded-lg border-l-4 p-4 ${panelTone[tone]}`}
          >
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={tone}>{SEVERITY_LABEL[warning.severity]}</Badge>
              <code className="font-mono text-xs break-all">{warning.code}</code>
            </div>
            <h3 className="font-semibold text-balance">{warning.title}</h3>
            <p className="text-sm">{warning.detail}</p>
            <p className="text-sm">
              <span className="font-semibold">Next step: </span>
              {warning.nextStep}
            </p>
            {warning.command && (
              <CodeBlock code={warning.command} label={`Copy command for ${warning.code}`} />
            )}
            {warning.href && (
              <p>
                <Link
                  href={warning.href}
                  className="text-sm font-semibold underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-current"
                >
                  Open the guided fix<span aria-hidden="true"> →</span>
                </Link>
              </p>
            )}
            {warning.subjects.length > 0 && (
              <div className="flex flex-wrap items-center gap-1 text-xs">
                <span>Affects:</span>
                <ul className="flex flex-wrap gap-1">
                  {warning.subjects.map((subject) => (
                    <li
                      key={subject}
                      className="rounded bg-white/60 px-1.5 py-0.5 font-mono dark:bg-black/30"
                    >
                      {subject}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
