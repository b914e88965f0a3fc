// Which HA roles each node hosts (UCP manager, DTR replica, DTR cache), and what losing a node or
// a whole failure zone would do to the DTR and UCP quorums.
import { assessQuorum } from './quorum';
import type {
  ClusterNode,
  ClusterSnapshot,
  DtrReplicaConfig,
  HostedRole,
  Quorum,
  QuorumVote,
  ReplicaState,
} from './types';

/** Label UCP admins put on nodes that run a DTR content cache. */
export const CACHE_LABEL = 'dtr.cache';

const byHostname = new WeakMap<readonly ClusterNode[], ReadonlyMap<string, ClusterNode>>();

/**
 * The nodes by hostname, built once per node list: the rules that look nodes up share it within a
 * snapshot instead of each indexing a 10,000-node list again (a pure memo; lists are never mutated).
 */
export function nodesByHostname(nodes: readonly ClusterNode[]): ReadonlyMap<string, ClusterNode> {
  let map = byHostname.get(nodes);
  if (!map) {
    map = new Map(nodes.map((n) => [n.hostname, n]));
    byHostname.set(nodes, map);
  }
  return map;
}

const annotated = new WeakMap<
  readonly ClusterNode[],
  { replicaKey: string; nodes: ClusterNode[] }
>();

/**
 * Nodes with `hosts` filled in from their role, the replicas placed on them and the cache label.
 * The same list with the same replica nodes gives the same result (the same objects): a quiet poll
 * of a 10,000-node cluster then allocates nothing here, and what follows can tell what changed.
 */
export function annotateHosts(
  nodes: readonly ClusterNode[],
  replicas: readonly DtrReplicaConfig[],
): ClusterNode[] {
  const replicaNodes = new Set(replicas.map((r) => r.node.toLowerCase()));
  const replicaKey = [...replicaNodes].sort().join('\n');
  const known = annotated.get(nodes);
  if (known?.replicaKey === replicaKey) return known.nodes;
  const result = nodes.map((node) => {
    const hosts: HostedRole[] = [];
    if (node.role === 'manager') hosts.push('ucp-manager');
    if (replicaNodes.has(node.hostname.toLowerCase())) hosts.push('dtr-replica');
    if (node.labels[CACHE_LABEL]?.toLowerCase() === 'true') hosts.push('dtr-cache');
    return { ...node, hosts };
  });
  annotated.set(nodes, { replicaKey, nodes: result });
  return result;
}

/** Address to probe a replica at: the address of the node it runs on, when known. */
export function replicaAddress(
  replica: Pick<DtrReplicaConfig, 'node'>,
  nodes: readonly ClusterNode[],
): string | null {
  const wanted = replica.node.toLowerCase();
  return nodes.find((n) => n.hostname.toLowerCase() === wanted)?.addr ?? null;
}

// ---------------------------------------------------------------------------
// What if it fails

/** The parts of a snapshot (or a ClusterStatus) the what-if questions read. */
export type PlacementInput = Pick<ClusterSnapshot, 'dtr' | 'ucp' | 'sources'>;

/** Both quorums after a failure, and what went down with it. */
export interface FailureImpact {
  dtr: Quorum;
  ucp: Quorum;
  /** Quorum members on the failed nodes, healthy or not: DTR replica IDs, then UCP manager hostnames. */
  lost: string[];
  /** Hostnames of DTR cache nodes among the failed nodes. */
  cachesLost: string[];
}

export type FailureScenario =
  { kind: 'node'; hostname: string } | { kind: 'zone'; zone: string; zoneLabel: string };

export interface SingleFailure extends FailureImpact {
  scenario: FailureScenario;
  /** Hostnames of the nodes that fail. */
  nodes: string[];
}

interface PlacementIndex {
  replicasByNode: Map<string, ReplicaState[]>;
  nodesByHostname: Map<string, ClusterNode[]>;
  dtrMembers: number;
  dtrHealthy: number;
  dtrUnknown: number;
  ucpMembers: number;
  ucpHealthy: number;
  ucpUnknown: number;
}

