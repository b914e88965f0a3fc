import { FixLink } from '@/components/warnings/fix-link';
import type { Severity, Warning } from '@/lib/domain/types';
import { AdviceLadder } from '@/components/warnings/advice-ladder';
import { NoWarnings } from '@/components/warnings/no-warnings';
import { Badge } from '@/components/ui/badge';
import { CodeBlock } from '@/components/ui/code-block';
import { Prose } from '@/components/ui/prose';
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

export interface Incident {
  primary: Warning;
  /** The other facts of the same cause, folded inside the primary card. */
  related: Warning[];
}

const keyOf = (w: Warning) => `${w.code}:${w.subjects.join(',')}`;

/**
 * One card per incident: warnings sharing a `group` fold into the one marked `primary`.
 * Warnings from before grouping (no group) stand alone. Most severe incident first.
 */
export function incidentsOf(warnings: Warning[]): Incident[] {
  const groups = new Map<string, Warning[]>();
  for (const w of sortWarnings(warnings)) {
    const group = w.group ?? keyOf(w);
    groups.set(group, [...(groups.get(group) ?? []), w]);
  }
  return [...groups.values()].map((members) => {
    const primary = members.find((w) => w.primary) ?? (members[0] as Warning);
    return { primary, related: members.filter((w) => w !== primary) };
  });
}

function WarningBody({ warning, headingLevel }: { warning: Warning; headingLevel: 3 | 4 }) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <>
      <Heading className="font-semibold text-balance">{warning.title}</Heading>
      <p className="text-sm">
        <Prose text={warning.detail} />
      </p>
      <p className="text-sm">
        <span className="font-semibold">Next step: </span>
        <Prose text={warning.nextStep} />
      </p>
      {warning.command && (
        <CodeBlock code={warning.command} label={`Copy command for ${warning.code}`} />
      )}
      {warning.ladder && warning.ladder.length > 1 && (
        <AdviceLadder steps={warning.ladder} code={warning.code} />
      )}
      {warning.href && <FixLink href={warning.href} className="text-sm" />}
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
    </>
  );
}

function CodeLine({ warning }: { warning: Warning }) {
  const tone = severityTone[warning.severity];
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Badge tone={tone}>{SEVERITY_LABEL[warning.severity]}</Badge>
      <code className="font-mono text-xs break-all">{warning.code}</code>
    </div>
  );
}

export function WarningList({ warnings }: { warnings: Warning[] }) {
  if (warnings.length === 0) return <NoWarnings />;
  return (
    <ul className="flex flex-col gap-3" data-testid="incidents">
      {incidentsOf(warnings).map(({ primary, related }) => {
        const tone = severityTone[primary.severity];
        return (
          <li
            key={primary.group ?? keyOf(primary)}
            data-testid={`warning-${primary.code}`}
            data-severity={primary.severity}
            data-group={primary.group}
            className={`flex min-w-0 flex-col gap-2 rounded-lg border-l-4 p-4 ${panelTone[tone]}`}
          >
            <CodeLine warning={primary} />
            <WarningBody warning={primary} headingLevel={3} />
            {related.length > 0 && (
              <details
                className="mt-1 rounded-md bg-white/50 p-2 dark:bg-black/20"
                data-testid="incident-related"
              >
                <summary className="cursor-pointer text-sm font-semibold">
                  {related.length} related {related.length === 1 ? 'fact' : 'facts'} of this
                  incident ({[...new Set(related.map((w) => w.code))].join(', ')})
                </summary>
                <ul className="mt-2 flex flex-col gap-3">
                  {related.map((warning) => (
                    <li
                      key={keyOf(warning)}
                      data-testid={`warning-${warning.code}`}
                      data-severity={warning.severity}
                      data-related="true"
                      className="flex min-w-0 flex-col gap-2 border-t border-current/20 pt-2"
                    >
                      <CodeLine warning={warning} />
                      <WarningBody warning={warning} headingLevel={4} />
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </li>
        );
      })}
    </ul>
  );
}
