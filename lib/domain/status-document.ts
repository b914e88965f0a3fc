// The status document as served by default (GET /api/status, the SSE `snapshot` event): everything
// the full ClusterStatus has, except that `ucp.nodes` keeps only the nodes that matter, and
// `ucp.nodeCounts` counts the whole inventory. Its size does not grow with the number of
// application workers: the full inventory is paged by GET /api/nodes, and the old full document is
// GET /api/status?nodes=all. Server-side consumers (assessment, wizards, history, metrics,
// alerting, load-balancer configs) keep reading the full snapshot; only what is served shrinks.
import type {
  ClusterNode,
  ClusterStatus,
  NodeAvailability,
  NodeCounts,
  NodeRole,
  NodeState,
} from './types';

/**
 * At most this many nodes that need attention but host nothing (down, drained, paused workers;
 * nodes a warning names) are listed; the rest are counted in `nodeList.attentionOmitted`. Members
 * (managers, DTR replica and cache nodes) are always listed: their number does not grow with the
 * fleet.
 */
export const ATTENTION_CAP = 50;
export const NODES_ROUTE = '/api/nodes';
export const FULL_STATUS_ROUTE = '/api/status?nodes=all';
const DEFAULT_ZONE_LABEL = 'zone';

const ROLES: readonly NodeRole[] = ['manager', 'worker'];
const STATES: readonly NodeState[] = ['ready', 'down', 'unknown', 'disconnected'];
const AVAILABILITIES: readonly NodeAvailability[] = ['active', 'pause', 'drain', 'unknown'];

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

/** Whether a node is not ready or not active: the overview must show it. */
export function needsAttention(node: Pick<ClusterNode, 'state' | 'availability'>): boolean {
  return node.state !== 'ready' || node.availability !== 'active';
}

/** The whole inventory counted by role, state, availability and zone. */
export function countNodes(nodes: readonly ClusterNode[], zoneLabel: string): NodeCounts {
  const counts: NodeCounts = {
    total: nodes.length,
    role: zeroes(ROLES),
    state: zeroes(STATES),
    availability: zeroes(AVAILABILITIES),
    zone: {},
    unzoned: 0,
    readyActive: 0,
    applicationWorkers: 0,
  };
  for (const node of nodes) {
    counts.role[node.role] = (counts.role[node.role] ?? 0) + 1;
    counts.state[node.state] = (counts.state[node.state] ?? 0) + 1;
    counts.availability[node.availability] = (counts.availability[node.availability] ?? 0) + 1;
    const zone = node.labels[zoneLabel];
    if (zone) counts.zone[zone] = (counts.zone[zone] ?? 0) + 1;
    else counts.unzoned += 1;
    if (!needsAttention(node)) counts.readyActive += 1;
    if (node.role === 'worker' && node.hosts.length === 0) counts.applicationWorkers += 1;
  }
  return counts;
}

const byName = new Intl.Collator('en', { numeric: true }).compare;
const STATE_RANK: Record<NodeState, number> = { down: 0, disconnected: 1, unknown: 2, ready: 3 };

/**
 * The served status: members and nodes needing attention listed, every node counted. A status
 * whose node list is already complete and small stays a complete list (flagged `complete`).
 */
export function slimStatus(status: ClusterStatus, cap = ATTENTION_CAP): ClusterStatus {
  const nodes = status.ucp.nodes;
  const zoneLabel = status.zoneLabel ?? DEFAULT_ZONE_LABEL;
  const lower = (name: string) => name.toLowerCase();

  // Members: hostnames the DTR replicas and caches name, and nodes hosting a role.
  const members = new Set<string>();
  for (const replica of status.dtr.replicas) members.add(lower(replica.node));
  for (const cache of status.dtr.caches ?? []) {
    if (cache.node) members.add(lower(cache.node));
    for (const replica of cache.replicas ?? []) members.add(lower(replica.node));
  }
  const named = new Set<string>();
  for (const warning of status.warnings)
    for (const subject of warning.subjects) named.add(lower(subject));

  const kept = new Set<ClusterNode>();
  const attention: ClusterNode[] = [];
  for (const node of nodes) {
    const name = lower(node.hostname);
    if (node.role === 'manager' || node.hosts.length > 0 || members.has(name)) kept.add(node);
    else if (needsAttention(node) || named.has(name) || named.has(lower(node.id)))
      attention.push(node);
  }
  // The worst first when the cap bites: down before disconnected before unknown, then by name.
  attention.sort(
    (a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || byName(a.hostname, b.hostname),
  );
  for (const node of attention.slice(0, cap)) kept.add(node);
  const listed = nodes.filter((node) => kept.has(node));

  return {
    ...status,
    ucp: {
      ...status.ucp,
      nodes: listed,
      nodeCounts: countNodes(nodes, zoneLabel),
      nodeList: {
        complete: listed.length === nodes.length,
        listed: listed.length,
        omitted: nodes.length - listed.length,
        attentionOmitted: Math.max(0, attention.length - cap),
        attentionCap: cap,
        href: NODES_ROUTE,
        fullDocument: FULL_STATUS_ROUTE,
      },
    },
  };
}

/** Whether `status.ucp.nodes` lists only part of the inventory (a slim document). */
export function isPartialNodeList(status: Pick<ClusterStatus, 'ucp'>): boolean {
  return status.ucp.nodeList !== undefined && !status.ucp.nodeList.complete;
}

/**
 * What the served status can tell of the inventory's rows: the counts, and the state, hosting and
 * votes of the listed nodes and replicas (every what-if depends on those). A view of the full
 * inventory fetches it again when this changes, not on every poll.
 */
export function inventoryVersion(status: Pick<ClusterStatus, 'ucp' | 'dtr'>): string {
  return JSON.stringify([
    status.ucp.nodeCounts ?? status.ucp.nodes.length,
    status.ucp.nodes.map((n) => [
      n.id,
      n.hostname,
      n.state,
      n.availability,
      n.message,
      n.hosts,
      n.manager?.leader,
      n.manager?.reachability,
      n.manager?.quorumVote,
    ]),
    status.dtr.replicas.map((r) => [r.id, r.node, r.quorumVote]),
  ]);
}
