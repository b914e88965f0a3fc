'use client';

import type { WizardRunView } from '@/lib/domain/wizards/run';
import { buttonClass } from '@/components/ui/styles';

export type RunAction = 'apply' | 'ran' | 'verify' | 'cancel';

/** What an administrator can do with an open or failed run. */
export function RunActions({
  run,
  pending,
  onAction,
  quiet = false,
}: {
  run: WizardRunView;
  pending: RunAction | null;
  onAction: (action: RunAction) => void;
  /** The console can run the step itself (EXECUTE=on): that is the main action, these follow. */
  quiet?: boolean;
}) {
  const open = run.status === 'open' || run.status === 'failed';
  if (!open) return null;
  return (
    <div className="flex flex-wrap gap-2">
      {run.mode === 'demo' && (
        <button
          type="button"
          data-testid="demo-apply"
          className={quiet ? buttonClass.secondary : buttonClass.primary}
          disabled={pending !== null}
          onClick={() => onAction('apply')}
        >
          {pending === 'apply'
            ? 'Applying…'
            : quiet
              ? 'Simulate it in the demo (no tool runs)'
              : 'Apply in the demo cluster'}
        </button>
      )}
      <button
        type="button"
        data-testid={run.status === 'failed' ? 'retry-verify' : 'start-verify'}
        className={run.mode === 'demo' || quiet ? buttonClass.secondary : buttonClass.primary}
        disabled={pending !== null}
        onClick={() => onAction(run.status === 'failed' ? 'verify' : 'ran')}
      >
        {run.status === 'failed' ? 'Watch again' : 'I ran the command: start verifying'}
      </button>
      <button
        type="button"
        data-testid="run-cancel"
        className={buttonClass.danger}
        disabled={pending !== null}
        onClick={() => onAction('cancel')}
      >
        {pending === 'cancel' ? 'Cancelling…' : 'Cancel this run'}
      </button>
    </div>
  );
}
