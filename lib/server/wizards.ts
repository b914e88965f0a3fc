// Wizard runs on the server: plan a request against the live status, persist the run with its
// command, apply it to the demo cluster, verify it, and audit every step. Rules live in
// lib/domain/wizards; this module only does I/O and state transitions.
import 'server-only';
import { AUDIT_ACTIONS, audit, type AuditAction } from '@/lib/auth/audit';
import { DemoInputError, type DemoOperation } from '@/lib/demo';
import type { UcpCaSource, UcpConnectionOptions } from '@/lib/domain/commands';
import type { ClusterSnapshot } from '@/lib/domain/types';
import {
  isRunStep,
  planFacts,
  planRequest,
  refusal,
  requestFromState,
  runStaleness,
  runSubject,
  verifyRun,
  WizardRunStateSchema,
  type CreateRunRequest,
  type PlanOptions,
  type RunEvent,
  type Staleness,
  type Verification,
  type WizardRunState,
  type WizardRunStatus,
  type WizardRunView,
} from '@/lib/domain/wizards';
import { ApiError, type ApiErrorCode } from '@/lib/http/errors';
import { commandOptions } from './command-options';
import { getRuntime, type Runtime } from './runtime';
import { getClusterStatus } from './status';
import { getWizardRunStore, type WizardRunRecord } from './wizard-runs';

/** Who acts: the auth guard's AuthContext (lib/auth/guard.ts) has this shape. */
export interface WizardActor {
  user: { username: string };
  ip: string;
}

/** A refusal the route wrapper answers as `{ error: { code, message } }` with this HTTP status. */
export class WizardRequestError extends ApiError {
  override readonly name = 'WizardRequestError';
  constructor(
    override readonly status: 404 | 409 | 422 | 500,
    code: ApiErrorCode,
    message: string,
  ) {
    super(status, code, message);
  }
}

// ---------------------------------------------------------------------------
// Audit

type WizardAuditAction =
  | 'wizard-command'
  | 'wizard-applied'
  | 'wizard-ran'
  | 'wizard-verified'
  | 'wizard-failed'
  | 'wizard-cancelled'
  | 'wizard-withdrawn';

/** Actions lib/auth/audit.ts does not list yet are recorded as wizard-command, named in the detail. */
async function auditWizard(
  actor: { username: string; ip: string },
  action: WizardAuditAction,
  detail: string,
): Promise<void> {
  const known = (AUDIT_ACTIONS as readonly string[]).includes(action);
  await audit({
    actor: actor.username,
    ip: actor.ip,
    action: known ? (action as AuditAction) : 'wizard-command',
    detail: known ? detail : `${action.slice('wizard-'.length)}: ${detail}`,
  });
}

const CONSOLE_ACTOR = { username: 'console', ip: 'server' };

// ---------------------------------------------------------------------------
// One change to a run at a time (verification, demo callbacks and PATCH may race).

const LOCKS = Symbol.for('dtr-ha-console.wizard-run-locks');
type LockGlobal = typeof globalThis & { [LOCKS]?: Map<string, Promise<unknown>> };

function withRunLock<T>(id: string, task: () => Promise<T>): Promise<T> {
  const g = globalThis as LockGlobal;
  const locks = (g[LOCKS] ??= new Map());
  const previous = locks.get(id) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.catch(() => undefined);
  locks.set(id, settled);
  void settled.then(() => {
    if (locks.get(id) === settled) locks.delete(id);
  });
  return next;
}

// ---------------------------------------------------------------------------
// Helpers

function readState(record: WizardRunRecord): WizardRunState {
  const parsed = WizardRunStateSchema.safeParse(record.state);
  if (!parsed.success || parsed.data.kind !== record.kind) {
    throw new WizardRequestError(
      500,
      'internal',
      `Wizard run ${record.id} is stored in a form this console cannot read.`,
    );
  }
  return parsed.data;
}

function event(actor: string, name: string, detail: string): RunEvent {
  return { at: new Date().toISOString(), actor, event: name, detail };
}

