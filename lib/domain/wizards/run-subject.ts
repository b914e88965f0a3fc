// A run in one line, apart from run.ts: pages show it in the browser, and run.ts carries the zod
// schemas that the browser must not download for a sentence.
import type { WizardRunState } from './run';

/** One line for lists: "remove 0123456789ab", "join on app-node-1", "repair keeping ...". */
export function runSubject(state: WizardRunState): string {
  switch (state.kind) {
    case 'remove':
      return `Remove ${state.replicaIds.join(', ')}`;
    case 'join':
      return `Join ${state.replicaId ? `${state.replicaId} ` : 'a replica '}on ${state.node}`;
    case 'repair':
      return `Emergency repair keeping ${state.keepReplicaId}`;
  }
}
