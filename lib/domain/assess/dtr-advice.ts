// What to do about failed DTR replicas, given the state of the quorum: the advice ladder
// (lib/domain/advice), least destructive first, its recommended rung as the warning's next step.
import {
  downLadder,
  fromLadder,
  quorumLossLadder,
  repairCandidates,
  uncertainLadder,
} from '../advice/ladder';
import type { ReplicaState, Warning } from '../types';
import { isDown, type AssessContext } from './context';

export { repairCandidates };

type Advice = Pick<Warning, 'nextStep' | 'command' | 'href' | 'ladder'>;

/** The replicas judged down (unhealthy, unreachable, ghost), or just `target` when given. */
export function failedAdvice(ctx: AssessContext, target?: ReplicaState): Advice {
  const down = ctx.snapshot.dtr.replicas.filter((r) => isDown(r) || r.id === target?.id);
  if (down.length === 0) {
    return {
      nextStep:
        'Find out why the replicas with an unknown state are not reporting before changing membership.',
      href: '/replicas',
    };
  }
  return fromLadder(downLadder(ctx, target ? [target] : down));
}

/** After quorum loss: bring a replica back first; emergency repair only once none can be. */
export function quorumLossAdvice(ctx: AssessContext): Advice {
  return fromLadder(quorumLossLadder(ctx));
}

/** Advice for one failed replica, by the state of the quorum it belongs to. */
export function adviceForFailedReplica(ctx: AssessContext, replica: ReplicaState): Advice {
  const status = ctx.snapshot.dtr.quorum.status;
  if (status === 'unknown') return fromLadder(uncertainLadder(ctx));
  if (status !== 'lost') return failedAdvice(ctx, replica);
  if (ctx.snapshot.dtr.replicas.length === 1) return quorumLossAdvice(ctx);
  return {
    nextStep:
      'Quorum is lost, so `remove` cannot run: it needs a healthy majority. Follow the steps of the "DTR has lost quorum" card: bring back any stopped replica first.',
    href: '/replicas/repair',
  };
}
