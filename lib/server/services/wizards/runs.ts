// Wizard runs on the server — the operations behind the routes: create, read, list, update.
import 'server-only';
import {
  isRunStep,
  planFacts,
  planRequest,
  refusal,
  runSubject,
  type CreateRunRequest,
  type WizardRunState,
  type WizardRunStatus,
  type WizardRunView,
} from '@/lib/domain/wizards';
import type { Runtime } from '../../runtime';
import { recoverExecutions } from '../execution/recovery';
import { getClusterStatus } from '../status';
import type { WizardRunRecord } from '../wizard-runs';
import {
  WITHDRAWABLE,
  withdrawnError,
  refresh,
  refuseUnlessReady,
  refuseWhileInFlight,
} from './withdraw';
import {
  type WizardActor,
  WizardRequestError,
  auditWizard,
  withRunLock,
  readState,
  event,
  planOptionsFor,
  assertNoSecret,
  commandSummary,
  toView,
  lastWord,
} from './shared';

// ---------------------------------------------------------------------------
// The operations behind the routes

export async function createRun(
  runtime: Runtime,
  request: CreateRunRequest,
  actor: WizardActor,
): Promise<WizardRunView> {
  const status = await getClusterStatus(runtime);
  await refuseWhileInFlight(runtime);
  const plan = planRequest(status, request, planOptionsFor(runtime, status, actor, request.ca));
  if (!plan.ok || !plan.command || !plan.state) {
    const { input, message } = refusal(plan);
    throw new WizardRequestError(
      input ? 422 : 409,
      input ? 'unprocessable' : 'conflict',
      message || 'The wizard cannot build this command.',
    );
  }
  assertNoSecret(runtime, plan.command.text);
  const state: WizardRunState = {
    ...plan.state,
    facts: planFacts(status, new Date().toISOString()),
    events: [event(actor.user.username, 'generated', commandSummary(plan.command.text))],
  };
  const record = await runtime.wizardRuns.create({
    kind: plan.kind,
    status: 'open',
    step: 'command',
    state,
    createdBy: actor.user.username,
  });
  await auditWizard(
    runtime.audit,
    { username: actor.user.username, ip: actor.ip },
    'wizard-command',
    `${plan.kind} run ${record.id}: generated \`${commandSummary(plan.command.text)}\``,
  );
  return toView(record, state, null, runtime.config.mode);
}

/** Runs whose standing depends on the live status: being verified, or ready to run. */
export const isLive = (record: WizardRunRecord) =>
  record.status === 'verifying' || WITHDRAWABLE.has(record.status);

export async function getRun(runtime: Runtime, id: string): Promise<WizardRunView | null> {
  let record = await runtime.wizardRuns.get(id);
  if (!record) return null;
  // A run whose step's console stopped stays "executing" until someone looks: look now.
  if (record.status === 'executing') {
    await recoverExecutions(runtime).catch(() => undefined);
    record = (await runtime.wizardRuns.get(id)) ?? record;
  }
  const status = isLive(record) ? await getClusterStatus(runtime) : null;
  if (!status) {
    const state = readState(record);
    return toView(record, state, lastWord(state), runtime.config.mode);
  }
  const fresh = await refresh(runtime, record, status);
  return toView(fresh.record, fresh.state, fresh.verification, runtime.config.mode);
}

export async function listRuns(
  runtime: Runtime,
  options: { limit: number; status?: WizardRunStatus },
): Promise<WizardRunView[]> {
  let records = await runtime.wizardRuns.list(options);
  if (records.some((record) => record.status === 'executing')) {
    await recoverExecutions(runtime).catch(() => undefined);
    records = await runtime.wizardRuns.list(options);
  }
  const status = records.some(isLive) ? await getClusterStatus(runtime) : null;
  const views: WizardRunView[] = [];
  for (const record of records) {
    try {
      const fresh = status
        ? await refresh(runtime, record, status)
        : { record, state: readState(record), verification: null };
      // Withdrawn or verified while being read: it no longer has the status asked for.
      if (options.status !== undefined && fresh.record.status !== options.status) continue;
      views.push(
        toView(
          fresh.record,
          fresh.state,
          fresh.verification ?? lastWord(fresh.state),
          runtime.config.mode,
        ),
      );
    } catch (error) {
      // One unreadable row (an older console's format, a damaged record) must not hide the rest.
      if (!(error instanceof WizardRequestError)) throw error;
    }
  }
  return views;
}

export type RunAction = 'ran' | 'verify' | 'cancel';

/** PATCH: move to a step, or say the command ran (start verifying), watch again, or cancel. */
export async function updateRun(
  runtime: Runtime,
  id: string,
  change: { step?: string; action?: RunAction },
  actor: WizardActor,
): Promise<WizardRunView> {
  const result = await withRunLock(runtime.runLocks, id, async () => {
    const store = runtime.wizardRuns;
    const record = await store.get(id);
    if (!record) throw new WizardRequestError(404, 'not_found', `There is no wizard run ${id}.`);
    const state = readState(record);
    const who = { username: actor.user.username, ip: actor.ip };
    if (change.action === 'cancel') {
      if (record.status === 'stale')
        throw withdrawnError(state.withdrawn?.reason ?? 'the run was withdrawn.');
      if (record.status === 'done' || record.status === 'cancelled')
        throw new WizardRequestError(409, 'conflict', `The run is already ${record.status}.`);
      if (record.status === 'executing')
        throw new WizardRequestError(
          409,
          'conflict',
          'The console is running this step now; it cannot be cancelled half-way. Wait for it to end.',
        );
      const next = { ...state, events: [...state.events, event(who.username, 'cancelled', '')] };
      await auditWizard(
        runtime.audit,
        who,
        'wizard-cancelled',
        `${record.kind} run ${id} (${runSubject(state)})`,
      );
      return store.update(id, { status: 'cancelled', state: next });
    }
    if (change.action === 'ran' || change.action === 'verify') {
      // A step whose outcome is unknown (the console running it stopped) is verified, not re-run.
      if (record.status === 'unknown' && change.action === 'verify')
        await refuseWhileInFlight(runtime, record.id);
      else await refuseUnlessReady(runtime, record, state, 'start verifying');
      const next: WizardRunState = {
        ...state,
        verifyingSince: new Date().toISOString(),
        lastVerification: null,
        events: [
          ...state.events,
          event(who.username, change.action === 'ran' ? 'ran' : 'verify-again', ''),
        ],
      };
      await auditWizard(
        runtime.audit,
        who,
        'wizard-ran',
        `${record.kind} run ${id}: ${change.action === 'ran' ? 'ran the command' : 'watching again'} (${runSubject(state)})`,
      );
      return store.update(id, { status: 'verifying', step: 'verify', state: next });
    }
    if (change.step !== undefined) {
      if (!isRunStep(record.kind, change.step))
        throw new WizardRequestError(
          422,
          'unprocessable',
          `A ${record.kind} run has no step "${change.step}".`,
        );
      const needsDone = change.step === 'load-balancer' || change.step === 'next';
      if (needsDone && record.status !== 'done')
        throw new WizardRequestError(
          409,
          'conflict',
          'That step comes after a successful verification.',
        );
      return store.update(id, { step: change.step });
    }
    return record;
  });
  if (!result) throw new WizardRequestError(404, 'not_found', `There is no wizard run ${id}.`);
  const view = await getRun(runtime, result.id);
  if (!view) throw new WizardRequestError(404, 'not_found', `There is no wizard run ${id}.`);
  return view;
}
