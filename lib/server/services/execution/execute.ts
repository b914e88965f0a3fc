// Gated execution (issue 22): the console runs a run's planned step itself, when EXECUTE=on.
// Every gate is checked again at the moment of execution, on a fresh snapshot: the run still
// stands, the typed confirmation matches, this cluster has no other execution (a slot in the
// store, so it holds across consoles), the re-planned command equals the stored one, the person's
// UCP password works and they are a UCP administrator. Nothing retries on its own.
import 'server-only';
import { z } from 'zod';
import { retryAfterHeader } from '@/lib/auth/rate-limit';
import { verifyUcpLogin } from '@/lib/auth/ucp-login';
import {
  busySentence,
  holdSentence,
  checkConfirmation,
  executionNode,
  executionRefusal,
  outcomeSentence,
  tail,
} from '@/lib/domain/execution';
import type { ExecutionLine, ExecutionRecord } from '@/lib/domain/execution/types';
import type { ClusterSnapshot } from '@/lib/domain/types';
import {
  planRequest,
  requestFromState,
  runSubject,
  type WizardRunState,
  type WizardRunView,
} from '@/lib/domain/wizards';
import type { Runtime } from '../../runtime';
import { statusOf } from '../status';
import type { WizardRunRecord } from '../wizard-runs';
import {
  auditWizard,
  event,
  operatorName,
  planOptionsFor,
  readState,
  WizardRequestError,
  withRunLock,
  type WizardActor,
} from '../wizards/shared';
import { getRun } from '../wizards/runs';
import { refuseUnlessReady } from '../wizards/withdraw';
import { ExecutionRefusal, type PrepareInput, type PreparedStep } from './driver';
import { recoverExecutions } from './recovery';
import type { ExecutionContext } from './context';

/** How long an execution's lease lasts without renewal, and how often it is renewed. */
export const LEASE_MS = 30_000;
/** How often a lease (and a bring-back's hold) is renewed while its work goes on. */
export const RENEW_EVERY_MS = 5_000;
/** Lines reach the store (and so every console's stream) in batches this far apart. */
const FLUSH_EVERY_MS = 300;

export const ExecuteRequestSchema = z.strictObject({
  /** The person's own UCP password: checked against UCP, handed to the tool, never stored. */
  password: z
    .string({ error: 'password: your UCP password is needed to run the step' })
    .min(1, 'password: your UCP password is needed to run the step')
    .max(1024, 'password: at most 1024 characters'),
  /** The typed confirmation of a destructive step (the replica ID or IDs). */
  confirm: z.string().max(512).optional(),
});
export type ExecuteRequest = z.infer<typeof ExecuteRequestSchema>;

export function executionOff(): WizardRequestError {
  return new WizardRequestError(
    404,
    'not_found',
    'This console does not run steps itself (EXECUTE is not on): run the printed command in a shell with a UCP client bundle, then say so on the run page.',
  );
}

export function requireExecution(runtime: Runtime): ExecutionContext {
  if (!runtime.execution) throw executionOff();
  return runtime.execution;
}

/** A snapshot taken after `since`: this instance polls now; a standby waits for the poller's. */
export async function freshSnapshot(runtime: Runtime, since: number): Promise<ClusterSnapshot> {
  const polled = await runtime.monitor.pollNow();
  if (Date.parse(polled.generatedAt) >= since) return polled;
  const deadline = Date.now() + 2 * runtime.config.pollIntervalMs + 1000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const latest = runtime.monitor.latest();
    if (latest && Date.parse(latest.generatedAt) >= since) return latest;
  }
  throw new ExecutionRefusal(
    'The console could not read the cluster afresh just now, and runs a step only on a fresh reading. Try again in a moment.',
    503,
  );
}

/** What the run page shows of an execution: the record without the console's own bookkeeping. */
export interface ExecutionView extends Omit<ExecutionRecord, 'leaseUntil'> {
  outcome: string;
}

export function executionView(record: ExecutionRecord): ExecutionView {
  const { leaseUntil: _lease, ...rest } = record;
  return { ...rest, outcome: outcomeSentence(record) };
}

