// What the running cluster looks like in the plan's terms, read from GET /api/status.
import type {
  HostedRole,
  MemberStatus,
  NodeRole,
  QuorumStatus,
  QuorumVote,
  Reachability,
} from '../types';
import {
  DEFAULT_SIZING_INPUT,
  MAX_CACHE_REGIONS,
  MAX_CACHES_PER_REGION,
  MAX_MEMBERS_INPUT,
  MAX_WORKERS,
  MAX_ZONES,
  type SizingInput,
} from './input';
import { membersFor } from './url';
import { listOf } from '../assess/format';
import { countOf } from './words';
import { survivesAnyZoneLoss } from './zones';

/** The fields of GET /api/status the comparison reads (ClusterStatus satisfies it). */
export interface LiveClusterInput {
  mode: 'demo' | 'live';
  dtr: {
    replicas: readonly { id: string; node: string; status: MemberStatus }[];
    quorum?: { status: QuorumStatus };
  };
  ucp: {
    managers: { total: number; reachable: number; status?: QuorumStatus };
    nodes: readonly {
      hostname: string;
      role: NodeRole;
      labels: Readonly<Record<string, string>>;
      hosts: readonly HostedRole[];
      manager?: { reachability: Reachability; quorumVote?: QuorumVote } | null;
    }[];
    /** A served status lists only the nodes that matter and counts the rest (status-document). */
    nodeCounts?: { total: number; applicationWorkers: number; zone: Record<string, number> };
  };
}

/** Node labels that name a failure zone, most specific first. */
export const ZONE_LABELS = [
  'zone',
  'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/zone',
];

export interface LiveSummary {
  mode: 'demo' | 'live';
  replicas: number;
  healthyReplicas: number;
  /** Replicas judged down (unhealthy, unreachable, ghost): what a plan removes before joining. */
  unhealthyReplicas: { id: string; node: string; status: MemberStatus }[];
  /** Replicas the console cannot judge: no plan changes membership until someone looks. */
  unknownReplicas: { id: string; node: string }[];
  /** The console's verdict on the DTR quorum, when the status carries it. */
  dtrQuorum: QuorumStatus | null;
  ucpQuorum: QuorumStatus | null;
  replicasOnManagers: { id: string; node: string }[];
  managers: number;
  reachableManagers: number;
  unreachableManagers: string[];
  cacheNodes: number;
  appWorkers: number;
  totalNodes: number;
  /** Distinct zone label values over all nodes; empty when no node carries one. */
  zones: string[];
  /** Per tier: survives losing any one labelled zone; null when some member's zone is unknown. */
  dtrSurvivesZoneLoss: boolean | null;
  ucpSurvivesZoneLoss: boolean | null;
}

function zoneOf(labels: Readonly<Record<string, string>>): string | null {
  for (const label of ZONE_LABELS) {
    const value = labels[label]?.trim();
    if (value) return value;
  }
  return null;
}

function survives(zones: (string | null)[]): boolean | null {
  if (zones.length === 0 || zones.some((zone) => zone === null)) return null;
  const counts = new Map<string, number>();
  for (const zone of zones) if (zone !== null) counts.set(zone, (counts.get(zone) ?? 0) + 1);
  return survivesAnyZoneLoss([...counts.values()]);
}

