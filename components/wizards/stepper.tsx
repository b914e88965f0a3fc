import { WIZARD_STEPS, stepIndex } from '@/lib/domain/wizards/steps';
import type { WizardKind } from '@/lib/domain/wizards/gates';

/**
 * The wizard's numbered steps; the current one is marked for screen readers too. A step is done
 * only once the person has moved past it: the last step (updating the load balancer, joining new
 * replicas) is theirs to do, so reaching it never marks it done.
 */
export function Stepper({ kind, current }: { kind: WizardKind; current: string }) {
  const at = stepIndex(kind, current);
  return (
    <ol aria-label="Steps" className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
      {WIZARD_STEPS[kind].map((step, index) => {
        const state = index < at ? 'done' : index === at ? 'current' : 'todo';
        return (
          <li
            key={step.id}
            data-testid={`wizard-step-${step.id}`}
            data-state={state}
            aria-current={state === 'current' ? 'step' : undefined}
            className="flex items-center gap-2"
          >
            <span
              aria-hidden="true"
              className={`flex size-6 shrink-0 items-center justify-center rounded-full text-xs font-bold ${
                state === 'done'
                  ? 'bg-emerald-700 text-white'
                  : state === 'current'
                    ? 'bg-sky-700 text-white ring-2 ring-sky-300 dark:ring-sky-800'
                    : 'bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300'
              }`}
            >
              {state === 'done' ? '✓' : index + 1}
            </span>
            <span
              className={
                state === 'current' ? 'font-semibold' : 'text-slate-700 dark:text-slate-300'
              }
            >
              <span className="sr-only">
                Step {index + 1}
                {state === 'done' ? ' (done)' : ''}:{' '}
              </span>
              {step.title}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
