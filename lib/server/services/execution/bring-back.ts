// Bring-back from the console (EXECUTE=on): start a down replica's stopped dtr-* containers on its
// node, through the same Docker API as the wizard steps. Judged on a fresh snapshot; refused while
// a change is in flight or the cluster's one execution slot is held; audited either way. While it
// works it holds the cluster (migration 0010), so no execution starts meanwhile: it takes its hold,
// then looks at the slot; an execution takes the slot, then looks at the holds.
import 'server-only';
import { busySentence, holdSentence, planBringBack } from '@/lib/domain/execution';
import type { Runtime } from '../../runtime';
import { getClusterStatus } from '../status';
import { auditWizard, WizardRequestError, type WizardActor } from '../wizards/shared';
import { refuseWhileInFlight } from '../wizards/withdraw';
import { ExecutionRefusal } from './driver';
import { freshSnapshot, LEASE_MS, RENEW_EVERY_MS, requireExecution } from './execute';

export interface BringBackOutcome {
  replicaId: string;
  node: string;
  /** The containers started now (those already running are not listed). */
  started: string[];
}

/**
 * A bring-back's hold lasts this long past its last renewal (every RENEW_EVERY_MS while it works,
 * as an execution's lease): it gives the hold back as soon as it ends, so this only matters when
 * its console stops first.
 */
const HOLD_MS = LEASE_MS;

export async function bringBackReplica(
  runtime: Runtime,
  replicaId: string,
  actor: WizardActor,
): Promise<BringBackOutcome> {
  const context = requireExecution(runtime);
  const who = { username: actor.user.username, ip: actor.ip };
  const refuse = async (status: 409 | 422, message: string): Promise<never> => {
    await auditWizard(
      runtime.audit,
      who,
      'wizard-execution-refused',
      `bring back replica ${replicaId}: ${message}`,
    );
    throw new WizardRequestError(status, status === 409 ? 'conflict' : 'unprocessable', message);
  };
  try {
    await refuseWhileInFlight(runtime);
  } catch (error) {
    if (error instanceof WizardRequestError) await refuse(409, error.message);
    throw error;
  }
  const executions = runtime.store.executions;
  const held = await executions.takeHold({
    kind: 'bring-back',
    actor: who.username,
    instance: context.instance,
    subject: `bringing back replica ${replicaId}`,
    ttlMs: HOLD_MS,
  });
  if (!held.ok) return refuse(409, holdSentence(held.holder, new Date()));
  const renewal = setInterval(() => {
    void executions.renewHold(held.hold.id, HOLD_MS).catch(() => undefined);
  }, RENEW_EVERY_MS);
  try {
    const busy = await executions.active();
    if (busy)
      await refuse(
        409,
        `${busySentence(busy, new Date())} Start the containers once it has ended.`,
      );
    return await bringBack(runtime, context, replicaId, who, refuse);
  } finally {
    clearInterval(renewal);
    await executions.releaseHold(held.hold.id).catch(() => undefined);
  }
}

async function bringBack(
  runtime: Runtime,
  context: ReturnType<typeof requireExecution>,
  replicaId: string,
  who: { username: string; ip: string },
  refuse: (status: 409 | 422, message: string) => Promise<never>,
): Promise<BringBackOutcome> {
  let plan;
  try {
    await freshSnapshot(runtime, Date.now());
    const judged = planBringBack(await getClusterStatus(runtime), replicaId);
    if (!judged.ok)
      return await refuse(judged.reason.startsWith('A replica ID') ? 422 : 409, judged.reason);
    plan = judged.plan;
  } catch (error) {
    if (error instanceof ExecutionRefusal) return refuse(409, error.message);
    throw error;
  }
  let started: string[];
  try {
    started = await context.driver.startContainers(plan.replicaId, plan.node, plan.containers);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ExecutionRefusal) return refuse(409, message);
    await auditWizard(
      runtime.audit,
      who,
      'wizard-execution-failed',
      `bring back replica ${replicaId} on ${plan.node}: ${message}`,
    );
    throw new WizardRequestError(
      409,
      'conflict',
      `The containers could not be started: ${message}`,
    );
  }
  await auditWizard(
    runtime.audit,
    who,
    'wizard-container-started',
    `replica ${replicaId} on ${plan.node}: started ${started.length > 0 ? started.join(', ') : 'nothing (all were running)'} through ${context.driver.where}`,
  );
  await runtime.monitor.pollNow().catch(() => undefined);
  return { replicaId, node: plan.node, started };
}
