// Wizard runs on the server — withdrawal and verification: a run is judged against the live
// status on every read; a withdrawn or finished verdict is persisted once.
import 'server-only';
import type { ClusterSnapshot } from '@/lib/domain/types';
import {
  runStaleness,
  runSubject,
  verifyRun,
  type Staleness,
  type Verification,
  type WizardRunState,
  type WizardRunStatus,
} from '@/lib/domain/wizards';
import type { Runtime } from '../../runtime';
import { getClusterStatus } from '../status';
import type { WizardRunRecord } from '../wizard-runs';
import {
  WizardRequestError,
  auditWizard,
  CONSOLE_ACTOR,
  withRunLock,
  readState,
  event,
  lastWord,
} from './shared';

// ---------------------------------------------------------------------------
// Withdrawal: a run whose command is ready to copy (open) or to retry (failed) no longer is once
// the live status stops supporting it (DESIGN.md §3). Judged on every read, persisted once.

export const WITHDRAWABLE: ReadonlySet<WizardRunStatus> = new Set(['open', 'failed']);

export function staleness(
  record: WizardRunRecord,
  state: WizardRunState,
  status: ClusterSnapshot,
  ttlMs: number,
): Staleness | null {
  if (!WITHDRAWABLE.has(record.status)) return null;
  return runStaleness(state, status, Date.now(), ttlMs, record.createdAt);
}

/** Marks the run stale with its reason, in its events and the audit log. Hold the run's lock. */
export async function withdraw(
  runtime: Runtime,
  record: WizardRunRecord,
  state: WizardRunState,
  reason: string,
): Promise<{ record: WizardRunRecord; state: WizardRunState }> {
  const next: WizardRunState = {
    ...state,
    withdrawn: { reason, at: new Date().toISOString() },
    events: [...state.events, event('console', 'withdrawn', reason)],
  };
  const updated =
    (await runtime.wizardRuns.update(record.id, { status: 'stale', state: next })) ?? record;
  await auditWizard(
    runtime.audit,
    CONSOLE_ACTOR,
    'wizard-withdrawn',
    `${record.kind} run ${record.id} (${runSubject(state)}), started by ${record.createdBy}: ${reason}`,
  );
  return { record: updated, state: next };
}

export function withdrawnError(reason: string): WizardRequestError {
  return new WizardRequestError(
    409,
    'conflict',
    `The cluster changed since the command was generated: ${reason} The command is withdrawn: plan the change again.`,
  );
}

/** Before acting on a run (apply, "I ran it"): refuse a withdrawn one, withdrawing it first if due. Hold the lock. */
export async function refuseIfWithdrawn(
  runtime: Runtime,
  record: WizardRunRecord,
  state: WizardRunState,
): Promise<void> {
  if (record.status === 'stale')
    throw withdrawnError(state.withdrawn?.reason ?? 'the run was withdrawn.');
  const stale = staleness(
    record,
    state,
    await getClusterStatus(runtime),
    runtime.config.wizardRunTtlMs,
  );
  if (!stale) return;
  await withdraw(runtime, record, state, stale.reason);
  throw withdrawnError(stale.reason);
}

/**
 * Before running a run's command (demo apply, "I ran it", watch again): it must still stand, be
 * open or failed, and no other change may be being verified. Hold the run's lock.
 */
export async function refuseUnlessReady(
  runtime: Runtime,
  record: WizardRunRecord,
  state: WizardRunState,
  what: string,
): Promise<void> {
  await refuseIfWithdrawn(runtime, record, state);
  if (record.status !== 'open' && record.status !== 'failed')
    throw new WizardRequestError(
      409,
      'conflict',
      `The run is ${record.status}; only an open or failed run can ${what}.`,
    );
  await refuseWhileInFlight(runtime, record.id);
}

// ---------------------------------------------------------------------------
// Verification: computed from the live status, persisted once it is done or failed.

export type Fresh = {
  record: WizardRunRecord;
  state: WizardRunState;
  verification: Verification | null;
};