export function summarizeLive(live: LiveClusterInput): LiveSummary {
  const byHost = new Map(live.ucp.nodes.map((node) => [node.hostname, node]));
  const replicas = live.dtr.replicas;
  const managerNodes = live.ucp.nodes.filter((node) => node.role === 'manager');
  const counts = live.ucp.nodeCounts;
  const zones = [
    ...new Set([
      ...live.ucp.nodes.map((node) => zoneOf(node.labels)).filter((z) => z !== null),
      ...Object.keys(counts?.zone ?? {}),
    ]),
  ].sort();
  return {
    mode: live.mode,
    replicas: replicas.length,
    // Up by the cluster's word counts: a replica the console cannot reach is not broken.
    healthyReplicas: replicas.filter(
      (r) => r.status === 'healthy' || r.status === 'unreachable-from-console',
    ).length,
    unhealthyReplicas: replicas
      .filter((r) => r.status === 'unhealthy' || r.status === 'unreachable' || r.status === 'ghost')
      .map(({ id, node, status }) => ({ id, node, status })),
    unknownReplicas: replicas
      .filter((r) => r.status === 'unknown')
      .map(({ id, node }) => ({ id, node })),
    dtrQuorum: live.dtr.quorum?.status ?? null,
    ucpQuorum: live.ucp.managers.status ?? null,
    replicasOnManagers: replicas
      .filter((r) => byHost.get(r.node)?.role === 'manager')
      .map(({ id, node }) => ({ id, node })),
    managers: live.ucp.managers.total,
    reachableManagers: live.ucp.managers.reachable,
    // Raft's word: down only when it counts the manager out (unknown is not down).
    unreachableManagers: managerNodes
      .filter((node) =>
        node.manager?.quorumVote !== undefined
          ? node.manager.quorumVote === 'down'
          : node.manager !== null &&
            node.manager !== undefined &&
            node.manager.reachability !== 'reachable',
      )
      .map((node) => node.hostname),
    cacheNodes: live.ucp.nodes.filter((node) => node.hosts.includes('dtr-cache')).length,
    appWorkers:
      counts?.applicationWorkers ??
      live.ucp.nodes.filter((node) => node.role === 'worker' && node.hosts.length === 0).length,
    totalNodes: counts?.total ?? live.ucp.nodes.length,
    zones,
    dtrSurvivesZoneLoss: survives(
      replicas.map((r) => {
        const node = byHost.get(r.node);
        return node ? zoneOf(node.labels) : null;
      }),
    ),
    ucpSurvivesZoneLoss: survives(managerNodes.map((node) => zoneOf(node.labels))),
  };
}

// ---------------------------------------------------------------------------
// The plan's starting point: the running cluster's own figures, when the console has them.

/** The fields of GET /api/status the starting point reads besides LiveClusterInput's. */
export interface LiveStartStatus extends LiveClusterInput {
  generatedAt: string;
  dtr: LiveClusterInput['dtr'] & {
    caches?: readonly { id: string; name?: string; replicas?: readonly unknown[] }[];
  };
  sources: Record<
    'ucp' | 'dtr',
    {
      state: 'ok' | 'stale' | 'error';
      lastError: string | null;
      lastSuccessAt: string | null;
      configured?: boolean;
    }
  >;
}

/** One running figure the plan starts from, for the page to list. */
export interface LiveFigure {
  field: 'replicas' | 'managers' | 'caches' | 'workers' | 'zones';
  /** "3 DTR replicas", "4 cache nodes in 2 caches", "zones not labelled". */
  text: string;
}

export type LiveStart =
  | {
      available: true;
      /** When the figures were read (the snapshot's time). */
      asOf: string;
      input: SizingInput;
      figures: LiveFigure[];
      /** Where the plan could not take the running figure as it is, and what it took instead. */
      notes: string[];
    }
  | { available: false; reason: string };

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

type Source = LiveStartStatus['sources']['ucp'];

/** Null when the source's data can be used; else why not, in words. */
function unusable(name: string, source: Source): string | null {
  if (source.configured === false) return `${name} is not configured`;
  if (source.state === 'error')
    return `${name} has not answered yet${source.lastError ? ` (${source.lastError})` : ''}`;
  return null;
}

/**
 * The sizing input that describes the running cluster: its replica and manager counts, cache
 * nodes and registered caches, application workers and labelled zones. What the calculator cannot
 * hold as it is (11 replicas, no zone labels) is brought into range and said in `notes`; with
 * neither UCP nor DTR readable there is no starting point, and the reason says why.
 */
