// The whole deployment: total nodes and what drives it, and the nodes per failure zone.
import type { SizingInput } from './input';
import type { CachePlan, TierPlan, TotalPart, TotalPlan, ZoneLayout } from './types';
import { roundRobin, zoneName } from './zones';

const s = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function listOf(items: string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function planTotal(
  input: SizingInput,
  dtr: TierPlan,
  ucp: TierPlan,
  caches: CachePlan,
): TotalPlan {
  const dtrNodes = input.dtrOnManagers ? Math.max(0, dtr.members - ucp.members) : dtr.members;
  const breakdown: TotalPlan['breakdown'] = [
    { part: 'ucp', label: 'UCP manager nodes', nodes: ucp.members },
    { part: 'dtr', label: 'DTR nodes', nodes: dtrNodes },
    { part: 'caches', label: 'Cache nodes', nodes: caches.nodes },
    { part: 'workers', label: 'Application workers', nodes: input.workers },
  ];
  const short: Record<TotalPart, string> = {
    ucp: 'manager',
    dtr: input.dtrOnManagers ? 'DTR-only node' : 'DTR node',
    caches: 'cache',
    workers: 'worker',
  };
  const nodes = breakdown.reduce((sum, part) => sum + part.nodes, 0);
  const inputs: Record<TotalPart, string> = {
    ucp: ucp.target.by === 'failures' ? 'UCP manager failures to tolerate' : 'UCP managers',
    dtr: dtr.target.by === 'failures' ? 'DTR failures to tolerate' : 'DTR replicas',
    caches: 'cache regions and nodes per region',
    workers: 'application workers',
  };
  const largest = breakdown.reduce((best, part) => (part.nodes > best.nodes ? part : best));
  const most = largest.nodes;
  const leaders = breakdown.filter((part) => part.nodes === most);
  const onManagers = input.dtrOnManagers
    ? ` DTR shares the manager nodes${dtrNodes > 0 ? ` (${dtrNodes} more on workers)` : ''}.`
    : '';
  const sensitivity = [
    `+1 DTR failure tolerated: +2 replicas${input.dtrOnManagers ? '' : ' and +2 nodes'}`,
    '+1 UCP manager failure tolerated: +2 nodes',
    input.cacheRegions > 0
      ? `+1 cache region: +${s(input.cachesPerRegion, 'node')}`
      : '+1 cache region: +2 nodes (with 2 per region for high availability)',
    '+1 application worker: +1 node',
  ];
  return {
    nodes,
    breakdown,
    driver: { part: largest.part, input: inputs[largest.part], nodes: largest.nodes },
    why: `${breakdown.map((part) => s(part.nodes, short[part.part])).join(' + ')} = ${s(nodes, 'node')}.${onManagers}`,
    driverWhy:
      leaders.length === 1
        ? `${largest.label} drive the total: ${largest.nodes} of ${nodes} nodes, set by “${inputs[largest.part]}”.`
        : `${capitalize(listOf(leaders.map((p) => p.label.replace(/^[A-Z][a-z]/, (m) => m.toLowerCase()))))} drive the total equally, ${most} nodes each of ${nodes}, set by ${listOf(leaders.map((p) => `“${inputs[p.part]}”`))}.`,
    sensitivity,
  };
}

export function planZones(input: SizingInput, dtr: TierPlan, ucp: TierPlan): ZoneLayout {
  const managers = ucp.zones.perZone;
  const replicas = dtr.zones.perZone;
  const dedicatedDtr = input.dtrOnManagers ? 0 : dtr.members;
  const workers = roundRobin(
    input.workers,
    input.zones,
    (ucp.members + dedicatedDtr) % input.zones,
  );
  const rows = managers.map((m, i) => {
    const r = replicas[i] ?? 0;
    const w = workers[i] ?? 0;
    return {
      zone: zoneName(i),
      managers: m,
      replicas: r,
      workers: w,
      nodes: m + (input.dtrOnManagers ? Math.max(0, r - m) : r) + w,
    };
  });
  const survives = dtr.zones.survivesZoneLoss && ucp.zones.survivesZoneLoss;
  const why =
    input.zones === 1
      ? 'One zone: a zone failure stops everything, whatever the counts.'
      : survives
        ? `Spread this way, losing any one of ${input.zones} zones keeps both quorums.`
        : `With ${input.zones} zones this plan cannot keep quorum through the loss of every zone: see each tier below.`;
  return { zones: input.zones, rows, survivesZoneLoss: survives, why };
}
