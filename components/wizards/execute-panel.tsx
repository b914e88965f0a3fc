'use client';
// EXECUTE=on: the console runs the planned step itself. What runs and where, the typed
// confirmation of a destructive step, the person's own UCP password (checked against UCP, handed
// to the tool on its standard input, never stored), and the button. The server checks every gate
// again on a fresh reading of the cluster before anything starts.

import { useId, useState } from 'react';
import type { WizardRunView } from '@/lib/domain/wizards/run';
import { buttonClass, fieldClass, mutedClass } from '@/components/ui/styles';
import { executeRun, type ExecutionDocument, type ExecutionSummary } from './wizard-api';

const VERB: Record<WizardRunView['kind'], string> = {
  join: 'Run the join now',
  remove: 'Run the removal now',
  repair: 'Run the emergency repair now',
};

export function ExecutePanel({
  run,
  document,
  onStarted,
  onRefused,
}: {
  run: WizardRunView;
  document: ExecutionDocument;
  onStarted: (run: WizardRunView, execution: ExecutionSummary) => void;
  /** A refusal: shown where the page shows errors, since the run may move on under this panel. */
  onRefused: (message: string) => void;
}) {
  const id = useId();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { confirmation } = document;
  const destructive = run.kind !== 'join';
  const confirmed = !confirmation.required || confirm.trim() === confirmation.expected;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const result = await executeRun(run.id, {
        password,
        ...(confirmation.required ? { confirm: confirm.trim() } : {}),
      });
      setPassword('');
      onStarted(result.run, result.execution);
    } catch (failure) {
      const message = failure instanceof Error ? failure.message : String(failure);
      setError(message);
      // A password UCP refused is no use again; a refusal for another reason keeps nothing either.
      setPassword('');
      onRefused(message);
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      onSubmit={(event) => void submit(event)}
      aria-labelledby={`${id}-title`}
      data-testid="execute-panel"
      className="flex flex-col gap-3 rounded-lg border border-slate-300 p-4 dark:border-slate-600"
    >
      <h3 id={`${id}-title`} className="text-base font-semibold">
        Let the console run it
      </h3>
      <p className={mutedClass}>
        The console runs this command through {document.where}, after checking every gate again on a
        fresh reading of the cluster. Your password goes to UCP and to the tool, never into a log or
        the database.
      </p>
      {confirmation.required && (
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-confirm`} className="text-sm font-medium">
            {confirmation.prompt}
          </label>
          <input
            id={`${id}-confirm`}
            data-testid="execute-confirm"
            className={`${fieldClass} font-mono sm:max-w-md`}
            autoComplete="off"
            spellCheck={false}
            value={confirm}
            aria-invalid={confirm !== '' && !confirmed}
            onChange={(event) => setConfirm(event.target.value)}
            aria-describedby={`${id}-confirm-hint`}
          />
          <p id={`${id}-confirm-hint`} className="text-xs" data-testid="execute-confirm-hint">
            {confirm.trim() === ''
              ? `Type ${confirmation.expected} to enable the button.`
              : confirmed
                ? 'Matches.'
                : `Does not match ${confirmation.expected} yet: type it exactly (lower-case hex).`}
          </p>
        </div>
      )}
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-password`} className="text-sm font-medium">
          Your UCP password
        </label>
        <input
          id={`${id}-password`}
          data-testid="execute-password"
          type="password"
          autoComplete="current-password"
          className={`${fieldClass} sm:max-w-md`}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </div>
      <p
        role="alert"
        data-testid="execute-error"
        className={error ? 'text-sm font-medium text-red-800 dark:text-red-200' : 'sr-only'}
      >
        {error}
      </p>
      <div>
        <button
          type="submit"
          data-testid="execute-run"
          className={destructive ? buttonClass.danger : buttonClass.primary}
          disabled={pending || password === '' || !confirmed}
        >
          {pending ? 'Checking the gates…' : VERB[run.kind]}
        </button>
      </div>
    </form>
  );
}