const indexes = new WeakMap<
  PlacementInput['ucp'],
  WeakMap<PlacementInput['dtr'], PlacementIndex>
>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A member's vote as the monitor judged it (lib/domain/verdicts). */
const managerVote = (node: ClusterNode): QuorumVote => node.manager?.quorumVote ?? 'unknown';

function buildIndex(input: PlacementInput): PlacementIndex {
  // The same votes the quorums were counted from: a member counts up, down or unknown.
  const replicasByNode = new Map<string, ReplicaState[]>();
  for (const replica of input.dtr.replicas) push(replicasByNode, replica.node, replica);
  const nodesByHostname = new Map<string, ClusterNode[]>();
  for (const node of input.ucp.nodes) push(nodesByHostname, node.hostname, node);
  const managers = input.ucp.nodes.filter((node) => node.role === 'manager');
  return {
    replicasByNode,
    nodesByHostname,
    dtrMembers: input.dtr.replicas.length,
    dtrHealthy: input.dtr.replicas.filter((r) => r.quorumVote === 'up').length,
    dtrUnknown: input.dtr.replicas.filter((r) => r.quorumVote === 'unknown').length,
    ucpMembers: managers.length,
    ucpHealthy: managers.filter((m) => managerVote(m) === 'up').length,
    ucpUnknown: managers.filter((m) => managerVote(m) === 'unknown').length,
  };
}

function indexOf(input: PlacementInput): PlacementIndex {
  let byDtr = indexes.get(input.ucp);
  if (!byDtr) indexes.set(input.ucp, (byDtr = new WeakMap()));
  let index = byDtr.get(input.dtr);
  if (!index) byDtr.set(input.dtr, (index = buildIndex(input)));
  return index;
}

function impactOf(index: PlacementIndex, hostnames: Iterable<string>): FailureImpact {
  const lostReplicas: string[] = [];
  const lostManagers: string[] = [];
  const cachesLost: string[] = [];
  let dtrDown = 0;
  let dtrUnknownDown = 0;
  let ucpDown = 0;
  let ucpUnknownDown = 0;
  for (const hostname of new Set(hostnames)) {
    for (const replica of index.replicasByNode.get(hostname) ?? []) {
      lostReplicas.push(replica.id);
      if (replica.quorumVote === 'up') dtrDown += 1;
      else if (replica.quorumVote === 'unknown') dtrUnknownDown += 1;
    }
    for (const node of index.nodesByHostname.get(hostname) ?? []) {
      if (node.role === 'manager') {
        lostManagers.push(node.hostname);
        const vote = managerVote(node);
        if (vote === 'up') ucpDown += 1;
        else if (vote === 'unknown') ucpUnknownDown += 1;
      }
      if (node.hosts.includes('dtr-cache')) cachesLost.push(node.hostname);
    }
  }
  return {
    dtr: assessQuorum(
      index.dtrMembers,
      index.dtrHealthy - dtrDown,
      index.dtrUnknown - dtrUnknownDown,
    ),
    ucp: assessQuorum(
      index.ucpMembers,
      index.ucpHealthy - ucpDown,
      index.ucpUnknown - ucpUnknownDown,
    ),
    lost: [...lostReplicas, ...lostManagers],
    cachesLost,
  };
}

/** Both quorums as they stand, by the same counting the what-if answers use. */
export function currentQuorums(input: PlacementInput): { dtr: Quorum; ucp: Quorum } {
  const { dtr, ucp } = impactOf(indexOf(input), []);
  return { dtr, ucp };
}

/**
 * Both quorums if the node `hostname` went down now. A failed member keeps counting towards
 * the group size (it is not removed); members already down change nothing.
 */
export function whatIfNodeFails(input: PlacementInput, hostname: string): FailureImpact {
  return impactOf(indexOf(input), [hostname]);
}

