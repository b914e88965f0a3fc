'use client';

import Link from '@/components/ui/cluster-link';
import type { Gate } from '@/lib/domain/wizards/gates';
import { Prose } from '@/components/ui/prose';
import { StatusIcon } from '@/components/ui/status-icon';
import { panelTone } from '@/components/ui/tone';
import { CodeBlock } from '@/components/ui/code-block';

/**
 * Why the wizard stops (block) or asks for care (warn), each in plain words. A block that the
 * person may lift offers a checkbox with the sentence they confirm.
 */
export function GateList({
  gates,
  acknowledged = [],
  onAcknowledge,
  empty,
}: {
  gates: Gate[];
  acknowledged?: readonly string[];
  /** Without it the list is read-only (e.g. the gates kept with a run). */
  onAcknowledge?: (id: string, checked: boolean) => void;
  empty?: string;
}) {
  const sorted = [...gates].sort(
    (a, b) => Number(a.severity === 'warn') - Number(b.severity === 'warn'),
  );
  return (
    <div aria-live="polite" className="flex flex-col gap-3">
      {sorted.length === 0 && empty ? (
        <p
          data-testid="gates-clear"
          className={`rounded-lg border-l-4 p-3 text-sm font-medium ${panelTone.ok}`}
        >
          {empty}
        </p>
      ) : null}
      {sorted.map((gate) => {
        const blocked = gate.severity === 'block';
        const tone = blocked ? 'bad' : 'warn';
        const canAcknowledge = gate.acknowledge !== undefined && onAcknowledge !== undefined;
        return (
          <div
            key={gate.id}
            data-testid={`gate-${gate.id}`}
            data-severity={gate.severity}
            data-acknowledged={gate.acknowledged ? 'true' : undefined}
            className={`flex min-w-0 flex-col gap-2 rounded-lg border-l-4 p-3 text-sm ${panelTone[tone]}`}
          >
            <p className="flex items-start gap-2">
              <StatusIcon tone={tone} className="mt-0.5 size-4" />
              <span>
                <span className="font-semibold">
                  {blocked ? 'Stopped: ' : gate.acknowledged ? 'Acknowledged: ' : 'Warning: '}
                </span>
                <Prose text={gate.message} />
              </span>
            </p>
            {gate.command && (
              <CodeBlock code={gate.command} label={`Copy the command for ${gate.id}`} />
            )}
            {canAcknowledge && (
              <label className="flex items-start gap-2 font-medium">
                <input
                  type="checkbox"
                  data-testid={`ack-${gate.id}`}
                  className="mt-0.5 size-4 shrink-0 accent-red-700"
                  checked={acknowledged.includes(gate.id)}
                  onChange={(event) => onAcknowledge(gate.id, event.target.checked)}
                />
                <span>{gate.acknowledge}</span>
              </label>
            )}
            {gate.href && (
              <p>
                <Link
                  href={gate.href}
                  className="font-semibold underline underline-offset-2 focus-visible:outline-current"
                >
                  {gate.hrefLabel ?? 'Open'}
                  <span aria-hidden="true"> →</span>
                </Link>
              </p>
            )}
          </div>
        );
      })}
    </div>
  );
}
