'use client';

import Link from '@/components/ui/cluster-link';
import { useCallback, useEffect, useState } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { RUN_STEPS } from '@/lib/domain/wizards/steps';
import { runSubject } from '@/lib/domain/wizards/run-subject';
import type { WizardRunView } from '@/lib/domain/wizards/run';
import { CLUSTER_STATUS_KEY } from '@/lib/hooks/cluster-status-key';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { useAuth } from '@/components/auth/user-context';
import { useExecuteWhere } from '@/components/layout/execute-banner';
import { CommandBlock } from './command-block';
import { GateList } from './gate-list';
import { LoadBalancerStep } from './load-balancer-step';
import { RunActions, type RunAction } from './run-actions';
import { RunEvents } from './run-events';
import { RunHeader } from './run-header';
import { StepPanel } from './step-panel';
import { Prose } from '@/components/ui/prose';
import { Stepper } from './stepper';
import { VerificationPanel } from './verification-panel';
import { WithdrawnNotice } from './withdrawn-notice';
import { buttonClass, linkClass, mutedClass } from '@/components/ui/styles';
import { ExecutePanel } from './execute-panel';
import { ExecutionLog } from './execution-log';
import { applyRun, executionUrl, fetchExecution, fetchRun, patchRun, runUrl } from './wizard-api';

const DESTROY_NOTE =
  'Use `remove`, never `destroy`: destroy deletes the replica’s containers without telling the cluster, and the dead replica keeps counting against the quorum.';

/** How often a run whose command is ready is read again even if the cluster stays quiet (expiry). */
const READY_REFRESH_MS = 30_000;

const isReady = (run: WizardRunView) => run.status === 'open' || run.status === 'failed';

