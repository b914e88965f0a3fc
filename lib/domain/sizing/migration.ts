// The order of membership changes from the running cluster to a plan: restore quorum first,
// remove broken members before joining, one member at a time, never resting on an even count.
import { failuresTolerated, majority } from '../quorum';
import type { LiveSummary } from './live';
import type { SizingPlan } from './types';

export type StepAction =
  'repair' | 'remove' | 'join' | 'demote' | 'promote' | 'add-nodes' | 'retire-nodes' | 'label';

export interface MigrationStep {
  action: StepAction;
  title: string;
  detail: string;
  /** Console route that walks through the step. */
  href?: string;
}

const s = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "Then 3 replicas, surviving 1 failure.", with a nudge when the count is even and only a waypoint. */
function after(count: number, target: number, many: string): string {
  const result = `Then ${count} ${many}, surviving ${s(failuresTolerated(count), 'failure')}.`;
  if (count % 2 === 0 && count !== target) {
    return `${result} ${count} tolerate no more failures than ${count - 1}: go on to the next step as soon as this one is healthy.`;
  }
  return result;
}

export function managerSteps(plan: SizingPlan, live: LiveSummary): MigrationStep[] {
  const steps: MigrationStep[] = [];
  const target = plan.ucp.members;
  let current = live.managers;
  if (live.ucpQuorum === 'unknown') {
    steps.push({
      action: 'repair',
      title: 'First find out the state of the managers the console cannot judge',
      detail:
        'The console cannot read Swarm Raft’s view of every manager, so it plans no manager change. Check docker node ls through a UCP client bundle.',
    });
    return steps;
  }
  const ucpLost =
    live.ucpQuorum !== null
      ? live.ucpQuorum === 'lost'
      : live.reachableManagers < majority(live.managers);
  if (live.managers > 0 && ucpLost) {
    steps.push({
      action: 'repair',
      title: 'Restore the UCP manager quorum first',
      detail: `Only ${live.reachableManagers} of ${live.managers} managers are reachable, below the majority of ${majority(live.managers)}. On a surviving manager run docker swarm init --force-new-cluster, then rebuild the managers as below.`,
    });
    current = Math.max(1, live.reachableManagers);
  } else {
    for (const hostname of live.unreachableManagers) {
      current -= 1;
      steps.push({
        action: 'demote',
        title: `Remove the unreachable manager ${hostname}`,
        detail: `docker node demote ${hostname}, then docker node rm ${hostname}: a manager that is down still counts in the majority. ${after(current, target, 'managers')}`,
      });
    }
  }
  while (current > target) {
    current -= 1;
    steps.push({
      action: 'demote',
      title: 'Demote one manager to a worker',
      detail: `docker node demote <node>; wait until the others are reachable. ${after(current, target, 'managers')}`,
    });
  }
  while (current < target) {
    current += 1;
    steps.push({
      action: 'promote',
      title: `Add manager ${current} of ${target}`,
      detail: `Join a new manager node (or docker node promote a spare worker) and wait until it is reachable. ${after(current, target, 'managers')}`,
    });
  }
  return steps;
}

export function replicaSteps(plan: SizingPlan, live: LiveSummary): MigrationStep[] {
  const steps: MigrationStep[] = [];
  const target = plan.dtr.members;
  const join = (current: number, where: string): MigrationStep => ({
    action: 'join',
    title: `Join a replica ${where} (${current} of ${target})`,
    detail: `One at a time: pick a UCP worker with no replica, run the join, wait until the new replica is healthy. ${after(current, target, 'replicas')}`,
    href: '/replicas/join',
  });
  const remove = (
    id: string | null,
    node: string | null,
    current: number,
    why: string,
  ): MigrationStep => ({
    action: 'remove',
    title: id ? `Remove replica ${id}${node ? ` on ${node}` : ''}` : 'Remove one healthy replica',
    detail: `${why} ${after(current, target, 'replicas')}`,
    href: id ? `/replicas/remove?replica=${encodeURIComponent(id)}` : '/replicas/remove',
  });

  if (live.unknownReplicas.length > 0 || live.dtrQuorum === 'unknown') {
    const who = live.unknownReplicas.map((r) => `${r.id} on ${r.node}`).join(', ');
    steps.push({
      action: 'repair',
      title: 'First find out the state of the replicas the console cannot judge',
      detail: `The console cannot tell whether ${who || 'every replica'} ${live.unknownReplicas.length === 1 ? 'is' : 'are'} up, so it plans no membership change: a removal or repair planned on that guess could cost data. The overview and the replica cards say which evidence is missing.`,
      href: '/replicas',
    });
    return steps;
  }
  let current: number;
  const lost =
    live.dtrQuorum !== null
      ? live.dtrQuorum === 'lost'
      : live.replicas > 0 && live.healthyReplicas < majority(live.replicas);
  if (live.replicas > 0 && lost) {
    steps.push({
      action: 'repair',
      title: 'Restore DTR quorum first: emergency repair',
      detail:
        `${live.healthyReplicas} of ${live.replicas} replicas are healthy, below the majority of ${majority(live.replicas)}: DTR is down. Run emergency-repair on the healthiest replica; it becomes a 1-replica cluster. ${live.healthyReplicas === 0 ? 'If none can be repaired, restore from backup.' : ''}`.trim(),
      href: '/replicas/repair',
    });
    current = 1;
  } else {
    current = live.replicas;
    for (const replica of live.unhealthyReplicas) {
      current -= 1;
      steps.push(
        remove(
          replica.id,
          replica.node,
          current,
          `It is ${replica.status} and still counts in the majority: remove broken replicas before joining new ones.`,
        ),
      );
    }
  }

  const onManagers =
    plan.input.dtrOnManagers || steps.some((step) => step.action === 'repair')
      ? []
      : live.replicasOnManagers.filter((r) => !live.unhealthyReplicas.some((u) => u.id === r.id));
  const movable = [...onManagers];
  while (current > target) {
    current -= 1;
    const off = movable.shift();
    steps.push(
      off
        ? remove(off.id, off.node, current, 'Shrinking: start with replicas on manager nodes.')
        : remove(
            null,
            null,
            current,
            'Shrinking: removals come first, one at a time, while the others are healthy.',
          ),
    );
  }
  while (current < target) {
    current += 1;
    steps.push(join(current, 'on a worker'));
  }
  for (const replica of movable) {
    steps.push(join(current + 1, `on a worker to replace ${replica.id}`));
    steps.push(
      remove(
        replica.id,
        replica.node,
        current,
        'DTR belongs on workers: once its replacement is healthy, remove the replica on the manager.',
      ),
    );
  }
  return steps;
}

export function nodeSteps(
  label: string,
  planned: number,
  running: number,
  add: string,
  retire: string,
  addVerb = 'Add',
): MigrationStep[] {
  if (planned > running) {
    return [
      { action: 'add-nodes', title: `${addVerb} ${s(planned - running, label)}`, detail: add },
    ];
  }
  if (planned < running) {
    return [
      { action: 'retire-nodes', title: `Retire ${s(running - planned, label)}`, detail: retire },
    ];
  }
  return [];
}

/** Nodes are added after broken replicas are removed (and quorum restored), just before the joins. */
export function insertBeforeFirstJoin(
  steps: MigrationStep[],
  inserted: MigrationStep[],
): MigrationStep[] {
  const at = steps.findIndex((step) => step.action === 'join');
  return at < 0
    ? [...steps, ...inserted]
    : [...steps.slice(0, at), ...inserted, ...steps.slice(at)];
}
