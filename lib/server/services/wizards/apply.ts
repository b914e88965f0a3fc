// Wizard runs on the server — applying a run to the demo cluster, which changes the way the real
// tool would, after its delay.
import 'server-only';
import { DemoInputError, type DemoOperation } from '@/lib/demo';
import {
  planRequest,
  refusal,
  requestFromState,
  runSubject,
  type WizardRunState,
  type WizardRunView,
} from '@/lib/domain/wizards';
import type { Runtime } from '../../runtime';
import { getClusterStatus } from '../status';
import { refuseUnlessReady } from './withdraw';
import { getRun } from './runs';
import {
  type WizardActor,
  WizardRequestError,
  auditWizard,
  withRunLock,
  readState,
  event,
} from './shared';

// ---------------------------------------------------------------------------
// Demo apply: the demo cluster changes the way the real tool would, after its delay.

export type Demo = NonNullable<Runtime['demo']>;

export function startDemoOperation(demo: Demo, state: WizardRunState): DemoOperation {
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
export function watchDemoOperation(runtime: Runtime, id: string, operation: DemoOperation): void {
  const record = (outcome: { error: string | null }) =>
    withRunLock(runtime.runLocks, id, async () => {
      const store = runtime.wizardRuns;
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

export async function applyRun(
  runtime: Runtime,
  id: string,
  actor: WizardActor,
): Promise<WizardRunView> {
  const demo = runtime.demo;
  if (!demo)
    throw new WizardRequestError(404, 'not_found', 'Applying a command exists only in demo mode.');
  await withRunLock(runtime.runLocks, id, async () => {
    const store = runtime.wizardRuns;
    const record = await store.get(id);
    if (!record) throw new WizardRequestError(404, 'not_found', `There is no wizard run ${id}.`);
    const state = readState(record);
    await refuseUnlessReady(runtime, record, state, 'be applied');
    const again = planRequest(await getClusterStatus(runtime), requestFromState(state), {
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
      runtime.audit,
      { username: actor.user.username, ip: actor.ip },
      'wizard-applied',
      `${record.kind} run ${id}: applied to the demo cluster (${runSubject(next)})`,
    );
    watchDemoOperation(runtime, id, operation);
  });
  const view = await getRun(runtime, id);
  if (!view) throw new WizardRequestError(404, 'not_found', `There is no wizard run ${id}.`);
  return view;
}
