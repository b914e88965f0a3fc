// Where the bootstrapper runs (docs/design-gated-execution.md §1, "Node per step"): join on the
// node the new replica goes to, remove on the node of the replica it runs through, emergency
// repair on the node of the replica it keeps. The tool itself reaches everything through UCP;
// the pin makes a run deterministic and lets people check it ran where it said it would.
import type { ClusterSnapshot } from '../types';
import type { WizardRunState } from '../wizards/run';

/** The node a run's step should run on, or null when the console cannot tell. */
export function executionNode(state: WizardRunState, snapshot: ClusterSnapshot): string | null {
  const node =
    state.kind === 'join'
      ? state.node
      : snapshot.dtr.replicas.find(
          (replica) =>
            replica.id ===
            (state.kind === 'repair' ? state.keepReplicaId : state.existingReplicaId),
        )?.node;
  return node === undefined || node.trim() === '' ? null : node;
}

/** Why a step runs on its node, in words: "the node of replica a1b2c3d4e5f6, which it runs through". */
export function nodeReason(state: WizardRunState): string {
  switch (state.kind) {
    case 'join':
      return 'the node the new replica joins on';
    case 'remove':
      return `the node of replica ${state.existingReplicaId}, which the removal runs through`;
    case 'repair':
      return `the node of replica ${state.keepReplicaId}, the one the repair keeps`;
  }
}
