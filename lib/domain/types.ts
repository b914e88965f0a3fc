// The console's own vocabulary: what the monitor produces and the API and UI consume.
// Field names of ClusterStatus are the public contract of GET /api/status (DESIGN.md §5).

/** Instant as an RFC 3339 / ISO 8601 string (UTC). */
export type Instant = string;

/** Health of one member (DTR replica, UCP manager, cache) as the console judges it. */
export type MemberStatus = 'healthy' | 'unhealthy' | 'unreachable' | 'unknown';

export type QuorumStatus = 'healthy' | 'degraded' | 'at-risk' | 'lost';

/** Quorum arithmetic for one group of n members with h of them healthy. */
export interface Quorum {
  members: number;
  healthy: number;
  majority: number;
  failuresTolerated: number;
  margin: number;
  status: QuorumStatus;
}

/** Result of one health probe (e.g. DTR `/_ping`, UCP manager `/_ping`). */
export interface ProbeResult {
  status: MemberStatus;
  /** Readable reason when not healthy, e.g. "rethinkdb: ..." or "connection refused". */
  error: string | null;
  latencyMs: number | null;
  checkedAt: Instant;
}

/** A probe result that has been through the monitor: confirmed, with the time it last changed. */
export interface TrackedProbe extends ProbeResult {
  since: Instant;
}

// ---------------------------------------------------------------------------
// DTR

/** One entry of DTR `replicaSettings`, reshaped. */
export interface DtrReplicaConfig {
  id: string;
  /** UCP node hostname the replica runs on. */
  node: string;
  httpPort: number;
  httpsPort: number;
}

/** What one replica's `/api/v0/meta/cluster_status` says about the cluster (its own view). */
export interface DtrClusterView {
  /** Replica that answered, when known. */
  reportedBy: string | null;
  /** Per replica: "OK" or an error text. null when the deployment does not report it. */
  replicaHealth: Record<string, string> | null;
  /** Per replica: last self-report time. */
  replicaTimestamp: Record<string, Instant>;
  replicaReadonly: Record<string, boolean>;
  /** Every table ready for writes; null when table status is missing. */
  tablesReadyForWrites: boolean | null;
  /** "db.table" names that are not ready for writes. */
  tablesNotWritable: string[];
  /** Replica IDs whose RethinkDB server shows as not ready (disconnected, waiting...) in any shard. */
  replicasNotReady: string[];
  currentIssues: { critical: boolean; description: string }[];
  gcLockHolder: string | null;
}

export interface ReplicaState {
  // Contract fields
  id: string;
  node: string;
  status: MemberStatus;
  error: string | null;
  latencyMs: number | null;
  since: Instant;
  checkedAt: Instant;
  // Additional detail
  httpPort: number;
  httpsPort: number;
  /** Address the replica was probed at (host of its node), when known. */
  address: string | null;
  /** The replica's own `/_ping` verdict, before the cluster's view is joined in. */
  ping: TrackedProbe;
  /** What the cluster_status view says of this replica: "OK", an error text, or null if unknown. */
  clusterHealth: string | null;
  /** Last self-report (replica_timestamp), when known. */
  lastReport: Instant | null;
  readonly: boolean | null;
}

export interface DtrQuorum {
  replicas: number;
  healthy: number;
  majority: number;
  failuresTolerated: number;
  margin: number;
  status: QuorumStatus;
}

/** A DTR content cache as registered in DTR (`/api/v0/content_caches`). */
export interface DtrCacheConfig {
  id: string;
  name: string;
  /** The host as registered: `https://cache.example.com:443`, or a bare `host[:port]`. */
  url: string;
}

/** One registered content cache and its own `/v2/` probe. */
export interface CacheState {
  id: string;
  name: string;
  /** The host as registered in DTR. */
  url: string;
  /** Hostname of the UCP node the cache's host resolves to, when one matches. */
  node: string | null;
  status: MemberStatus;
  error: string | null;
  latencyMs: number | null;
  since: Instant;
  checkedAt: Instant;
}

export interface DtrState {
  version: string | null;
  replicas: ReplicaState[];
  quorum: DtrQuorum;
  /** The cluster view used, or null when none could be read. */
  clusterView: DtrClusterView | null;
  /** Registered content caches. Absent in snapshots from before caches were tracked. */
  caches?: CacheState[];
}

// ---------------------------------------------------------------------------
// UCP

export type NodeRole = 'manager' | 'worker';
export type NodeAvailability = 'active' | 'pause' | 'drain' | 'unknown';
export type NodeState = 'ready' | 'down' | 'unknown' | 'disconnected';
export type Reachability = 'reachable' | 'unreachable' | 'unknown';
/** What a node hosts that matters to HA. */
export type HostedRole = 'dtr-replica' | 'ucp-manager' | 'dtr-cache';

