// Recovery (issue 22): a console that stopped mid-execution stops renewing its lease. The next
// console to look (at boot, on a read of the run, before another execution) moves it to
// "orphaned" (one writer wins), marks its run "outcome unknown — verify", and looks, read-only, for
// what the container left: its exit code and log are kept as evidence; a container still running
// keeps the slot. Nothing is ever run again on its own.
import 'server-only';
import { outcomeSentence, redactCredentials, tail } from '@/lib/domain/execution';
import type { ExecutionLine, ExecutionRecord } from '@/lib/domain/execution/types';
import { runSubject, type WizardRunState } from '@/lib/domain/wizards';
import type { Runtime } from '../../runtime';
import { auditWizard, CONSOLE_ACTOR, event, readState, withRunLock } from '../wizards/shared';

/** How long a run may stay "executing" after its execution ended before it counts as stranded. */
const STRANDED_AFTER_MS = 30_000;

/**
 * Moves expired leases to orphaned, marks runs left "executing" by a console that stopped, and
 * settles every orphaned execution it can. The first two need only the store, so they run with
 * EXECUTE off as well (a console restarted without it must not leave a run executing forever).
 */
export async function recoverExecutions(runtime: Runtime): Promise<void> {
  const executions = runtime.store.executions;
  const moved = await executions.orphanExpired(new Date());
  for (const record of moved) await markRunUnknown(runtime, record.runId, record.instance);
  // A run still "executing" whose execution no longer runs: its console stopped between
  // recording the end and moving the run on, or before it ever recorded one.
  // Given time: the console that ran it moves the run on a moment after recording the end.
  const now = Date.now();
  for (const run of await runtime.wizardRuns.list({ limit: 10, status: 'executing' })) {
    const latest = (await executions.forRun(run.id))[0];
    if (latest && (latest.status === 'starting' || latest.status === 'running')) continue;
    const since = Date.parse(latest?.finishedAt ?? run.updatedAt);
    if (!(now - since > STRANDED_AFTER_MS)) continue;
    await markRunUnknown(runtime, run.id, latest?.instance ?? 'a console');
  }
  if (!runtime.execution) return;
  const active = await executions.active();
  if (active?.status === 'orphaned') await settle(runtime, active);
}

async function markRunUnknown(runtime: Runtime, runId: string, instance: string): Promise<void> {
  await withRunLock(runtime.runLocks, runId, async () => {
    const run = await runtime.wizardRuns.get(runId);
    if (!run || run.status !== 'executing') return;
    let state: WizardRunState;
    try {
      state = readState(run);
    } catch {
      return;
    }
    const why = `The console running this step (${instance}) stopped watching it; whether it took effect is not known. Check the cluster, then verify.`;
    await runtime.wizardRuns.update(run.id, {
      status: 'unknown',
      state: {
        ...state,
        events: [...state.events, event('console', 'outcome-unknown', why)],
        lastVerification: {
          state: 'failed',
          message: 'Outcome unknown — verify.',
          checks: [],
          nextSteps: [why],
          at: new Date().toISOString(),
        },
      },
    });
    await auditWizard(
      runtime.audit,
      CONSOLE_ACTOR,
      'wizard-execution-unknown',
      `${run.kind} run ${run.id} (${runSubject(state)}), started by ${run.createdBy}: ${why}`,
    );
  });
}

/** Looks at what an orphaned execution left, and frees its slot unless its container still runs. */
async function settle(runtime: Runtime, record: ExecutionRecord): Promise<void> {
  const context = runtime.execution;
  if (!context) return;
  const executions = runtime.store.executions;
  const found = await context.driver.leftover(record);
  if (found.kind === 'running' || found.kind === 'unreachable') return;
  const evidence: ExecutionLine[] = [];
  let stored: ExecutionLine[] = [];
  if (found.kind === 'exited') {
    stored = await executions.lines(record.id, 0, 2000);
    const before = stored.at(-1)?.seq ?? 0;
    // The container's log starts at its first line: the lines the stopped console already
    // stored are not added again, so the log reads as one run, not as two.
    let seen = 0;
    // Recovered lines are redacted by where credentials stand (the password is gone with the
    // old process): the stored ones are compared as they would read so.
    while (
      seen < stored.length &&
      found.lines[seen]?.text === redactCredentials(stored[seen]?.text ?? '')
    )
      seen += 1;
    const at = new Date().toISOString();
    found.lines
      .slice(seen)
      .forEach((part, i) => evidence.push({ ...part, seq: before + i + 1, at }));
    if (evidence.length > 0) await executions.appendLines(record.id, evidence);
  }
  const settled = await executions.update(record.id, {
    status: 'unknown',
    ...(found.kind === 'exited' ? { exitCode: found.exitCode } : {}),
    ...(evidence.length > 0 ? { logTail: tail([...stored, ...evidence]) } : {}),
    finishedAt: new Date().toISOString(),
  });
  await auditWizard(
    runtime.audit,
    CONSOLE_ACTOR,
    'wizard-execution-unknown',
    `${record.kind} run ${record.runId}, execution ${record.id}: ${
      found.kind === 'exited'
        ? `its container had ended unwatched (exit code ${found.exitCode ?? 'unknown'}); evidence kept`
        : 'no container of it was found'
    }; ${settled ? outcomeSentence(settled) : 'outcome unknown'}. The slot is free.`,
  );
}

/** An administrator frees a slot held by an execution nobody watches (the engine cannot be reached). */
export async function releaseExecution(
  runtime: Runtime,
  runId: string,
  who: { username: string; ip: string },
): Promise<ExecutionRecord | null> {
  const executions = runtime.store.executions;
  await recoverExecutions(runtime);
  const active = await executions.active();
  if (!active || active.runId !== runId) return null;
  if (active.status !== 'orphaned') return active;
  // Only a container nobody can look at may be let go: one the engine says still runs keeps it.
  const found = await runtime.execution?.driver.leftover(active);
  if (found?.kind === 'running') return active;
  const released = await executions.update(active.id, {
    status: 'unknown',
    refusal: `released by ${who.username}`,
    finishedAt: new Date().toISOString(),
  });
  await auditWizard(
    runtime.audit,
    who,
    'wizard-execution-released',
    `${active.kind} run ${runId}, execution ${active.id}: the slot was released by hand; the container's outcome is unknown.`,
  );
  return released;
}