/** Hostnames of the nodes whose `zoneLabel` label is `zone`. */
export function nodesInZone(input: PlacementInput, zone: string, zoneLabel = 'zone'): string[] {
  return input.ucp.nodes.filter((n) => n.labels[zoneLabel] === zone).map((n) => n.hostname);
}

/** Both quorums if every node labelled `zoneLabel=zone` went down at once. */
export function whatIfZoneFails(
  input: PlacementInput,
  zone: string,
  zoneLabel = 'zone',
): FailureImpact {
  return impactOf(indexOf(input), nodesInZone(input, zone, zoneLabel));
}

/** The failure zones named by the nodes' `zoneLabel` label, sorted. */
export function failureZones(input: PlacementInput, zoneLabel = 'zone'): string[] {
  const zones = new Set<string>();
  for (const node of input.ucp.nodes) {
    const zone = node.labels[zoneLabel];
    if (zone) zones.add(zone);
  }
  return [...zones].sort();
}

/** whatIfNodeFails for every node at once, by hostname (one pass, for tables of thousands). */
export function whatIfEachNodeFails(input: PlacementInput): Map<string, FailureImpact> {
  const index = indexOf(input);
  const unchanged = impactOf(index, []);
  const result = new Map<string, FailureImpact>();
  for (const hostname of index.nodesByHostname.keys()) {
    const hostsMember =
      index.replicasByNode.has(hostname) ||
      (index.nodesByHostname.get(hostname) ?? []).some(
        (n) => n.role === 'manager' || n.hosts.includes('dtr-cache'),
      );
    result.set(hostname, hostsMember ? impactOf(index, [hostname]) : unchanged);
  }
  return result;
}

const hurt = (f: SingleFailure) => Math.min(f.dtr.margin, f.ucp.margin);
const byName = new Intl.Collator('en', { numeric: true }).compare;
const nameOf = (f: SingleFailure) =>
  f.scenario.kind === 'node' ? f.scenario.hostname : f.scenario.zone;

/**
 * The single node or zone whose loss hurts most: the lowest margin left in either group; on a tie
 * the lower DTR margin, then the lower UCP margin, then a node before a zone, then by name.
 * Zones count only when the nodes name at least two. null when no node hosts a replica or manager.
 */
export function worstSingleFailure(
  input: PlacementInput,
  zoneLabel = 'zone',
): SingleFailure | null {
  const index = indexOf(input);
  const candidates: SingleFailure[] = [];
  const hosting = new Set(index.replicasByNode.keys());
  for (const node of input.ucp.nodes) if (node.role === 'manager') hosting.add(node.hostname);
  for (const hostname of hosting) {
    const impact = impactOf(index, [hostname]);
    if (impact.lost.length > 0)
      candidates.push({ ...impact, scenario: { kind: 'node', hostname }, nodes: [hostname] });
  }
  const byZone = new Map<string, string[]>();
  for (const node of input.ucp.nodes) {
    const zone = node.labels[zoneLabel];
    if (zone) push(byZone, zone, node.hostname);
  }
  // A served (slim) status lists only some nodes: its counts say how many zones there are.
  const zoneCount = input.ucp.nodeCounts
    ? Object.keys(input.ucp.nodeCounts.zone).length
    : byZone.size;
  if (zoneCount >= 2) {
    for (const [zone, nodes] of byZone) {
      const impact = impactOf(index, nodes);
      if (impact.lost.length > 0)
        candidates.push({ ...impact, scenario: { kind: 'zone', zone, zoneLabel }, nodes });
    }
  }
  candidates.sort(
    (a, b) =>
      hurt(a) - hurt(b) ||
      a.dtr.margin - b.dtr.margin ||
      a.ucp.margin - b.ucp.margin ||
      Number(a.scenario.kind === 'zone') - Number(b.scenario.kind === 'zone') ||
      byName(nameOf(a), nameOf(b)),
  );
  return candidates[0] ?? null;
}