/** The UCP account named in commands: the signed-in person, else the demo's admin, else the configured account. */
function operatorName(runtime: Runtime, actor: WizardActor): string | null {
  if (actor.user.username !== 'local') return actor.user.username;
  const demoAdmin = runtime.demo?.users.find(
    (u) => u.isAdmin && u.username !== runtime.target.ucp?.username,
  );
  return demoAdmin?.username ?? runtime.target.ucp?.username ?? null;
}

function connectionFor(
  runtime: Runtime,
  status: ClusterSnapshot,
  actor: WizardActor,
  ca: UcpCaSource | undefined,
): UcpConnectionOptions | null {
  const ucpUrl = runtime.target.ucp?.url;
  const ucpUsername = operatorName(runtime, actor);
  if (!ucpUrl || !ucpUsername) return null;
  const options = commandOptions(runtime);
  return {
    ucpUrl,
    ucpUsername,
    dtrVersion: status.dtr.version,
    ucpCa: ca ?? { kind: 'fetch' },
    caFingerprint: options.ucpCaFingerprint,
    caDownloadVerified: options.ucpCaDownloadVerified,
  };
}

/** The plan options of a command: connection, and the image and version it runs with. */
function planOptionsFor(
  runtime: Runtime,
  status: ClusterSnapshot,
  actor: WizardActor,
  ca: UcpCaSource | undefined,
): PlanOptions {
  const options = commandOptions(runtime);
  return {
    connection: connectionFor(runtime, status, actor, ca),
    imageOverride: options.imageOverride,
    pinnedVersion: options.dtrVersion ?? null,
    offlineLongMs: runtime.config.offlineLongMs,
    zoneLabel: runtime.config.zoneLabel,
  };
}

/** Defence in depth: the builders never print a password; refuse if one shows up anyway. */
function assertNoSecret(runtime: Runtime, text: string): void {
  const secrets = [runtime.target.ucp?.password, runtime.target.dtr?.password].filter(
    (secret): secret is string => typeof secret === 'string' && secret.length >= 8,
  );
  if (secrets.some((secret) => text.includes(secret))) {
    throw new WizardRequestError(
      500,
      'internal',
      'Refusing to show a command that contains a password.',
    );
  }
}

/** "remove --existing-replica-id … --replica-ids …": the bootstrapper part of the docker run line. */
function commandSummary(command: string): string {
  const line = command.split('\n').at(-1) ?? '';
  const at = line.search(/ (join|remove|emergency-repair) /);
  return at >= 0 ? line.slice(at + 1) : line;
}

/** What the API shows of a run's state: a withdrawn command is nowhere to be copied from. */
function shownState(record: WizardRunRecord, state: WizardRunState): WizardRunState {
  if (record.status !== 'stale') return state;
  return {
    ...state,
    command: '',
    events: state.events.map((e) => (e.event === 'generated' ? { ...e, detail: '' } : e)),
  };
}

function toView(
  record: WizardRunRecord,
  state: WizardRunState,
  verification: Verification | null,
  mode: 'demo' | 'live',
): WizardRunView {
  return {
    id: record.id,
    kind: record.kind,
    status: record.status,
    step: record.step,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    state: shownState(record, state),
    verification,
    mode,
    withdrawn: record.status === 'stale' ? (state.withdrawn ?? null) : null,
  };
}

function lastWord(state: WizardRunState): Verification | null {
  const last = state.lastVerification;
  return last
    ? { state: last.state, message: last.message, checks: last.checks, nextSteps: last.nextSteps }
    : null;
}

/** A run still being verified, judged against the live status (it may have finished unwatched). */
async function inFlight(exceptId?: string): Promise<WizardRunRecord | null> {
  const verifying = (await getWizardRunStore().list({ limit: 20, status: 'verifying' })).filter(
    (run) => run.id !== exceptId,
  );
  if (verifying.length === 0) return null;
  const status = await getClusterStatus();
  const ttlMs = (await getRuntime()).config.wizardRunTtlMs;
  for (const run of verifying) {
    const fresh = await refresh(run, status, ttlMs).catch(() => ({ record: run }));
    if (fresh.record.status === 'verifying') return fresh.record;
  }
  return null;
}

