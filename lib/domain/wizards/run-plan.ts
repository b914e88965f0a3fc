// From a validated request to a plan and the state a run keeps, and back: the server re-plans a
// stored run before the demo applies it, and verifies it against the live status.
import type { DtrCommand } from '../commands';
import type { ClusterSnapshot } from '../types';
import { blocks, DEFAULT_CA, type Gate, type PlanOptions, type WizardKind } from './gates';
import type { Impact } from './impact';
import { planJoin } from './join';
import { planRemove } from './remove';
import { planRepair } from './repair';
import type { CreateRunRequest, WizardRunState } from './run';
import {
  DEFAULT_VERIFY_TIMEOUT_MS,
  verifyJoin,
  verifyRemove,
  verifyRepair,
  type Verification,
} from './verify';

/** Blocks that mean the request names something that does not exist or cannot be used (422, not 409). */
export const INPUT_GATES: ReadonlySet<string> = new Set([
  'unknown-replica',
  'unknown-node',
  'existing-unknown',
  'existing-leaving',
  'keep-unknown',
  'replica-id-taken',
  'also-remove-healthy',
  'force-unsupported',
  'invalid-input',
]);

export interface RequestPlan {
  kind: WizardKind;
  ok: boolean;
  gates: Gate[];
  command?: DtrCommand;
  /** The run's state when the plan is ok (events and verification still empty). */
  state?: WizardRunState;
}

function fresh(command: DtrCommand, gates: Gate[], impact: Impact, acknowledge: readonly string[]) {
  return {
    command: command.text,
    needsVersion: command.needsVersion,
    // Blocks are gone when the plan is ok; what is left is worth keeping with the run.
    gates: gates.filter((gate) => gate.severity === 'warn'),
    acknowledge: [...acknowledge],
    impact,
    verifyingSince: null,
    timeoutMs: DEFAULT_VERIFY_TIMEOUT_MS,
    lastVerification: null,
    demo: null,
    events: [],
  };
}

export function planRequest(
  status: ClusterSnapshot,
  request: CreateRunRequest,
  options: PlanOptions,
): RequestPlan {
  const acknowledge = request.acknowledge ?? [];
  switch (request.kind) {
    case 'remove': {
      const plan = planRemove(status, request, options);
      const { command, impact, existingReplicaId } = plan;
      return {
        kind: 'remove',
        ok: plan.ok,
        gates: plan.gates,
        ...(command && { command }),
        ...(plan.ok &&
          command &&
          impact &&
          existingReplicaId && {
            state: {
              kind: 'remove',
              ...fresh(command, plan.gates, impact, acknowledge),
              existingReplicaId,
              replicaIds: plan.replicaIds,
              force: plan.force,
              ...(request.ca && { ca: request.ca }),
            },
          }),
      };
    }
    case 'join': {
      const plan = planJoin(status, request, options);
      const { command, target, existingReplicaId } = plan;
      return {
        kind: 'join',
        ok: plan.ok,
        gates: plan.gates,
        ...(command && { command }),
        ...(plan.ok &&
          command &&
          target &&
          existingReplicaId && {
            state: {
              kind: 'join',
              ...fresh(command, plan.gates, plan.impact, acknowledge),
              existingReplicaId,
              node: target.hostname,
              replicaId: request.replicaId ?? null,
              // The ports the command sets (the replicas' shared pair by default), so the demo
              // applies and a re-plan builds the same command.
              httpPort: plan.ports.httpPort ?? null,
              httpsPort: plan.ports.httpsPort ?? null,
              ca: request.ca ?? DEFAULT_CA,
            },
          }),
      };
    }
    case 'repair': {
      const plan = planRepair(status, request, options);
      const { command, keepReplicaId } = plan;
      return {
        kind: 'repair',
        ok: plan.ok,
        gates: plan.gates,
        ...(command && { command }),
        ...(plan.ok &&
          command &&
          keepReplicaId && {
            state: {
              kind: 'repair',
              ...fresh(command, plan.gates, plan.impact, acknowledge),
              existingReplicaId: keepReplicaId,
              keepReplicaId,
              prune: request.prune === true,
              fallbacks: plan.candidates.map((c) => c.id).filter((id) => id !== keepReplicaId),
              ...(request.ca && { ca: request.ca }),
            },
          }),
      };
    }
  }
}

/** The request a stored run was made from, to judge it again against today's cluster. */
export function requestFromState(state: WizardRunState): CreateRunRequest {
  switch (state.kind) {
    case 'remove': {
      const [replicaId = '', ...alsoRemove] = state.replicaIds;
      return {
        kind: 'remove',
        replicaId,
        alsoRemove,
        existingReplicaId: state.existingReplicaId,
        force: state.force,
        acknowledge: state.acknowledge,
        ...(state.ca && { ca: state.ca }),
      };
    }
    case 'join':
      return {
        kind: 'join',
        node: state.node,
        existingReplicaId: state.existingReplicaId,
        ...(state.replicaId !== null && { replicaId: state.replicaId }),
        ...(state.httpPort !== null && { httpPort: state.httpPort }),
        ...(state.httpsPort !== null && { httpsPort: state.httpsPort }),
        ca: state.ca,
        acknowledge: state.acknowledge,
      };
    case 'repair':
      return {
        kind: 'repair',
        keepReplicaId: state.keepReplicaId,
        prune: state.prune,
        acknowledge: state.acknowledge,
        ...(state.ca && { ca: state.ca }),
      };
  }
}

/** The blocking reasons of a plan, one sentence each. */
export function refusal(plan: Pick<RequestPlan, 'gates'>): { input: boolean; message: string } {
  const refused = blocks(plan.gates);
  return {
    input: refused.some((gate) => INPUT_GATES.has(gate.id)),
    message: refused.map((gate) => gate.message).join(' '),
  };
}

/** The verification of a run that is being verified, from the live status. */
export function verifyRun(
  status: ClusterSnapshot,
  state: WizardRunState,
  now: number,
): Verification {
  if (state.demo?.error) {
    return {
      state: 'failed',
      message: `The demo cluster did not apply the change: ${state.demo.error}`,
      checks: [],
      nextSteps: [
        'The demo refuses what the real tool would refuse. Fix what it names, then generate the command again.',
      ],
    };
  }
  const timing = {
    verifyingSince: state.verifyingSince ?? new Date(now).toISOString(),
    timeoutMs: state.timeoutMs,
  };
  switch (state.kind) {
    case 'remove':
      return verifyRemove(status, { ...timing, replicaIds: state.replicaIds }, now);
    case 'join':
      return verifyJoin(status, { ...timing, node: state.node, replicaId: state.replicaId }, now);
    case 'repair':
      return verifyRepair(
        status,
        { ...timing, keepReplicaId: state.keepReplicaId, fallbacks: state.fallbacks },
        now,
      );
  }
}
