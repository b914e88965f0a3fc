// Plan vs the running cluster: side by side, and the steps from one to the other (migration.ts).
import { failuresTolerated } from '../quorum';
import type { LiveSummary } from './live';
import {
  insertBeforeFirstJoin,
  managerSteps,
  nodeSteps,
  replicaSteps,
  type MigrationStep,
} from './migration';
import type { SizingPlan } from './types';

const s = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface CompareRow {
  key: string;
  label: string;
  planned: string;
  running: string;
  matches: boolean;
  note?: string;
}

export interface LiveComparison {
  rows: CompareRow[];
  steps: MigrationStep[];
  matches: boolean;
}

function row(
  key: string,
  label: string,
  planned: number | string,
  running: number | string,
  note?: string,
): CompareRow {
  return {
    key,
    label,
    planned: String(planned),
    running: String(running),
    matches: String(planned) === String(running),
    ...(note !== undefined && { note }),
  };
}

export function compareWithLive(plan: SizingPlan, live: LiveSummary): LiveComparison {
  const zonesRunning = live.zones.length === 0 ? 'not labelled' : String(live.zones.length);
  const rows: CompareRow[] = [
    row(
      'dtr-replicas',
      'DTR replicas',
      plan.dtr.members,
      live.replicas,
      `${live.healthyReplicas} healthy`,
    ),
    row(
      'dtr-tolerated',
      'DTR failures tolerated',
      plan.dtr.failuresTolerated,
      failuresTolerated(live.replicas),
    ),
    row(
      'ucp-managers',
      'UCP managers',
      plan.ucp.members,
      live.managers,
      `${live.reachableManagers} reachable`,
    ),
    row(
      'ucp-tolerated',
      'UCP failures tolerated',
      plan.ucp.failuresTolerated,
      failuresTolerated(live.managers),
    ),
    row('cache-nodes', 'Cache nodes', plan.caches.nodes, live.cacheNodes),
    row('app-workers', 'Application workers', plan.workers.nodes, live.appWorkers),
    row('total-nodes', 'Total nodes', plan.total.nodes, live.totalNodes),
    row(
      'dtr-on-managers',
      'DTR replicas on managers',
      plan.input.dtrOnManagers ? 'allowed' : 0,
      live.replicasOnManagers.length,
    ),
    row('zones', 'Failure zones', plan.zones.zones, zonesRunning),
  ];
  if (plan.input.dtrOnManagers) {
    const r = rows.find((x) => x.key === 'dtr-on-managers');
    if (r) r.matches = true;
  }

  const dtrSteps = replicaSteps(plan, live);
  // New replicas and caches go on workers with nothing on them: spare application workers first
  // (a removed replica leaves its node behind as one), new nodes for the rest.
  const joins = dtrSteps.filter((step) => step.action === 'join').length;
  const cacheAdds = Math.max(0, plan.caches.nodes - live.cacheNodes);
  const spare = Math.max(0, live.appWorkers - plan.workers.nodes);
  const fromSpare = Math.min(spare, joins + cacheAdds);
  const newWorkers = joins + cacheAdds - fromSpare;
  const workerSteps: MigrationStep[] =
    newWorkers > 0
      ? [
          {
            action: 'add-nodes',
            title: `Add ${s(newWorkers, 'worker node')} for ${[joins > 0 && 'DTR', cacheAdds > 0 && 'caches'].filter(Boolean).join(' and ')}`,
            detail: `Join ${newWorkers === 1 ? 'it' : 'them'} to UCP as ${newWorkers === 1 ? 'a worker' : 'workers'} first (fixed hostnames): a replica or cache needs a worker with nothing else on it.${fromSpare > 0 ? ` ${s(fromSpare, 'spare application worker')} can be used as well.` : ''}`,
          },
        ]
      : [];
  const steps: MigrationStep[] = [
    ...managerSteps(plan, live),
    ...insertBeforeFirstJoin(dtrSteps, workerSteps),
    ...nodeSteps(
      'cache node',
      plan.caches.nodes,
      live.cacheNodes,
      'On workers with nothing else on them: label each dtr.cache=true and deploy the cache service, one region at a time.',
      'Take them out of their region’s load balancer and the cache service, then drain and remove them.',
      'Set up',
    ),
    ...nodeSteps(
      'application worker',
      plan.workers.nodes,
      live.appWorkers - fromSpare,
      'Join them to UCP as workers.',
      'Drain each (docker node update --availability drain), wait for its tasks to move, then remove it.',
    ),
  ];
  if (live.zones.length === 0 && plan.zones.zones > 1) {
    steps.push({
      action: 'label',
      title: 'Label every node with its failure zone',
      detail:
        'No node carries a zone label: add zone=<name> to each so the console can check the spread.',
    });
  } else {
    // Only once a tier has its planned size: until then the joins above change the spread anyway.
    const crowded = [
      live.dtrSurvivesZoneLoss === false && live.replicas === plan.dtr.members && 'DTR',
      live.ucpSurvivesZoneLoss === false && live.managers === plan.ucp.members && 'UCP',
    ].filter((tier) => tier !== false);
    if (crowded.length > 0 && plan.zones.zones > 1) {
      steps.push({
        action: 'label',
        title: 'Rebalance members over the zones',
        detail: `Losing the fullest zone would lose ${crowded.join(' and ')} quorum today: place members as in the zone plan, replacing one member at a time.`,
      });
    }
  }
  return { rows, steps, matches: steps.length === 0 && rows.every((r) => r.matches) };
}