async function refuseWhileInFlight(exceptId?: string): Promise<void> {
  const other = await inFlight(exceptId);
  if (!other) return;
  const subject = (() => {
    try {
      return runSubject(readState(other));
    } catch {
      return other.kind;
    }
  })();
  throw new WizardRequestError(
    409,
    'conflict',
    `Another change is still being verified (${subject}, run ${other.id}). Change one member at a time: let it finish or cancel it first.`,
  );
}

// ---------------------------------------------------------------------------
// Withdrawal: a run whose command is ready to copy (open) or to retry (failed) no longer is once
// the live status stops supporting it (DESIGN.md §3). Judged on every read, persisted once.

const WITHDRAWABLE: ReadonlySet<WizardRunStatus> = new Set(['open', 'failed']);

function staleness(
  record: WizardRunRecord,
  state: WizardRunState,
  status: ClusterSnapshot,
  ttlMs: number,
): Staleness | null {
  if (!WITHDRAWABLE.has(record.status)) return null;
  return runStaleness(state, status, Date.now(), ttlMs, record.createdAt);
}

/** Marks the run stale with its reason, in its events and the audit log. Hold the run's lock. */
async function withdraw(
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
    (await getWizardRunStore().update(record.id, { status: 'stale', state: next })) ?? record;
  await auditWizard(
    CONSOLE_ACTOR,
    'wizard-withdrawn',
    `${record.kind} run ${record.id} (${runSubject(state)}), started by ${record.createdBy}: ${reason}`,
  );
  return { record: updated, state: next };
}

function withdrawnError(reason: string): WizardRequestError {
  return new WizardRequestError(
    409,
    'conflict',
    `The cluster changed since the command was generated: ${reason} The command is withdrawn: plan the change again.`,
  );
}

/** Before acting on a run (apply, "I ran it"): refuse a withdrawn one, withdrawing it first if due. Hold the lock. */
async function refuseIfWithdrawn(
  record: WizardRunRecord,
  state: WizardRunState,
  ttlMs: number,
): Promise<void> {
  if (record.status === 'stale')
    throw withdrawnError(state.withdrawn?.reason ?? 'the run was withdrawn.');
  const stale = staleness(record, state, await getClusterStatus(), ttlMs);
  if (!stale) return;
  await withdraw(record, state, stale.reason);
  throw withdrawnError(stale.reason);
}

// ---------------------------------------------------------------------------
// Verification: computed from the live status, persisted once it is done or failed.

type Fresh = { record: WizardRunRecord; state: WizardRunState; verification: Verification | null };

/** An open or failed run as it stands: withdrawn if the live status no longer supports it. */
async function judgeOpen(
  record: WizardRunRecord,
  state: WizardRunState,
  status: ClusterSnapshot,
  ttlMs: number,
): Promise<Fresh> {
  if (!staleness(record, state, status, ttlMs))
    return { record, state, verification: lastWord(state) };
  return withRunLock(record.id, async () => {
    // Judged again on the run as stored now: a PATCH may have moved it on meanwhile.
    const current = (await getWizardRunStore().get(record.id)) ?? record;
    const currentState = readState(current);
    const stale = staleness(current, currentState, status, ttlMs);
    const outcome = stale
      ? await withdraw(current, currentState, stale.reason)
      : { record: current, state: currentState };
    return { ...outcome, verification: lastWord(outcome.state) };
  });
}

async function refresh(
  record: WizardRunRecord,
  status: ClusterSnapshot,
  ttlMs: number,
): Promise<Fresh> {
  const state = readState(record);
  if (WITHDRAWABLE.has(record.status)) return judgeOpen(record, state, status, ttlMs);
  if (record.status !== 'verifying') return { record, state, verification: lastWord(state) };
  const verification = verifyRun(status, state, Date.now());
  if (verification.state === 'waiting') return { record, state, verification };
  return withRunLock(record.id, async () => {
    const store = getWizardRunStore();
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
      CONSOLE_ACTOR,
      verification.state === 'done' ? 'wizard-verified' : 'wizard-failed',
      `${current.kind} run ${current.id} (${runSubject(next)}), started by ${current.createdBy}: ${verification.message}`,
    );
    return { record: updated, state: next, verification };
  });
}