/** An open or failed run as it stands: withdrawn if the live status no longer supports it. */
export async function judgeOpen(
  runtime: Runtime,
  record: WizardRunRecord,
  state: WizardRunState,
  status: ClusterSnapshot,
): Promise<Fresh> {
  const ttlMs = runtime.config.wizardRunTtlMs;
  if (!staleness(record, state, status, ttlMs))
    return { record, state, verification: lastWord(state) };
  return withRunLock(runtime.runLocks, record.id, async () => {
    // Judged again on the run as stored now: a PATCH may have moved it on meanwhile.
    const current = (await runtime.wizardRuns.get(record.id)) ?? record;
    const currentState = readState(current);
    const stale = staleness(current, currentState, status, ttlMs);
    const outcome = stale
      ? await withdraw(runtime, current, currentState, stale.reason)
      : { record: current, state: currentState };
    return { ...outcome, verification: lastWord(outcome.state) };
  });
}

export async function refresh(
  runtime: Runtime,
  record: WizardRunRecord,
  status: ClusterSnapshot,
): Promise<Fresh> {
  const state = readState(record);
  if (WITHDRAWABLE.has(record.status)) return judgeOpen(runtime, record, state, status);
  if (record.status !== 'verifying') return { record, state, verification: lastWord(state) };
  const verification = verifyRun(status, state, Date.now());
  if (verification.state === 'waiting') return { record, state, verification };
  return withRunLock(runtime.runLocks, record.id, async () => {
    const store = runtime.wizardRuns;
    const current = await store.get(record.id);
    if (!current || current.status !== 'verifying') {
      const latest = current ?? record;
      const latestState = readState(latest);
      return { record: latest, state: latestState, verification: lastWord(latestState) };
    }
    const at = new Date().toISOString();
    const currentState = readState(current);
    const joined =
      currentState.kind === 'join' &&
      currentState.replicaId === null &&
      verification.state === 'done'
        ? (status.dtr.replicas.find((r) => r.node === currentState.node)?.id ?? null)
        : null;
    const next: WizardRunState = {
      ...currentState,
      ...(joined !== null && { replicaId: joined }),
      lastVerification: { ...verification, at },
      events: [
        ...currentState.events,
        event(
          'console',
          verification.state === 'done' ? 'verified' : 'failed',
          verification.message,
        ),
      ],
    };
    const outcome: WizardRunStatus = verification.state === 'done' ? 'done' : 'failed';
    const updated = (await store.update(current.id, { status: outcome, state: next })) ?? current;
    await auditWizard(
      runtime.audit,
      CONSOLE_ACTOR,
      verification.state === 'done' ? 'wizard-verified' : 'wizard-failed',
      `${current.kind} run ${current.id} (${runSubject(next)}), started by ${current.createdBy}: ${verification.message}`,
    );
    return { record: updated, state: next, verification };
  });
}

/**
 * A run whose change may be under way: its step is running (EXECUTE=on), its outcome is unknown,
 * or it is being verified, judged against the live status (it may have finished unwatched).
 */
export async function inFlight(
  runtime: Runtime,
  exceptId?: string,
): Promise<WizardRunRecord | null> {
  const others = (runs: WizardRunRecord[]) => runs.filter((run) => run.id !== exceptId);
  for (const status of ['executing', 'unknown'] as const) {
    const [busy] = others(await runtime.wizardRuns.list({ limit: 5, status }));
    if (busy) return busy;
  }
  const verifying = others(await runtime.wizardRuns.list({ limit: 20, status: 'verifying' }));
  if (verifying.length === 0) return null;
  const status = await getClusterStatus(runtime);
  for (const run of verifying) {
    const fresh = await refresh(runtime, run, status).catch(() => ({ record: run }));
    if (fresh.record.status === 'verifying') return fresh.record;
  }
  return null;
}

export async function refuseWhileInFlight(runtime: Runtime, exceptId?: string): Promise<void> {
  const other = await inFlight(runtime, exceptId);
  if (!other) return;
  const subject = (() => {
    try {
      return runSubject(readState(other));
    } catch {
      return other.kind;
    }
  })();
  const doing =
    other.status === 'executing'
      ? 'is running'
      : other.status === 'unknown'
        ? 'has an unknown outcome'
        : 'is still being verified';
  const then =
    other.status === 'verifying'
      ? 'let it finish or cancel it first'
      : other.status === 'unknown'
        ? 'verify it first'
        : 'let it finish first';
  throw new WizardRequestError(
    409,
    'conflict',
    `Another change ${doing} (${subject}, run ${other.id}). Change one member at a time: ${then}.`,
  );
}
