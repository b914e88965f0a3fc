'use client';

import { FixLink } from '@/components/warnings/fix-link';
import { useId, useState } from 'react';
import type { AdviceStep } from '@/lib/domain/types';
import { CodeBlock } from '@/components/ui/code-block';
import { Prose } from '@/components/ui/prose';
import { BringBackButton } from './bring-back-button';

const LEVEL_WORDS: Record<AdviceStep['level'], string> = {
  look: 'Look',
  'bring-back': 'Bring back',
  replace: 'Replace',
  shrink: 'Shrink the cluster',
  restore: 'Restore',
};

/**
 * Every next step for the situation, least destructive first, each with when it applies and what
 * it risks. A step that drops replicas (emergency repair) shows its command only once the person
 * confirms its sentence: that nothing gentler worked.
 */
export function AdviceLadder({ steps, code }: { steps: AdviceStep[]; code: string }) {
  const id = useId();
  const [confirmed, setConfirmed] = useState<string[]>([]);
  return (
    <details className="rounded-md bg-white/50 p-2 dark:bg-black/20" data-testid={`ladder-${code}`}>
      <summary className="cursor-pointer text-sm font-semibold">
        All {steps.length} steps, least destructive first
      </summary>
      <ol className="mt-2 flex flex-col gap-3">
        {steps.map((step, index) => {
          const gated = step.acknowledge !== undefined && !confirmed.includes(step.id);
          return (
            <li
              key={step.id}
              data-testid={`ladder-step-${step.id}`}
              data-recommended={step.recommended ? 'true' : undefined}
              className={`flex min-w-0 flex-col gap-1 border-l-4 pl-3 text-sm ${
                step.recommended ? 'border-current' : 'border-current/20'
              }`}
            >
              <p className="font-semibold">
                {index + 1}. {step.title}
                <span className="ml-2 text-xs font-normal opacity-80">
                  {LEVEL_WORDS[step.level]}
                  {step.recommended ? ' · the next step now' : ''}
                </span>
              </p>
              <p>
                <span className="font-medium">When: </span>
                <Prose text={step.when} />
              </p>
              <p>
                <span className="font-medium">Risk: </span>
                <Prose text={step.risk} />
              </p>
              {step.acknowledge !== undefined && (
                <label className="flex items-start gap-2 font-medium">
                  <input
                    type="checkbox"
                    id={`${id}-${step.id}`}
                    data-testid={`ladder-ack-${step.id}`}
                    className="mt-0.5 size-4 shrink-0 accent-red-700"
                    checked={!gated}
                    onChange={(event) =>
                      setConfirmed((list) =>
                        event.target.checked
                          ? [...list, step.id]
                          : list.filter((s) => s !== step.id),
                      )
                    }
                  />
                  <span>{step.acknowledge}</span>
                </label>
              )}
              {step.command &&
                (gated ? (
                  <p className="text-xs opacity-80" data-testid={`ladder-hidden-${step.id}`}>
                    The command shows once you confirm the sentence above.
                  </p>
                ) : (
                  <CodeBlock code={step.command} label={`Copy the command of step ${index + 1}`} />
                ))}
              {step.href && !gated && <FixLink href={step.href} />}
              {step.id === 'bring-back' && step.replicaIds && (
                <BringBackButton replicaIds={step.replicaIds} />
              )}
            </li>
          );
        })}
      </ol>
    </details>
  );
}
