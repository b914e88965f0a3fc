// Warnings grouped by cause: one incident, one primary card. A lost or endangered quorum carries
// the cards of its missing members; a stopped member's unhealthy, offline-long and node-down
// facts are one card. Every warning keeps its code (scripts and metrics see each condition);
// `group` names the incident and `primary` marks the card that stands for it.
import {
  WARNING_CODES,
  type ClusterSnapshot,
  type Severity,
  type Warning,
  type WarningCode,
} from '../types';

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Codes that head a whole quorum's incident, first found wins. */
const DTR_QUORUM_HEADS: readonly WarningCode[] = [
  'DTR_QUORUM_LOST',
  'DTR_QUORUM_UNKNOWN',
  'DTR_QUORUM_AT_RISK',
];
const UCP_QUORUM_HEADS: readonly WarningCode[] = [
  'UCP_QUORUM_LOST',
  'UCP_QUORUM_UNKNOWN',
  'UCP_QUORUM_AT_RISK',
  'UCP_NO_LEADER',
];

/** Member-level DTR codes that belong to a DTR quorum incident when there is one. */
const DTR_MEMBER_CODES = new Set<WarningCode>([
  'DTR_REPLICA_UNHEALTHY',
  'DTR_REPLICA_UNKNOWN',
  'DTR_REPLICA_OFFLINE_LONG',
  'DTR_REPLICA_STALE_REPORT',
  'DTR_REPLICA_GHOST',
  'DTR_PING_DISAGREES',
  'DTR_TABLES_NOT_WRITABLE',
]);
const UCP_MEMBER_CODES = new Set<WarningCode>([
  'UCP_MANAGER_UNREACHABLE',
  'UCP_MANAGER_UNHEALTHY',
  'UCP_NO_LEADER',
]);
/** The console's own view failing to reach members the cluster vouches for: one incident. */
const CONSOLE_REACH_CODES = new Set<WarningCode>(['UCP_PING_DISAGREES', 'DTR_REPLICA_UNKNOWN']);

function rank(w: Warning): [number, number] {
  return [SEVERITY_RANK[w.severity], WARNING_CODES.indexOf(w.code)];
}

function better(a: Warning, b: Warning): boolean {
  const [sa, ca] = rank(a);
  const [sb, cb] = rank(b);
  return sa < sb || (sa === sb && ca < cb);
}

/** `warnings` (already sorted) with `group` and `primary` set; the order is kept. */
export function groupWarnings(warnings: readonly Warning[], snapshot: ClusterSnapshot): Warning[] {
  const replicaIds = new Set(snapshot.dtr.replicas.map((r) => r.id));
  const replicaByNode = new Map(
    snapshot.dtr.replicas.map((r) => [r.node.toLowerCase(), r.id] as const),
  );
  const managerHosts = new Set(
    snapshot.ucp.nodes.filter((n) => n.role === 'manager').map((n) => n.hostname.toLowerCase()),
  );
  const dtrHead = DTR_QUORUM_HEADS.map((c) => warnings.find((w) => w.code === c)).find(Boolean);
  const ucpHead = UCP_QUORUM_HEADS.map((c) => warnings.find((w) => w.code === c)).find(Boolean);

  const concernsDtr = (w: Warning) =>
    DTR_MEMBER_CODES.has(w.code) ||
    (w.code === 'NODE_DOWN' && w.subjects.some((s) => replicaByNode.has(s.toLowerCase())));
  const concernsUcp = (w: Warning) =>
    UCP_MEMBER_CODES.has(w.code) ||
    (w.code === 'NODE_DOWN' && w.subjects.some((s) => managerHosts.has(s.toLowerCase())));

  function groupOf(w: Warning): string {
    if (w === dtrHead) return 'dtr-quorum';
    if (w === ucpHead) return 'ucp-quorum';
    if (dtrHead && concernsDtr(w)) return 'dtr-quorum';
    if (ucpHead && concernsUcp(w)) return 'ucp-quorum';
    if (CONSOLE_REACH_CODES.has(w.code)) return 'console-reach';
    if (w.code === 'DTR_PING_DISAGREES') {
      // The console cut off from a replica the cluster vouches for is the console's incident.
      const id = w.subjects.find((s) => replicaIds.has(s));
      const replica = snapshot.dtr.replicas.find((r) => r.id === id);
      if (replica?.status === 'unreachable-from-console') return 'console-reach';
    }
    if (DTR_MEMBER_CODES.has(w.code) || w.code === 'DTR_REPLICA_SLOW') {
      const id = w.subjects.find((s) => replicaIds.has(s));
      if (id) return `replica:${id}`;
    }
    if (w.code === 'NODE_DOWN' || UCP_MEMBER_CODES.has(w.code)) {
      const host = (w.subjects[0] ?? '').toLowerCase();
      const replica = replicaByNode.get(host);
      if (replica && w.code === 'NODE_DOWN') return `replica:${replica}`;
      return `node:${host}`;
    }
    return `${w.code}:${w.subjects.join(',')}`;
  }

  const groups = warnings.map(groupOf);
  const primaryOf = new Map<string, Warning>();
  warnings.forEach((w, i) => {
    const group = groups[i] as string;
    const head = group === 'dtr-quorum' ? dtrHead : group === 'ucp-quorum' ? ucpHead : undefined;
    const current = primaryOf.get(group);
    if (head) primaryOf.set(group, head);
    else if (!current || better(w, current)) primaryOf.set(group, w);
  });
  return warnings.map((w, i) => {
    const group = groups[i] as string;
    return { ...w, group, primary: primaryOf.get(group) === w };
  });
}
