// The nodes table's rows: each node with its zone and what losing it would do, then filtered
// and sorted by the URL's query. Pure and linear, so 2,000 nodes filter within a frame.
import { whatIfEachNodeFails, type FailureImpact, type PlacementInput } from './placement';
import type { ClusterNode, NodeAvailability, NodeState, Quorum } from './types';
import type { NodeQuery, SortDir, SortKey } from './node-query';

export interface NodeRow {
  node: ClusterNode;
  zone: string | null;
  impact: FailureImpact;
}

// Built only when someone searches, once per node object.
const haystacks = new WeakMap<ClusterNode, string>();

/** Lower-case text the search box matches: hostname, ID, addresses, message, engine, labels. */
function haystackOf(node: ClusterNode): string {
  let text = haystacks.get(node);
  if (text === undefined) {
    text = [
      node.hostname,
      node.id,
      node.addr ?? '',
      node.manager?.raftAddr ?? '',
      node.message,
      node.engineVersion ?? '',
      ...Object.entries(node.labels).map(([key, value]) => `${key}=${value}`),
    ]
      .join('\n')
      .toLowerCase();
    haystacks.set(node, text);
  }
  return text;
}

export function nodeRows(input: PlacementInput, zoneLabel: string): NodeRow[] {
  const impacts = whatIfEachNodeFails(input);
  return input.ucp.nodes.map((node) => {
    const impact = impacts.get(node.hostname);
    if (!impact) throw new Error(`no what-if for ${node.hostname}`);
    return { node, zone: node.labels[zoneLabel] || null, impact };
  });
}

export function filterRows(rows: readonly NodeRow[], query: NodeQuery): NodeRow[] {
  const terms = query.q.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter(({ node, zone }) => {
    if (query.role && node.role !== query.role) return false;
    if (query.state && node.state !== query.state) return false;
    if (query.availability && node.availability !== query.availability) return false;
    if (query.zone && zone !== query.zone) return false;
    if (
      query.hosts === 'none'
        ? node.hosts.length > 0
        : query.hosts && !node.hosts.includes(query.hosts)
    )
      return false;
    if (query.label && node.labels[query.label.key] !== query.label.value) return false;
    if (terms.length === 0) return true;
    const haystack = haystackOf(node);
    return terms.every((term) => haystack.includes(term));
  });
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const AVAILABILITY_RANK: Record<NodeAvailability, number> = {
  active: 0,
  pause: 1,
  drain: 2,
  unknown: 3,
};
const STATE_RANK: Record<NodeState, number> = { ready: 0, unknown: 1, disconnected: 2, down: 3 };

function managerRank(node: ClusterNode): number | null {
  if (!node.manager) return null;
  if (node.manager.leader) return 0;
  return { reachable: 1, unknown: 2, unreachable: 3 }[node.manager.reachability];
}

/** A row's value under a sort key (JSON-safe: cursors carry it); null means "no value". */
export type SortValue = string | number | number[] | null;

/** Each sort key's comparison, ascending; null means "no value" and always sorts last. */
const KEYS: Record<SortKey, (row: NodeRow) => SortValue> = {
  hostname: (r) => r.node.hostname,
  role: (r) => (r.node.role === 'manager' ? 0 : 1),
  availability: (r) => AVAILABILITY_RANK[r.node.availability],
  state: (r) => STATE_RANK[r.node.state],
  manager: (r) => managerRank(r.node),
  engine: (r) => r.node.engineVersion,
  resources: (r) =>
    r.node.nanoCpus === null && r.node.memoryBytes === null
      ? null
      : [r.node.nanoCpus ?? -1, r.node.memoryBytes ?? -1],
  zone: (r) => r.zone,
  hosts: (r) => r.node.hosts.length,
  // Worst first when ascending: the lowest margin left in either group, then DTR's, then UCP's.
  'what-if': (r) => [
    Math.min(r.impact.dtr.margin, r.impact.ucp.margin),
    r.impact.dtr.margin,
    r.impact.ucp.margin,
  ],
};

/** Where a row sits in a sorted list: its sort value, then hostname and ID break ties. */
export interface SortPosition {
  value: SortValue;
  hostname: string;
  id: string;
}

export function positionOf(row: NodeRow, sort: SortKey): SortPosition {
  return { value: KEYS[sort](row), hostname: row.node.hostname, id: row.node.id };
}

function compareValues(a: Exclude<SortValue, null>, b: Exclude<SortValue, null>): number {
  if (typeof a === 'string' && typeof b === 'string') return collator.compare(a, b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < a.length; i++) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      if (d !== 0) return d;
    }
  }
  return 0;
}

/** The order of the sorted table: a total order (hostname, then ID, break every tie). */
export function comparePositions(a: SortPosition, b: SortPosition, dir: SortDir): number {
  let d = 0;
  if (a.value === null || b.value === null) d = a.value === b.value ? 0 : a.value === null ? 1 : -1;
  else d = (dir === 'asc' ? 1 : -1) * compareValues(a.value, b.value);
  // Plain code-unit order last, so two names the collator calls equal still have an order.
  return (
    d ||
    collator.compare(a.hostname, b.hostname) ||
    collator.compare(a.id, b.id) ||
    (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function sortRows(rows: readonly NodeRow[], sort: SortKey, dir: SortDir): NodeRow[] {
  const keyed = rows.map((row) => ({ row, position: positionOf(row, sort) }));
  keyed.sort((a, b) => comparePositions(a.position, b.position, dir));
  return keyed.map((k) => k.row);
}

export function visibleRows(rows: readonly NodeRow[], query: NodeQuery): NodeRow[] {
  return sortRows(filterRows(rows, query), query.sort, query.dir);
}

/** What a node's table row and its phone card both show it with. */
export interface NodeViewProps {
  row: NodeRow;
  /** The quorums now, for the what-if. */
  current: { dtr: Quorum; ucp: Quorum };
  /** The node the URL points at. */
  highlighted: boolean;
}