// ---------------------------------------------------------------------------
// The operations behind the routes

export async function createRun(
  request: CreateRunRequest,
  actor: WizardActor,
): Promise<WizardRunView> {
  const runtime = await getRuntime();
  const status = await getClusterStatus();
  await refuseWhileInFlight();
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
  const record = await getWizardRunStore().create({
    kind: plan.kind,
    status: 'open',
    step: 'command',
    state,
    createdBy: actor.user.username,
  });
  await auditWizard(
    { username: actor.user.username, ip: actor.ip },
    'wizard-command',
    `${plan.kind} run ${record.id}: generated \`${commandSummary(plan.command.text)}\``,
  );
  return toView(record, state, null, runtime.config.mode);
}

/** Runs whose standing depends on the live status: being verified, or ready to run. */
const isLive = (record: WizardRunRecord) =>
  record.status === 'verifying' || WITHDRAWABLE.has(record.status);

export async function getRun(id: string): Promise<WizardRunView | null> {
  const record = await getWizardRunStore().get(id);
  if (!record) return null;
  const runtime = await getRuntime();
  const status = isLive(record) ? await getClusterStatus() : null;
  if (!status) {
    const state = readState(record);
    return toView(record, state, lastWord(state), runtime.config.mode);
  }
  const fresh = await refresh(record, status, runtime.config.wizardRunTtlMs);
  return toView(fresh.record, fresh.state, fresh.verification, runtime.config.mode);
}

