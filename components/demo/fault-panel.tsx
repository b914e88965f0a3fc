'use client';

import { useId, useState } from 'react';
import { buttonClass, fieldClass } from '@/components/ui/styles';
import { apiFetch, ApiFetchError } from '@/lib/hooks/api-fetch';
import { useClusterName } from '@/lib/hooks/cluster-url';
import { useAuth } from '@/components/auth/user-context';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { useWithInventory } from '@/components/nodes/use-with-inventory';
import { useHydrated } from '@/lib/hooks/use-hydrated';
import { FAULT_KINDS, faultTargets, type FaultKind } from './fault-options';

type Outcome = { ok: boolean; text: string } | null;

async function post(url: string, body: unknown): Promise<string | null> {
  try {
    await apiFetch(url, { method: 'POST', body });
    return null;
  } catch (error) {
    if (error instanceof ApiFetchError && error.httpStatus === 404)
      return 'Demo controls are off: the console is not running its demo cluster.';
    return error instanceof Error ? error.message : String(error);
  }
}

/** Break a demo member on purpose and watch the console notice. Demo mode only. */
export function FaultPanel() {
  const { status, mutate } = useClusterStatus();
  // Plain workers are counted, not listed, in the served status: they come from GET /api/nodes.
  const withWorkers = useWithInventory(status, 'role=worker&hosts=none');
  const { user } = useAuth();
  const cluster = useClusterName();
  // Until React runs, a choice made in the server-rendered form would be reset by hydration.
  const hydrated = useHydrated();
  const [chosenTarget, setTarget] = useState('');
  const [kind, setKind] = useState<FaultKind>('stop');
  const [pending, setPending] = useState<'apply' | 'reset' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const id = useId();

  if (!status || status.mode !== 'demo') return null;
  if (!user?.isAdmin) {
    return (
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="fault-panel-read-only">
        {cluster === null ? (
          <>
            Only UCP administrators can inject demo faults; you are signed in read-only. Sign in as
            the demo <code>admin</code> user to try them.
          </>
        ) : (
          <>
            Only UCP administrators of cluster <code>{cluster}</code> can inject its demo faults;
            you are a viewer there.
          </>
        )}
      </p>
    );
  }
  const groups = faultTargets(withWorkers ?? status);
  const all = groups.flatMap((group) => group.options);
  // The topology can change under the panel (reset, remove): fall back to the first member.
  const target = all.some((option) => option.value === chosenTarget)
    ? chosenTarget
    : (all[0]?.value ?? '');
  const accepts =
    groups.find((group) => group.options.some((option) => option.value === target))?.accepts ??
    FAULT_KINDS.map((option) => option.kind);
  const kinds = FAULT_KINDS.filter((option) => accepts.includes(option.kind));
  // A fault the chosen member does not accept falls back to the first it does.
  const chosenKind: FaultKind = accepts.includes(kind) ? kind : (kinds[0]?.kind ?? 'stop');
  const selected = FAULT_KINDS.find((option) => option.kind === chosenKind);

  async function run(action: 'apply' | 'reset') {
    setPending(action);
    setOutcome(null);
    const error =
      action === 'apply'
        ? await post('/api/demo/faults', { target, kind: chosenKind })
        : await post('/api/demo/reset', {});
    if (error) {
      setOutcome({ ok: false, text: error });
    } else {
      setOutcome({
        ok: true,
        text:
          action === 'apply'
            ? `Applied “${chosenKind}” to ${target}. The console confirms a change with a second probe, so the page follows within a few seconds.`
            : 'Demo cluster reset: every member is back and no fault is set.',
      });
      await mutate();
    }
    setPending(null);
  }

  return (
    <div className="flex flex-col gap-3 rounded-lg border border-dashed border-slate-400 bg-white p-4 dark:border-slate-500 dark:bg-slate-900">
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Only the built-in demo cluster has these controls. Break a member, then watch the banners,
        cards and warnings above change.
      </p>
      <form
        className="flex flex-col gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          void run('apply');
        }}
      >
        <div className="min-w-0">
          <label htmlFor={`${id}-target`} className="block text-sm font-medium">
            Member
          </label>
          <select
            id={`${id}-target`}
            data-testid="fault-target"
            className={fieldClass}
            value={target}
            disabled={!hydrated}
            onChange={(event) => setTarget(event.target.value)}
          >
            {groups.map((group) => (
              <optgroup key={group.label} label={group.label}>
                {group.options.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="min-w-0">
          <label htmlFor={`${id}-kind`} className="block text-sm font-medium">
            Fault
          </label>
          <select
            id={`${id}-kind`}
            data-testid="fault-kind"
            aria-describedby={`${id}-explain`}
            className={fieldClass}
            value={chosenKind}
            disabled={!hydrated}
            onChange={(event) => setKind(event.target.value as FaultKind)}
          >
            {kinds.map((option) => (
              <option key={option.kind} value={option.kind}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div className="flex gap-2">
          <button
            type="submit"
            data-testid="fault-apply"
            disabled={!hydrated || pending !== null || !target}
            className={buttonClass.danger}
          >
            {pending === 'apply' ? 'Applying…' : 'Apply fault'}
          </button>
          <button
            type="button"
            data-testid="demo-reset"
            disabled={!hydrated || pending !== null}
            onClick={() => void run('reset')}
            className={buttonClass.secondary}
          >
            {pending === 'reset' ? 'Resetting…' : 'Reset demo'}
          </button>
        </div>
      </form>
      <p id={`${id}-explain`} className="text-sm text-slate-700 dark:text-slate-300">
        <span className="font-semibold">{selected?.label}:</span> {selected?.explain}
      </p>
      <p
        role="status"
        aria-live="polite"
        data-testid="fault-result"
        className={
          outcome
            ? `text-sm font-medium ${outcome.ok ? 'text-emerald-800 dark:text-emerald-200' : 'text-red-800 dark:text-red-200'}`
            : 'sr-only'
        }
      >
        {outcome && <span aria-hidden="true">{outcome.ok ? '✓ ' : '✗ '}</span>}
        {outcome?.text}
      </p>
    </div>
  );
}
