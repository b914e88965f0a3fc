// The typed confirmation a destructive step needs before the console runs it: remove → the ID(s)
// of the replica(s) it removes, emergency repair → the ID of the replica it keeps (it replaces the
// tool's own "are you sure" prompt, which the console answers with --yes), join → nothing.
import { listOf } from '../assess/format';
import type { WizardRunState } from '../wizards/run';

export interface Confirmation {
  required: boolean;
  /** What must be typed; empty when nothing is required. */
  expected: string;
  /** The instruction shown at the field. */
  prompt: string;
}

export function confirmationFor(state: WizardRunState): Confirmation {
  switch (state.kind) {
    case 'join':
      return { required: false, expected: '', prompt: '' };
    case 'remove': {
      const ids = state.replicaIds;
      return {
        required: true,
        expected: ids.join(','),
        prompt:
          ids.length === 1
            ? `Type the ID of the replica to remove (${ids[0]}) to confirm. It leaves the cluster for good.`
            : `Type the IDs of the replicas to remove, separated by commas (${ids.join(',')}), to confirm. They leave the cluster for good.`,
      };
    }
    case 'repair':
      return {
        required: true,
        expected: state.keepReplicaId,
        prompt: `Type the ID of the replica to keep (${state.keepReplicaId}) to confirm. Every other replica is dropped from the cluster.`,
      };
  }
}

/**
 * null when `typed` confirms the step, else the sentence to show. Surrounding spaces (and spaces
 * around commas) are ignored; the IDs are compared exactly (lower-case hex); several IDs may come
 * in any order, each once.
 */
export function checkConfirmation(state: WizardRunState, typed: string | undefined): string | null {
  const wanted = confirmationFor(state);
  if (!wanted.required) return null;
  const text = (typed ?? '').trim();
  if (text === '') {
    return `Type ${state.kind === 'remove' && state.replicaIds.length > 1 ? 'the replica IDs' : 'the replica ID'} ${wanted.expected} to confirm; nothing was run.`;
  }
  const given = text.split(',').map((part) => part.trim());
  const expected = wanted.expected.split(',');
  const same =
    given.length === expected.length &&
    new Set(given).size === given.length &&
    given.every((id) => expected.includes(id));
  if (same) return null;
  const caseOnly =
    given.length === expected.length && given.every((id) => expected.includes(id.toLowerCase()));
  const what =
    state.kind === 'remove'
      ? `the ${expected.length === 1 ? 'ID of the replica' : 'IDs of the replicas'} to remove (${listOf(expected)})`
      : `the ID of the replica to keep (${wanted.expected})`;
  return `The confirmation does not match ${what}${caseOnly ? ': replica IDs are lower-case' : ''}; nothing was run.`;
}