export async function listRuns(options: {
  limit: number;
  status?: WizardRunStatus;
}): Promise<WizardRunView[]> {
  const runtime = await getRuntime();
  const records = await getWizardRunStore().list(options);
  const status = records.some(isLive) ? await getClusterStatus() : null;
  const views: WizardRunView[] = [];
  for (const record of records) {
    try {
      const fresh = status
        ? await refresh(record, status, runtime.config.wizardRunTtlMs)
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
  id: string,
  change: { step?: string; action?: RunAction },
  actor: WizardActor,
): Promise<WizardRunView> {
  const result = await withRunLock(id, async () => {
    const store = getWizardRunStore();
    const record = await store.get(id);
    if (!record) throw new WizardRequestError(404, 'not_found', `There is no wizard run ${id}.`);
    const state = readState(record);
    const who = { username: actor.user.username, ip: actor.ip };
    if (change.action === 'cancel') {
      if (record.status === 'stale')
        throw withdrawnError(state.withdrawn?.reason ?? 'the run was withdrawn.');
      if (record.status === 'done' || record.status === 'cancelled')
        throw new WizardRequestError(409, 'conflict', `The run is already ${record.status}.`);
      const next = { ...state, events: [...state.events, event(who.username, 'cancelled', '')] };
      await auditWizard(who, 'wizard-cancelled', `${record.kind} run ${id} (${runSubject(state)})`);
      return store.update(id, { status: 'cancelled', state: next });
    }
    if (change.action === 'ran' || change.action === 'verify') {
      await refuseIfWithdrawn(record, state, (await getRuntime()).config.wizardRunTtlMs);
      if (record.status !== 'open' && record.status !== 'failed')
        throw new WizardRequestError(
          409,
          'conflict',
          `The run is ${record.status}; only an open or failed run can start verifying.`,
        );
      await refuseWhileInFlight(id);
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
  const view = await getRun(result.id);
  if (!view) throw new WizardRequestError(404, 'not_found', `There is no wizard run ${id}.`);
  return view;
}

// ---------------------------------------------------------------------------
// Demo apply: the demo cluster changes the way the real tool would, after its delay.

type Demo = NonNullable<Runtime['demo']>;

function startDemoOperation(demo: Demo, state: WizardRunState): DemoOperation {
  switch (state.kind) {
    case 'remove':
      return demo.removeReplicas(state.replicaIds);
    case 'join':
      return demo.joinReplica({
        node: state.node,
        ...(state.replicaId !== null && { replicaId: state.replicaId }),
        ...(state.httpPort !== null && { httpPort: state.httpPort }),
      });
    case 'repair':
      return demo.emergencyRepair(state.keepReplicaId);
  }
}

/** Records in the run how the demo operation ended, and polls at once so verification sees it. */
function watchDemoOperation(runtime: Runtime, id: string, operation: DemoOperation): void {
  const record = (outcome: { error: string | null }) =>
    withRunLock(id, async () => {
      const store = getWizardRunStore();
      const current = await store.get(id);
      if (!current) return;
      const state = readState(current);
      if (state.demo?.operationId !== operation.id) return;
      const next: WizardRunState = {
        ...state,
        demo: { ...state.demo, error: outcome.error },
        events: [
          ...state.events,
          event(
            'demo',
            outcome.error === null ? 'demo-applied' : 'demo-refused',
            outcome.error ?? `${operation.kind} took effect`,
          ),
        ],
      };
      await store.update(id, { state: next });
    });
  operation.done.then(
    async () => {
      await record({ error: null });
      await runtime.monitor.pollNow().catch(() => undefined);
    },
    (error: unknown) => record({ error: error instanceof Error ? error.message : String(error) }),
  );
}

export async function applyRun(id: string, actor: WizardActor): Promise<WizardRunView> {
  const runtime = await getRuntime();
  const demo = runtime.demo;
  if (!demo)
    throw new WizardRequestError(404, 'not_found', 'Applying a command exists only in demo mode.');
  await withRunLock(id, async () => {
    const store = getWizardRunStore();
    const record = await store.get(id);
    if (!record) throw new WizardRequestError(404, 'not_found', `There is no wizard run ${id}.`);
    const state = readState(record);
    await refuseIfWithdrawn(record, state, runtime.config.wizardRunTtlMs);
    if (record.status !== 'open' && record.status !== 'failed')
      throw new WizardRequestError(
        409,
        'conflict',
        `The run is ${record.status}; only an open or failed run can be applied.`,
      );
    await refuseWhileInFlight(id);
    const again = planRequest(await getClusterStatus(), requestFromState(state), {
      offlineLongMs: runtime.config.offlineLongMs,
      zoneLabel: runtime.config.zoneLabel,
    });
    if (!again.ok) {
      throw new WizardRequestError(
        409,
        'conflict',
        `The cluster changed since the command was generated: ${refusal(again).message}`,
      );
    }
    let operation: DemoOperation;
    try {
      operation = startDemoOperation(demo, state);
    } catch (error) {
      if (!(error instanceof DemoInputError)) throw error;
      const input = error.code === 'INVALID_REQUEST';
      const forced =
        state.kind === 'remove' && state.force
          ? ' (the demo cannot skip its health check as --force would)'
          : '';
      throw new WizardRequestError(
        input ? 422 : 409,
        input ? 'unprocessable' : 'conflict',
        `The demo cluster refused, as the real tool would${forced}: ${error.message}`,
      );
    }
    // The demo picks the new replica's ID as the tool would; knowing it sharpens verification.
    const learned: WizardRunState =
      state.kind === 'join'
        ? { ...state, replicaId: operation.replicaIds[0] ?? state.replicaId }
        : state;
    const next: WizardRunState = {
      ...learned,
      verifyingSince: new Date().toISOString(),
      lastVerification: null,
      demo: { operationId: operation.id, appliesAt: operation.appliesAt, error: null },
      events: [
        ...state.events,
        event(
          actor.user.username,
          'applied',
          `demo ${operation.kind} applies at ${operation.appliesAt}`,
        ),
      ],
    };
    await store.update(id, { status: 'verifying', step: 'verify', state: next });
    await auditWizard(
      { username: actor.user.username, ip: actor.ip },
      'wizard-applied',
      `${record.kind} run ${id}: applied to the demo cluster (${runSubject(next)})`,
    );
    watchDemoOperation(runtime, id, operation);
  });
  const view = await getRun(id);
  if (!view) throw new WizardRequestError(404, 'not_found', `There is no wizard run ${id}.`);
  return view;
}