export async function executeRun(
  runtime: Runtime,
  id: string,
  request: ExecuteRequest,
  actor: WizardActor,
): Promise<{ run: WizardRunView; execution: ExecutionView }> {
  const context = requireExecution(runtime);
  const who = { username: actor.user.username, ip: actor.ip };
  const executions = runtime.store.executions;
  const refused = async (
    record: WizardRunRecord | null,
    error: WizardRequestError | ExecutionRefusal,
  ): Promise<never> => {
    await auditWizard(
      runtime.audit,
      who,
      'wizard-execution-refused',
      `${record ? `${record.kind} run ${record.id}` : `run ${id}`}: ${error.message}`,
    );
    if (error instanceof WizardRequestError) throw error;
    const code = {
      409: 'conflict',
      422: 'unprocessable',
      429: 'rate_limited',
      502: 'upstream_error',
      503: 'unavailable',
    } as const;
    throw new WizardRequestError(
      error.status,
      code[error.status],
      error.message,
      error.retryAfterMs === undefined ? {} : retryAfterHeader(error.retryAfterMs),
    );
  };
  if (/[\r\n]/.test(request.password))
    await refused(
      null,
      new ExecutionRefusal(
        'A password with a line break cannot be handed to the bootstrapper; run the printed command yourself.',
        422,
      ),
    );
  // An expired lease of a console that stopped must not hold the slot.
  await recoverExecutions(runtime).catch(() => undefined);

  const started = await withRunLock(runtime.runLocks, id, async () => {
    const record = await runtime.wizardRuns.get(id);
    if (!record) throw new WizardRequestError(404, 'not_found', `There is no wizard run ${id}.`);
    const state = readState(record);
    try {
      await refuseUnlessReady(runtime, record, state, 'be run');
    } catch (error) {
      if (error instanceof WizardRequestError) await refused(record, error);
      throw error;
    }
    const typed = checkConfirmation(state, request.confirm);
    if (typed) await refused(record, new ExecutionRefusal(typed, 422));

    const username = operatorName(runtime, actor) ?? actor.user.username;
    // A password checked here is a sign-in attempt: the same limits, the same counts, so an
    // administrator's session cannot guess another UCP password faster than the login page can.
    const attempt = { ip: actor.ip, username };
    const limit = runtime.auth.loginLimiter.check(attempt);
    if (!limit.allowed)
      await refused(
        record,
        new ExecutionRefusal(
          `The step was not run and the password not checked: ${limit.message.charAt(0).toLowerCase()}${limit.message.slice(1)}`,
          429,
          limit.retryAfterMs,
        ),
      );
    const acquired = await executions.acquire({
      runId: record.id,
      kind: record.kind,
      actor: who.username,
      ip: who.ip,
      instance: context.instance,
      imageRef: '',
      node: null,
      argvPublic: [],
      leaseMs: LEASE_MS,
    });
    if (!acquired.ok)
      return refused(record, new ExecutionRefusal(busySentence(acquired.holder, new Date())));
    const execution = acquired.record;
    // The lease is renewed from now on, preparation included (a fresh poll, a UCP login, a pull
    // may outlast one lease): another console must not take an execution being prepared for dead.
    const lease = keepLease(runtime, context, execution.id);
    const giveBack = async (error: ExecutionRefusal | WizardRequestError): Promise<never> => {
      lease.stop();
      await executions.update(execution.id, {
        status: 'refused',
        refusal: error.message,
        finishedAt: new Date().toISOString(),
      });
      return refused(record, error);
    };
    try {
      // The run as it is now that this console holds the slot: another console may have run it
      // (the run lock holds only within one process).
      const current = await runtime.wizardRuns.get(id);
      if (!current || current.updatedAt !== record.updatedAt || current.status !== record.status)
        return await giveBack(
          new ExecutionRefusal(
            `The run changed while this request waited (it is ${current?.status ?? 'gone'} now): read its page again before running anything.`,
          ),
        );
      // A bring-back starting containers holds the cluster without the slot; it looks at the slot
      // after taking its hold, this looks at the holds after taking the slot: one of two that
      // start at once sees the other.
      const hold = await executions.currentHold();
      if (hold) return await giveBack(new ExecutionRefusal(holdSentence(hold, new Date())));
      const snapshot = await freshSnapshot(runtime, Date.now());
      const status = statusOf(snapshot, runtime);
      const replanned = planRequest(
        status,
        requestFromState(state),
        planOptionsFor(runtime, status, actor, state.ca),
      );
      const node = executionNode(state, status);
      const engineNode = await context.driver.engineNode();
      const gate = executionRefusal({
        state,
        replanned,
        runStatus: record.status,
        withdrawnReason: null,
        engineNode,
        pinnedNode: node,
        viaBundle: context.driver.viaBundle,
        busy: null,
        now: new Date(),
      });
      if (gate) return await giveBack(new ExecutionRefusal(gate));
      const command = replanned.command;
      if (!command)
        return await giveBack(new ExecutionRefusal('The step could not be planned again.'));
      const ucp = runtime.target.ucp;
      if (!ucp)
        return await giveBack(
          new ExecutionRefusal(
            'The bootstrapper logs in to UCP, and this cluster has none configured.',
          ),
        );
      const login = await verifyUcpLogin(username, request.password, {
        url: ucp.url,
        insecureTls: ucp.insecureTls,
        ...(ucp.ca ? { ca: ucp.ca } : {}),
      });
      if (!login.ok && login.reason !== 'invalid')
        console.warn(`DTR HA Console: execution ${execution.id}: ${login.detail}`);
      if (!login.ok && login.reason === 'invalid') runtime.auth.loginLimiter.recordFailure(attempt);
      if (login.ok) runtime.auth.loginLimiter.recordSuccess(attempt);
      if (!login.ok)
        return await giveBack(
          new ExecutionRefusal(
            login.reason === 'invalid'
              ? `UCP refused the password for ${username}, so the step was not run.`
              : 'UCP could not check the password just now, so the step was not run. Try again shortly; the console’s log says what failed.',
            login.reason === 'invalid' ? 422 : login.reason === 'upstream' ? 502 : 503,
          ),
        );
      if (!login.user.isAdmin)
        return await giveBack(
          new ExecutionRefusal(
            `${username} is not a UCP administrator of cluster "${runtime.cluster}", and the bootstrapper needs one.`,
          ),
        );
      const input: PrepareInput = {
        state,
        command,
        node,
        ids: { execution: execution.id, run: record.id, cluster: runtime.cluster },
      };
      const prepared = await context.driver.prepare(input);
      await executions.update(execution.id, {
        node: prepared.node,
        imageRef: prepared.imageRef,
        imageId: prepared.imageId,
        repoDigest: prepared.repoDigest,
        argvPublic: prepared.argvPublic,
      });
      const at = new Date().toISOString();
      const next: WizardRunState = {
        ...state,
        execution: {
          id: execution.id,
          by: who.username,
          at,
          node: prepared.node,
          imageRef: prepared.imageRef,
        },
        events: [
          ...state.events,
          event(
            who.username,
            'executing',
            `${prepared.argvPublic.slice(0, 1).join(' ')} on ${prepared.node ?? 'a node UCP picks'}`,
          ),
        ],
      };
      await runtime.wizardRuns.update(record.id, {
        status: 'executing',
        step: 'verify',
        state: next,
      });
      return { record, state: next, execution, prepared, input, lease };
    } catch (error) {
      if (error instanceof WizardRequestError) throw error; // refused and recorded by giveBack
      if (error instanceof ExecutionRefusal) return giveBack(error);
      lease.stop();
      await executions.update(execution.id, {
        status: 'failed-to-start',
        refusal: error instanceof Error ? error.message : String(error),
        finishedAt: new Date().toISOString(),
      });
      throw error;
    }
  });
  void runStep(runtime, context, started, request.password, who).catch((error: unknown) =>
    console.error(`DTR HA Console: execution ${started.execution.id} ended badly:`, error),
  );
  const run = await getRun(runtime, id);
  const execution = await executions.get(started.execution.id);
  if (!run || !execution)
    throw new WizardRequestError(404, 'not_found', `There is no wizard run ${id}.`);
  return { run, execution: executionView(execution) };
}

