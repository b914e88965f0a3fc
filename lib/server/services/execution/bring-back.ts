// Bring-back from the console (EXECUTE=on): start a down replica's stopped dtr-* containers on its
// node, through the same Docker API as the wizard steps. Judged on a fresh snapshot; refused while
// a change is in flight or the cluster's one execution slot is held; audited either way.
import 'server-only';
import { planBringBack } from '@/lib/domain/execution';
import type { Runtime } from '../../runtime';
import { getClusterStatus } from '../status';
import { auditWizard, WizardRequestError, type WizardActor } from '../wizards/shared';
import { refuseWhileInFlight } from '../wizards/withdraw';
import { ExecutionRefusal } from './driver';
import { freshSnapshot, requireExecution } from './execute';

export interface BringBackOutcome {
  replicaId: string;
  node: string;
  /** The containers started now (those already running are not listed). */
  started: string[];
}

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
  const busy = await runtime.store.executions.active();
  if (busy)
    await refuse(
      409,
      `A ${busy.kind} step started by ${busy.actor} holds the cluster’s execution slot; start the containers once it has ended.`,
    );
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