export function liveSizingStart(status: LiveStartStatus): LiveStart {
  const ucpProblem = unusable('UCP', status.sources.ucp);
  const dtrProblem = unusable('DTR', status.sources.dtr);
  const live = summarizeLive(status);
  const ucpOk = ucpProblem === null && live.managers > 0;
  const dtrOk = dtrProblem === null && live.replicas > 0;
  if (!ucpOk && !dtrOk) {
    const why = [
      ucpProblem ?? (live.managers === 0 ? 'UCP lists no manager' : null),
      dtrProblem ?? (live.replicas === 0 ? 'DTR lists no replica' : null),
    ].filter((x) => x !== null);
    return { available: false, reason: `${why.join('; ')}.` };
  }

  const d = DEFAULT_SIZING_INPUT;
  const notes: string[] = [];
  const figures: LiveFigure[] = [];
  const input: SizingInput = { ...d };

  if (dtrOk) {
    const members = clamp(live.replicas, 1, MAX_MEMBERS_INPUT);
    if (members !== live.replicas)
      notes.push(
        `The running cluster has ${live.replicas} DTR replicas, more than the calculator takes: the plan starts at ${members}.`,
      );
    input.dtr = { by: 'count', members };
    figures.push({ field: 'replicas', text: countOf(live.replicas, 'DTR replica') });
    input.dtrOnManagers = live.replicasOnManagers.length > 0;
    if (input.dtrOnManagers)
      notes.push(
        `${countOf(live.replicasOnManagers.length, 'DTR replica runs', 'DTR replicas run')} on a UCP manager node, so the plan allows it (and warns).`,
      );
  } else {
    notes.push(
      `DTR could not be read (${dtrProblem ?? 'it lists no replica'}): the plan keeps the default of ${membersFor(d.dtr)} replicas.`,
    );
  }

  if (ucpOk) {
    const members = clamp(live.managers, 1, MAX_MEMBERS_INPUT);
    if (members !== live.managers)
      notes.push(
        `The running cluster has ${live.managers} UCP managers, more than the calculator takes: the plan starts at ${members}.`,
      );
    input.ucp = { by: 'count', members };
    figures.push({ field: 'managers', text: countOf(live.managers, 'UCP manager') });

    const registered = dtrOk ? (status.dtr.caches?.length ?? 0) : 0;
    const nodes = live.cacheNodes;
    // Each registered cache is one address users pull through (a region); its nodes sit behind it.
    const regions = clamp(registered > 0 ? registered : nodes > 0 ? 1 : 0, 0, MAX_CACHE_REGIONS);
    if (regions > 0) {
      const perRegion = clamp(
        Math.round(Math.max(nodes, regions) / regions),
        1,
        MAX_CACHES_PER_REGION,
      );
      input.cacheRegions = regions;
      input.cachesPerRegion = perRegion;
      // Each cache's own replica count, where the console could attribute its nodes.
      const perCache = (status.dtr.caches ?? []).map((c) => c.replicas?.length ?? 0);
      const known = dtrOk && perCache.length === regions && perCache.every((n) => n > 0);
      if (known && perCache.some((n) => n !== perRegion))
        notes.push(
          `The running caches have ${listOf(perCache.map(String))} replicas: the calculator gives every region the same number of nodes, so the plan has ${regions} × ${perRegion}; judge each cache on /caches.`,
        );
      else if (regions * perRegion !== nodes)
        notes.push(
          `${countOf(nodes, 'cache node')} ${registered > 0 ? `behind ${countOf(registered, 'registered cache')}` : 'labelled dtr.cache=true'}: the calculator gives every region the same number of nodes, so the plan has ${regions} × ${perRegion}.`,
        );
    }
    figures.push({
      field: 'caches',
      text:
        registered > 0
          ? `${countOf(nodes, 'cache node')} in ${countOf(registered, 'cache')}`
          : countOf(nodes, 'cache node'),
    });

    input.workers = clamp(live.appWorkers, 0, MAX_WORKERS);
    figures.push({ field: 'workers', text: countOf(live.appWorkers, 'application worker') });

    if (live.zones.length === 0) {
      notes.push(`No node carries a zone label: the plan assumes ${d.zones} zones.`);
      figures.push({ field: 'zones', text: 'zones not labelled' });
    } else {
      input.zones = clamp(live.zones.length, 1, MAX_ZONES);
      if (input.zones !== live.zones.length)
        notes.push(
          `The nodes name ${live.zones.length} zones, more than the calculator takes: the plan spreads over ${input.zones}.`,
        );
      figures.push({ field: 'zones', text: countOf(live.zones.length, 'zone') });
    }
  } else {
    notes.push(
      `UCP could not be read (${ucpProblem ?? 'it lists no manager'}): managers, workers, caches and zones keep their defaults.`,
    );
  }

  for (const [name, source] of [
    ['UCP', status.sources.ucp],
    ['DTR', status.sources.dtr],
  ] as const) {
    if (source.state === 'stale' && source.lastSuccessAt)
      notes.push(`${name} is not answering: its figures are from ${source.lastSuccessAt}.`);
  }

  return { available: true, asOf: status.generatedAt, input, figures, notes };
}