/** A persisted run: the command, demo apply, verification and the last step, resumable. */
export function RunView({ initial }: { initial: WizardRunView }) {
  const { data: run = initial, mutate } = useSWR(runUrl(initial.id), fetchRun, {
    fallbackData: initial,
    // SWR hands the interval function its cache, which is empty on a fresh load: fall back to
    // the server's render, or a reloaded page would never poll.
    refreshInterval: (latest) => {
      const current = latest ?? initial;
      return current.status === 'verifying' || current.status === 'executing'
        ? 1000
        : isReady(current)
          ? READY_REFRESH_MS
          : 0;
    },
    revalidateOnMount: true,
  });
  const { user } = useAuth();
  // EXECUTE=on: where steps run, the confirmation, and this run's latest execution (null: off).
  const executes = useExecuteWhere() !== null;
  const { data: execution, mutate: mutateExecution } = useSWR(
    executes ? executionUrl(initial.id) : null,
    fetchExecution,
  );
  const onExecutionEnd = useCallback(() => {
    void mutate();
    void mutateExecution();
  }, [mutate, mutateExecution]);
  const { mutate: refreshCache } = useSWRConfig();
  // The change shows in the cluster: pages that read the status should not show the old one.
  useEffect(() => {
    if (run.status === 'done') void refreshCache(CLUSTER_STATUS_KEY);
  }, [run.status, refreshCache]);
  // A ready command is withdrawn as soon as the cluster no longer supports it: each new snapshot
  // (pushed over the live stream) has the server judge the run again.
  const ready = isReady(run);
  const { status: cluster } = useClusterStatus({ poll: ready });
  useEffect(() => {
    if (ready && cluster) void mutate();
  }, [ready, cluster, mutate]);
  const [viewing, setViewing] = useState<string | null>(null);
  const [pending, setPending] = useState<RunAction | 'step' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isAdmin = user?.isAdmin === true;
  const [, verifyStep, lastStep] = RUN_STEPS[run.kind];
  const step = viewing ?? run.step;
  const { state } = run;

  async function act(action: RunAction | 'step', call: () => Promise<WizardRunView>) {
    setPending(action);
    setError(null);
    try {
      const next = await call();
      await mutate(next, { revalidate: false });
      setViewing(null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      // A refusal may mean the run changed (withdrawn, say): show it as it is now.
      void mutate();
    } finally {
      setPending(null);
    }
  }
  const onAction = (action: RunAction) =>
    void act(action, () => (action === 'apply' ? applyRun(run.id) : patchRun(run.id, { action })));

  const actions = isAdmin ? (
    <RunActions
      run={run}
      pending={pending === 'step' ? null : pending}
      onAction={onAction}
      quiet={execution != null}
    />
  ) : (
    <p className={mutedClass}>
      Only UCP administrators can {executes ? 'run, ' : ''}apply, verify or cancel a run
      {user ? `; you are signed in as ${user.username}, a viewer here` : ''}.
    </p>
  );

  const withdrawn = run.status === 'stale';
  // A withdrawn run has no step left to take: its notice replaces every step's panel.
  const panel = withdrawn ? null : step;

  return (
    <div className="flex flex-col gap-6">
      <RunHeader run={run} title={runSubject(state)} />
      {!withdrawn && <Stepper kind={run.kind} current={step} />}
      <p
        role="alert"
        data-testid="run-error"
        className={error ? 'text-sm font-medium text-red-800 dark:text-red-200' : 'sr-only'}
      >
        {error}
      </p>
      {withdrawn && <WithdrawnNotice run={run} />}
      {panel === 'command' && (
        <StepPanel
          step="command"
          title="Run the command"
          description="On a machine with Docker that reaches UCP. The tool asks for the UCP password: never put it on the command line."
        >
          {state.needsVersion && (
            <p className="text-sm font-semibold">
              Replace VERSION in the image tag with your installed DTR version (never latest).
            </p>
          )}
          <CommandBlock command={state.command} />
          {state.kind === 'remove' && (
            <p className="text-sm">
              <Prose text={DESTROY_NOTE} />
            </p>
          )}
          {state.gates.length > 0 && <GateList gates={state.gates} />}
          {run.status === 'cancelled' ? (
            <p className={mutedClass}>
              This run was cancelled. Start a new one from the replicas page.
            </p>
          ) : run.status === 'open' || run.status === 'failed' ? (
            <>
              {isAdmin && execution && run.status === 'open' && (
                <ExecutePanel
                  run={run}
                  document={execution}
                  onStarted={(next) => {
                    setError(null);
                    void mutate(next, { revalidate: false });
                    void mutateExecution();
                    setViewing(null);
                  }}
                  onRefused={(message) => {
                    void mutateExecution();
                    // The panel says it beside the form; once the run has moved on (another tab
                    // ran it, it was withdrawn) the panel is gone, so the page says it instead.
                    void mutate().then((fresh) => {
                      if (fresh && !isReady(fresh)) setError(message);
                    });
                  }}
                />
              )}
              {isAdmin && execution && run.status === 'open' && (
                <p className={mutedClass}>Or run the command yourself, then tell the console:</p>
              )}
              {actions}
            </>
          ) : (
            <div>
              <button
                type="button"
                data-testid="wizard-next"
                className={buttonClass.primary}
                onClick={() => setViewing(verifyStep)}
              >
                See the verification <span aria-hidden="true">→</span>
              </button>
            </div>
          )}
        </StepPanel>
      )}
      {panel === verifyStep && (
        <StepPanel
          step="verify"
          title="Verify"
          description="The console watches the replica list and every replica’s health until the change shows."
        >
          {run.status === 'unknown' && (
            <div
              role="alert"
              data-testid="execution-unknown"
              className="flex flex-col gap-2 rounded-lg border-l-4 border-amber-500 bg-amber-50 p-3 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50"
            >
              <p className="font-semibold">Outcome unknown — verify</p>
              <p>
                The console that ran this step stopped watching it, so whether it took effect is not
                known. It is never run again on its own: check the cluster, then verify.
              </p>
              {isAdmin && (
                <div>
                  <button
                    type="button"
                    data-testid="verify-unknown"
                    className={buttonClass.primary}
                    disabled={pending !== null}
                    onClick={() => void act('verify', () => patchRun(run.id, { action: 'verify' }))}
                  >
                    Verify against the cluster now
                  </button>
                </div>
              )}
            </div>
          )}
          {execution?.execution && (
            <ExecutionLog
              key={execution.execution.id}
              runId={run.id}
              initial={execution.execution}
              initialLines={execution.lines}
              onEnd={onExecutionEnd}
            />
          )}
          {run.verification && state.verifyingSince ? (
            <VerificationPanel
              verification={run.verification}
              since={state.verifyingSince}
              timeoutMs={state.timeoutMs}
              appliesAt={state.demo?.appliesAt ?? null}
            />
          ) : (
            run.status !== 'executing' &&
            run.status !== 'unknown' && (
              <p className={mutedClass}>
                Run the command first, then tell the console, and it starts watching.
              </p>
            )
          )}
          {run.status === 'done' ? (
            <div>
              <button
                type="button"
                data-testid="wizard-next"
                className={buttonClass.primary}
                disabled={pending !== null || !isAdmin}
                onClick={() => void act('step', () => patchRun(run.id, { step: lastStep }))}
              >
                {lastStep === 'next' ? 'Join new replicas' : 'Update the load balancer'}{' '}
                <span aria-hidden="true">→</span>
              </button>
            </div>
          ) : (
            actions
          )}
        </StepPanel>
      )}
      {panel === lastStep && lastStep === 'load-balancer' && (
        <StepPanel step="load-balancer" title="Update the load balancer">
          <LoadBalancerStep state={state} />
          <p className="flex flex-wrap gap-4 text-sm">
            {state.kind === 'remove' && (
              <Link href="/replicas/join" data-testid="next-join" className={linkClass.strong}>
                Join a replacement replica <span aria-hidden="true">→</span>
              </Link>
            )}
            <Link href="/replicas" className={linkClass.strong}>
              Back to replica changes
            </Link>
          </p>
        </StepPanel>
      )}
      {panel === lastStep && lastStep === 'next' && (
        <StepPanel step="next" title="Join new replicas">
          <p className="text-sm">
            The registry runs again on one replica, which survives no failure. Join new replicas one
            at a time: the first makes 2 (still no failure tolerated), the second makes 3, which
            survive one. Clean the old replicas’ nodes of their dtr-* containers and volumes before
            reusing them.
          </p>
          <p>
            <Link href="/replicas/join" data-testid="handover-join" className={linkClass.strong}>
              Open the join wizard <span aria-hidden="true">→</span>
            </Link>
          </p>
        </StepPanel>
      )}
      <details className="text-sm" open={run.status === 'failed'}>
        <summary className="cursor-pointer font-medium">
          {withdrawn ? 'What happened in this run' : 'The command and what happened in this run'}
        </summary>
        <div className="mt-2 flex flex-col gap-3">
          {!withdrawn && step !== 'command' && (
            <CommandBlock command={state.command} testId="command-text-history" />
          )}
          <RunEvents events={state.events} />
        </div>
      </details>
    </div>
  );
}