interface Started {
  record: WizardRunRecord;
  state: WizardRunState;
  execution: ExecutionRecord;
  prepared: PreparedStep;
  input: PrepareInput;
  lease: Lease;
}

interface Lease {
  stop(): void;
  /** False once a renewal found the execution no longer this console's (or no longer active). */
  held(): boolean;
}

/** Renews an execution's lease every few seconds until stopped; says when it was lost. */
function keepLease(runtime: Runtime, context: ExecutionContext, id: string): Lease {
  let held = true;
  const timer = setInterval(() => {
    void runtime.store.executions
      .renew(id, context.instance, LEASE_MS)
      .then((ok) => {
        if (!ok && held) {
          held = false;
          console.error(
            `DTR HA Console: execution ${id}: its lease is no longer this console's; another console is judging it.`,
          );
        }
      })
      .catch(() => undefined);
  }, RENEW_EVERY_MS);
  return { stop: () => clearInterval(timer), held: () => held };
}

/** Runs the prepared step, streams its lines into the store, and records how it ended. */
async function runStep(
  runtime: Runtime,
  context: ExecutionContext,
  started: Started,
  password: string,
  who: { username: string; ip: string },
): Promise<void> {
  const executions = runtime.store.executions;
  const { execution, record } = started;
  const subject = runSubject(started.state);
  let seq = 0;
  let pending: ExecutionLine[] = [];
  const recent: ExecutionLine[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    if (pending.length === 0) return writing;
    const batch = pending;
    pending = [];
    writing = writing
      .then(() => executions.appendLines(execution.id, batch))
      .catch((error: unknown) =>
        console.error(`DTR HA Console: could not store execution ${execution.id}'s log:`, error),
      );
    return writing;
  };
  const flusher = setInterval(() => void flush(), FLUSH_EVERY_MS);
  let ran = false;
  let result: { exitCode: number; learnedReplicaId?: string } | null = null;
  let failure: string | null = null;
  try {
    // Last look before a container exists: the slot must still be this console's.
    if (
      !started.lease.held() ||
      !(await executions.renew(execution.id, context.instance, LEASE_MS))
    )
      throw new Error(
        'the console lost its hold on the execution slot while preparing; nothing was started',
      );
    result = await context.driver.run(started.prepared, started.input, password, {
      created: async (containerId) => {
        await executions.update(execution.id, { containerId });
      },
      started: async () => {
        ran = true;
        await executions.update(execution.id, {
          status: 'running',
          startedAt: new Date().toISOString(),
        });
        await auditWizard(
          runtime.audit,
          who,
          'wizard-execution-started',
          `${record.kind} run ${record.id} (${subject}): execution ${execution.id} started on ${started.prepared.node ?? 'a node UCP picks'} with ${imageWords(started.prepared)}`,
        );
      },
      lines: (parts) => {
        const at = new Date().toISOString();
        for (const part of parts) {
          const line: ExecutionLine = { ...part, seq: ++seq, at };
          pending.push(line);
          recent.push(line);
          if (recent.length > 60) recent.shift();
        }
      },
    });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  } finally {
    clearInterval(flusher);
    started.lease.stop();
    await flush();
  }
  const finishedAt = new Date().toISOString();
  const logTail = tail(recent);
  const ended = await executions.update(
    execution.id,
    result
      ? { status: 'exited', exitCode: result.exitCode, finishedAt, logTail }
      : ran
        ? {
            // Started, then lost (the wait or the stream was cut): the container may still run.
            // Orphaned keeps the slot, with the lease over, so recovery looks for the container
            // and records how it ended before anything else may run.
            status: 'orphaned',
            refusal: failure,
            leaseUntil: finishedAt,
            logTail,
          }
        : { status: 'failed-to-start', refusal: failure, finishedAt, logTail },
  );
  const sentence = ended ? outcomeSentence(ended) : (failure ?? 'ended');
  await withRunLock(runtime.runLocks, record.id, async () => {
    const current = await runtime.wizardRuns.get(record.id);
    if (!current || current.status !== 'executing') return;
    const state = readState(current);
    if (state.execution?.id !== execution.id) return;
    const events = [
      ...state.events,
      event('console', result?.exitCode === 0 ? 'executed' : 'execution-failed', sentence),
    ];
    if (result?.exitCode === 0) {
      const learned =
        state.kind === 'join' && result.learnedReplicaId
          ? { replicaId: state.replicaId ?? result.learnedReplicaId }
          : {};
      await runtime.wizardRuns.update(record.id, {
        status: 'verifying',
        step: 'verify',
        state: { ...state, ...learned, verifyingSince: finishedAt, lastVerification: null, events },
      });
      return;
    }
    await runtime.wizardRuns.update(record.id, {
      status: ran && !result ? 'unknown' : 'failed',
      state: {
        ...state,
        events,
        lastVerification: {
          state: 'failed',
          message: sentence,
          checks: [],
          nextSteps: [
            ran && !result
              ? 'The console lost the step while it ran: check the cluster, then verify.'
              : 'Read the log above for the tool’s reason, fix what it names, then plan the change again: a run executes once.',
          ],
          at: finishedAt,
        },
      },
    });
  });
  await auditWizard(
    runtime.audit,
    who,
    result?.exitCode === 0 ? 'wizard-executed' : 'wizard-execution-failed',
    `${record.kind} run ${record.id} (${subject}): execution ${execution.id}, ${sentence}; ${imageWords(started.prepared)}; container ${ended?.containerId ?? 'none'}${logTail ? `; last lines: ${lastLines(recent)}` : ''}`,
  );
  await runtime.monitor.pollNow().catch(() => undefined);
}

function imageWords(prepared: PreparedStep): string {
  return `${prepared.imageRef} (${prepared.imageId ?? 'no image ID'}, ${prepared.repoDigest ?? 'no digest'})`;
}

/** The last few lines for the audit entry: at most 5, at most 600 characters. */
function lastLines(lines: ExecutionLine[]): string {
  const text = lines
    .slice(-5)
    .map((line) => line.text)
    .join(' | ');
  return text.length > 600 ? `…${text.slice(-599)}` : text;
}