export interface ManagerDetail {
  leader: boolean;
  reachability: Reachability;
  /** ManagerStatus.Addr (host:port of the Raft endpoint). */
  raftAddr: string | null;
  /** The manager's own `/_ping`, when probed. */
  ping: TrackedProbe | null;
}

export interface ClusterNode {
  // Contract fields
  id: string;
  hostname: string;
  role: NodeRole;
  availability: NodeAvailability;
  state: NodeState;
  message: string;
  /** Best address for the node: ManagerStatus.Addr host for managers, else Status.Addr. */
  addr: string | null;
  labels: Record<string, string>;
  engineVersion: string | null;
  nanoCpus: number | null;
  memoryBytes: number | null;
  hosts: HostedRole[];
  // Additional detail
  os: string | null;
  architecture: string | null;
  manager: ManagerDetail | null;
}

export interface ManagerSummary {
  total: number;
  reachable: number;
  /** Hostname of the Raft leader, if any. */
  leader: string | null;
  majority: number;
  failuresTolerated: number;
  margin: number;
  status: QuorumStatus;
}

export interface UcpState {
  managers: ManagerSummary;
  nodes: ClusterNode[];
  /**
   * Where nodes and managers are read: UCP's API, or a plain Swarm manager's Docker Engine API
   * (DOCKER_HOST, no UCP). Absent in snapshots from before it was added: read as 'ucp'.
   */
  via?: 'ucp' | 'engine';
}

// ---------------------------------------------------------------------------
// Sources and the snapshot

export type SourceName = 'ucp' | 'dtr';

export interface SourceHealth {
  /** ok: last poll succeeded; stale: failing, last good data shown; error: never succeeded. */
  state: 'ok' | 'stale' | 'error';
  lastSuccessAt: Instant | null;
  lastError: string | null;
  checkedAt: Instant | null;
  /**
   * false: the operator did not configure this source (a Swarm-only console without DTR_URL).
   * Nothing is polled, `state` stays 'ok' with no times, and the section should say "not
   * configured" rather than show an empty (lost) quorum. Absent means configured.
   */
  configured?: boolean;
}

export interface ClusterSnapshot {
  generatedAt: Instant;
  mode: 'demo' | 'live';
  dtr: DtrState;
  ucp: UcpState;
  sources: Record<SourceName, SourceHealth>;
  /** Poll interval in force, so viewers can judge freshness. */
  pollIntervalMs: number;
}

// ---------------------------------------------------------------------------
// Warnings

export const WARNING_CODES = [
  'DTR_QUORUM_LOST',
  'DTR_QUORUM_AT_RISK',
  'DTR_REPLICA_UNHEALTHY',
  'DTR_REPLICA_OFFLINE_LONG',
  'DTR_REPLICA_STALE_REPORT',
  'DTR_TWO_REPLICAS',
  'DTR_EVEN_REPLICAS',
  'DTR_SINGLE_REPLICA',
  'DTR_TOO_MANY_REPLICAS',
  'DTR_REPLICA_ON_MANAGER',
  'DTR_PING_DISAGREES',
  'DTR_TABLES_NOT_WRITABLE',
  'UCP_QUORUM_LOST',
  'UCP_QUORUM_AT_RISK',
  'UCP_MANAGER_UNREACHABLE',
  'UCP_FEW_MANAGERS',
  'UCP_EVEN_MANAGERS',
  'NODE_DOWN',
  'ZONE_CONCENTRATION',
  'CACHE_SINGLE_REPLICA',
  'CACHE_UNHEALTHY',
  'SOURCE_UNREACHABLE',
] as const;

export type WarningCode = (typeof WARNING_CODES)[number];
export type Severity = 'critical' | 'warning' | 'info';

export interface Warning {
  code: WarningCode;
  severity: Severity;
  title: string;
  /** The consequence, in plain words. */
  detail: string;
  /** What to do next. */
  nextStep: string;
  /** Replica IDs, node hostnames or source names the warning is about. */
  subjects: string[];
  /** The exact command to run, where one exists (never containing a password). */
  command?: string;
  /** A console route that helps with the next step, e.g. "/replicas/remove?replica=...". */
  href?: string;
}

/** GET /api/status */
export interface ClusterStatus extends ClusterSnapshot {
  warnings: Warning[];
  /** Node label that names a failure zone (ZONE_LABEL), for zone views. */
  zoneLabel?: string;
}
