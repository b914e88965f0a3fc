// The three witnesses of a member's verdict, each reduced to the few classes the verdict table
// distinguishes: the console's own probe, the cluster's own view, and the inventory (UCP's node
// list and the containers it reports). Pure: the monitor hands in what it read.
import type {
  ClusterEvidence,
  ClusterNode,
  ConsoleEvidence,
  DtrClusterView,
  InventoryEvidence,
  ProbeKind,
  ProbeResult,
} from '../types';

/** A probe's kind, read from its status when the snapshot predates `kind`. */
export function probeKindOf(probe: ProbeResult): ProbeKind {
  if (probe.kind) return probe.kind;
  switch (probe.status) {
    case 'healthy':
      return 'ok';
    case 'unhealthy':
      return 'failing';
    case 'unreachable':
      return 'refused';
    case 'unknown':
      return 'tls';
  }
}

/**
 * The console's column: ok (healthy answer), failing (the member answered, and not with a
 * healthy answer: a 503 with an error, or something that is not a health answer at all),
 * no-answer (refused, timed out, no route), inconclusive (a TLS failure: something answered, but
 * the console could not trust it), not-probed (no address to probe: no node, or no usable one).
 */
export function consoleEvidence(probe: ProbeResult | null): ConsoleEvidence {
  if (probe === null) return 'not-probed';
  switch (probeKindOf(probe)) {
    case 'ok':
      return 'ok';
    case 'failing':
    case 'garbage':
      return 'failing';
    case 'refused':
    case 'timeout':
    case 'network':
      return 'no-answer';
    case 'tls':
      return 'inconclusive';
  }
}

function isOk(health: string): boolean {
  return health.trim().toUpperCase() === 'OK';
}

/** The cluster view as the monitor has it: the data, and whether it was read in this poll. */
export interface ViewInput {
  data: DtrClusterView | null;
  fresh: boolean;
}

export interface ClusterSays {
  evidence: ClusterEvidence;
  /** What the view says is wrong with the replica, when it says something is. */
  text: string | null;
  /**
   * RethinkDB's own readiness of the replica in a view with a working majority: the replica's
   * vote. null when no such view shows it.
   */
  ready: boolean | null;
}

const SILENT: ClusterSays = { evidence: 'silent', text: null, ready: null };

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

/**
 * The cluster's column for one replica. A view read in this poll whose tables take writes comes
 * from the side that holds the majority: what it says counts both ways (ok or failing). A view
 * whose tables do not take writes comes from a replica without a majority (cut off itself, or
 * the whole cluster without quorum): its "cannot see X" only corroborates the console's own
 * failure to reach X (cut-off), and its "OK" proves nothing.
 */
export function clusterEvidence(
  view: ViewInput,
  replicaId: string,
  nowMs: number,
  staleReportMs: number,
): ClusterSays {
  const data = view.data;
  if (!data || !view.fresh) return SILENT;
  const health = ownEntry(data.replicaHealth, replicaId);
  const inTables = data.replicasInTables?.includes(replicaId) ?? false;
  const notReady = data.replicasNotReady.includes(replicaId);
  const reportedAt = ownEntry(data.replicaTimestamp, replicaId);
  const reportAge = reportedAt === undefined ? null : nowMs - Date.parse(reportedAt);
  const reportStale = reportAge !== null && !Number.isNaN(reportAge) && reportAge > staleReportMs;

  const failing =
    health !== undefined && !isOk(health)
      ? health.trim() || 'reported failing'
      : notReady
        ? `RethinkDB server dtr_rethinkdb_${replicaId} is not ready`
        : reportStale
          ? `no report to the cluster for over ${minutes(staleReportMs)}`
          : null;

  if (data.tablesReadyForWrites === false) {
    return failing !== null ? { evidence: 'cut-off', text: failing, ready: null } : SILENT;
  }
  const ready = inTables ? !notReady : null;
  if (failing !== null) return { evidence: 'failing', text: failing, ready };
  if ((health !== undefined && isOk(health)) || ready === true)
    return { evidence: 'ok', text: null, ready };
  return { ...SILENT, ready };
}

/** What the inventory shows of the containers of one replica, when UCP lists them. */
export type ContainerState = 'running' | 'stopped' | 'unknown';

export interface InventoryInput {
  /** The node list was read in this poll. */
  fresh: boolean;
  /** The replica's node in that list; undefined when the list has none by that hostname. */
  node: ClusterNode | undefined;
  /** The replica's `dtr-*` containers as UCP reports them (recently), or unknown. */
  containers: ContainerState;
}

/** The inventory's column: ready, down (node not ready, or containers stopped), absent, unknown. */
export function inventoryEvidence(input: InventoryInput): InventoryEvidence {
  if (!input.fresh) return 'unknown';
  if (!input.node) return 'absent';
  if (input.node.state === 'down' || input.node.state === 'disconnected') return 'down';
  if (input.containers === 'stopped') return 'down';
  return input.node.state === 'ready' ? 'ready' : 'unknown';
}

/** A node by hostname, as UCP spells it (hostnames compare without case). */
/**
 * `record[key]` only when the record itself has it: a replica ID of "constructor" or
 * "__proto__" (an upstream can name one so) must not read Object.prototype.
 */
export function ownEntry<T>(
  record: Record<string, T> | null | undefined,
  key: string,
): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

export function findNode(nodes: readonly ClusterNode[], hostname: string): ClusterNode | undefined {
  const wanted = hostname.toLowerCase();
  return nodes.find((n) => n.hostname.toLowerCase() === wanted);
}
