// The console's own vocabulary: what the monitor produces and the API and UI consume.
// Field names of ClusterStatus are the public contract of GET /api/status (DESIGN.md §5).

/** Instant as an RFC 3339 / ISO 8601 string (UTC). */
export type Instant = string;

/** What one probe found: the member answered healthy or unhealthy, did not answer, or could not be judged. */
export type ProbeStatus = 'healthy' | 'unhealthy' | 'unreachable' | 'unknown';

/**
 * A member's verdict (DTR replica, UCP manager, cache), combining the console's probe, the
 * cluster's own view and the inventory (lib/domain/verdicts). Besides a probe's four outcomes:
 * - `unreachable-from-console`: the console cannot reach it, the cluster says it is fine (a
 *   network or firewall problem between the console and the member, not a member failure);
 * - `ghost`: DTR lists the replica, but its node is gone from UCP's node list.
 */
export type MemberStatus = ProbeStatus | 'unreachable-from-console' | 'ghost';

export const MEMBER_STATUSES: readonly MemberStatus[] = [
  'healthy',
  'unhealthy',
  'unreachable',
  'unreachable-from-console',
  'unknown',
  'ghost',
];

/**
 * `unknown`: members of unknown state could swing the verdict (e.g. 1 healthy and 2 unknown of
 * 3), so the console cannot tell whether a majority works. `lost` is said only when corroborated.
 */
export type QuorumStatus = 'healthy' | 'degraded' | 'at-risk' | 'lost' | 'unknown';

/** Whether a member counts towards its group's majority: up, down, or not known. */
export type QuorumVote = 'up' | 'down' | 'unknown';

/**
 * How a probe ended, finer than its status: the console's column of the verdict table.
 * ok: healthy answer; failing: the member answered and says it is not healthy (or answered
 * with something that is not a health answer); refused / timeout / network: no answer;
 * tls: the TLS handshake failed, so the answer could not be trusted.
 */
export type ProbeKind = 'ok' | 'failing' | 'garbage' | 'refused' | 'timeout' | 'network' | 'tls';

/** Quorum arithmetic for one group of n members with h of them healthy. */
export interface Quorum {
  members: number;
  healthy: number;
  majority: number;
  failuresTolerated: number;
  margin: number;
  status: QuorumStatus;
  /** Members whose state is not known (counted neither up nor down). */
  unknown: number;
}

/** Result of one health probe (e.g. DTR `/_ping`, UCP manager `/_ping`). */
export interface ProbeResult {
  status: ProbeStatus;
  /** How it ended; absent in snapshots from before it was recorded (read from `status`). */
  kind?: ProbeKind;
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
  /**
   * Why this replica's settings cannot be used to reach it (an ID, port or node the console
   * refuses); absent when fine. Such a replica is not probed and shows this as its reason.
   */
  problem?: string;
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
  /**
   * Replica IDs whose RethinkDB server appears in any shard (ready or not): the replicas whose
   * readiness this view shows. Absent in snapshots from before it was recorded.
   */
  replicasInTables?: string[];
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
  /** The replica's own `/_ping` verdict, before the cluster's view is joined in; null when not probed. */
  ping: TrackedProbe | null;
  /** What the cluster_status view says of this replica: "OK", an error text, or null if unknown. */
  clusterHealth: string | null;
  /** Last self-report (replica_timestamp), when known. */
  lastReport: Instant | null;
  readonly: boolean | null;
  /** Why the status is what it is, in one sentence, and the evidence it rests on. */
  verdict: Verdict;
  /** Whether it counts towards DTR's majority (RethinkDB's own readiness when the cluster shows it). */
  quorumVote: QuorumVote;
  /** Median /_ping latency over the last few polls, in ms, when the console got answers. */
  latencyMedianMs?: number | null;
  /** The replica's DTR version and image, from its running `dtr-registry` container, when UCP lists it. */
  image?: DtrImageRef | null;
  /** Its `dtr-*` containers as UCP listed them recently: how many, and the components stopped. */
  containers?: { total: number; stopped: string[] } | null;
}

/** A container image, split: `registry.mirantis.com/msr/dtr-registry:2.10.4`. */
export interface DtrImageRef {
  /** Repository without the tag, e.g. `docker/dtr-registry`, `registry.mirantis.com/msr/dtr-registry`. */
  repository: string;
  /** The tag: the DTR version, e.g. `2.9.16`. */
  tag: string;
}

/** One replica's `dtr-*` containers as UCP lists them (running or not). */
export interface DtrReplicaRuntime {
  replicaId: string;
  /** The node UCP names the containers on, when it does. */
  node: string | null;
  /** How many of the replica's `dtr-*` containers are listed. */
  containers: number;
  /** Components whose container is not running ("nginx", "rethinkdb", …), sorted. */
  stopped: string[];
  /** Image of its `dtr-registry` container: the replica's DTR version. */
  image: DtrImageRef | null;
}

/** The console's own probe, reduced to what the verdict table distinguishes. */
export type ConsoleEvidence = 'ok' | 'failing' | 'no-answer' | 'inconclusive' | 'not-probed';
/**
 * What the cluster's own view says: ok (a fresh view with a working majority vouches for it),
 * failing (such a view reports it failing, not ready or silent for too long), cut-off (only a
 * view without a majority is available, and it cannot see the member), silent (nothing usable).
 */
export type ClusterEvidence = 'ok' | 'failing' | 'cut-off' | 'silent';
/**
 * What the inventory says of the member's node: ready, down (not ready, or its containers are
 * stopped), absent (a fresh node list without it) or unknown (no fresh node list).
 */
export type InventoryEvidence = 'ready' | 'down' | 'absent' | 'unknown';

export interface Evidence {
  console: ConsoleEvidence;
  cluster: ClusterEvidence;
  inventory: InventoryEvidence;
}

export interface Verdict {
  evidence: Evidence;
  /** One plain sentence: what each witness said and what follows. Free of ages and times. */
  reason: string;
}

export interface DtrQuorum {
  replicas: number;
  /** Members counted up (towards the majority). */
  healthy: number;
  majority: number;
  failuresTolerated: number;
  /** healthy - majority: the margin if every member of unknown state is down. */
  margin: number;
  status: QuorumStatus;
  /** Members whose state the console cannot tell. */
  unknown: number;
  /** What the verdict rests on, in one sentence. */
  basis: string;
}

/** A DTR content cache as registered in DTR (`/api/v0/content_caches`). */
export interface DtrCacheConfig {
  id: string;
  name: string;
  /** The host as registered: `https://cache.example.com:443`, or a bare `host[:port]`. */
  url: string;
}

/**
 * Which nodes serve a registered cache, as far as the console can tell (lib/domain/cache-replicas.ts):
 * - node: DTR lists the cache at one node's own hostname or address: one replica, on that node;
 * - load-balancer: DTR lists it at an address that is no node (its load balancer), and it is the
 *   only such cache: every node labelled `dtr.cache=true` that no other cache claims is a replica;
 * - ambiguous: several caches are listed at non-node addresses: the labelled nodes serve one of
 *   them, the console cannot tell which;
 * - outside: listed at a non-node address with no labelled node left: it runs outside this cluster.
 */
export type CacheLayout = 'node' | 'load-balancer' | 'ambiguous' | 'outside';

/** One replica (a labelled node) of a registered cache, and that node's own `/v2/` probe. */
export interface CacheReplica {
  /** Hostname of the node. */
  node: string;
  status: MemberStatus;
  error: string | null;
  latencyMs: number | null;
  since: Instant;
  checkedAt: Instant;
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
  /** How the console attributes nodes to it. Absent in snapshots from before it was tracked. */
  layout?: CacheLayout;
  /**
   * Its replicas: the node it is registered at (layout `node`), or each labelled node behind its
   * load balancer, probed on its own address (layout `load-balancer`); empty otherwise.
   */
  replicas?: CacheReplica[];
}

/**
 * Where DTR keeps image data, as far as its settings (`/api/v0/meta/settings`) show:
 * - nfs: installed with `--nfs-storage-url`; every replica reads the same export;
 * - volume: `--dtr-storage-volume`, a volume or host path of that name on each node: shared
 *   only if it is a mount of the same shared storage on every DTR node;
 * - unknown: neither, so the settings do not say. Either each replica's own local volume, or
 *   cloud storage (S3, Azure, GCS, Swift, OSS) set up in DTR's web UI, which they never show.
 */
export type DtrStorage =
  | { kind: 'nfs'; host: string; path: string }
  | { kind: 'volume'; volume: string }
  | { kind: 'unknown' };

export interface DtrState {
  version: string | null;
  replicas: ReplicaState[];
  quorum: DtrQuorum;
  /** The cluster view used, or null when none could be read. */
  clusterView: DtrClusterView | null;
  /** Registered content caches. Absent in snapshots from before caches were tracked. */
  caches?: CacheState[];
  /**
   * Image storage from DTR's settings; null until the settings were read. Absent in snapshots
   * from before it was tracked (read as null).
   */
  storage?: DtrStorage | null;
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
  /** The manager's verdict: Raft for membership, /_ping and UCP's message for its health. */
  status?: MemberStatus;
  verdict?: Verdict;
  quorumVote?: QuorumVote;
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
  /** Why the address the node reported was not used (not a host a URL can carry); absent when fine. */
  addrProblem?: string;
}

export interface ManagerSummary {
  total: number;
  /** Managers Swarm Raft counts reachable (towards the majority). */
  reachable: number;
  /** Hostname of the Raft leader, if any. */
  leader: string | null;
  majority: number;
  failuresTolerated: number;
  margin: number;
  status: QuorumStatus;
  /** Managers whose Raft state the console cannot tell. */
  unknown: number;
  /** What the verdict rests on, in one sentence. */
  basis: string;
  /**
   * Swarm said it has no leader: in a node list with no leader, or in the error "The swarm does
   * not have a leader" instead of one.
   */
  noLeader: boolean;
}

export interface UcpState {
  managers: ManagerSummary;
  nodes: ClusterNode[];
  /**
   * Where nodes and managers are read: UCP's API, or a plain Swarm manager's Docker Engine API
   * (DOCKER_HOST, no UCP). Absent in snapshots from before it was added: read as 'ucp'.
   */
  via?: 'ucp' | 'engine';
  /**
   * Served documents only (GET /api/status without `?nodes=all`, the SSE snapshot): the whole
   * inventory counted, while `nodes` keeps only the nodes that matter (lib/domain/status-document).
   */
  nodeCounts?: NodeCounts;
  /** Served documents only: how much of the inventory `nodes` lists, and where the rest is. */
  nodeList?: NodeListInfo;
}

/** Every node of the inventory, counted (the slim status document's stand-in for the full list). */
export interface NodeCounts {
  total: number;
  role: Record<NodeRole, number>;
  state: Record<NodeState, number>;
  availability: Record<NodeAvailability, number>;
  /** Nodes per value of the zone label (`zoneLabel`); nodes without it are in `unzoned`. */
  zone: Record<string, number>;
  unzoned: number;
  /** Ready and active: the nodes that need no attention. */
  readyActive: number;
  /** Workers that host no replica, manager or cache: where applications run. */
  applicationWorkers: number;
}

/** What part of the inventory a served status document lists in `ucp.nodes`. */
export interface NodeListInfo {
  /** True when `ucp.nodes` is the whole inventory. */
  complete: boolean;
  /** Nodes listed in `ucp.nodes`. */
  listed: number;
  /** Nodes left out (ready, active application workers; and any beyond `attentionCap`). */
  omitted: number;
  /** Nodes needing attention (not ready or not active, or named by a warning) left out by the cap. */
  attentionOmitted: number;
  /** At most this many nodes needing attention that host nothing are listed. */
  attentionCap: number;
  /** The paged full inventory: `/api/nodes`. */
  href: string;
  /** The old full document: `/api/status?nodes=all`. */
  fullDocument: string;
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
  'DTR_QUORUM_UNKNOWN',
  'DTR_REPLICA_UNKNOWN',
  'DTR_REPLICA_GHOST',
  'DTR_REPLICAS_SHARE_NODE',
  'DTR_REPLICA_READONLY',
  'DTR_VERSION_SKEW',
  'DTR_REPLICA_SLOW',
  'UCP_QUORUM_LOST',
  'UCP_QUORUM_AT_RISK',
  'UCP_QUORUM_UNKNOWN',
  'UCP_NO_LEADER',
  'UCP_MANAGER_UNREACHABLE',
  'UCP_MANAGER_UNHEALTHY',
  'UCP_PING_DISAGREES',
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
  /**
   * The incident this warning belongs to: warnings with one cause share a group (a lost quorum
   * and its missing members; a stopped replica's unhealthy, at-risk and node-down facts). Set by
   * assessCluster; every code stays in the list for scripts and metrics.
   */
  group?: string;
  /** The card that stands for its group; the others fold inside it. */
  primary?: boolean;
  /**
   * Every next step for this situation, least destructive first (lib/domain/advice). `nextStep`,
   * `command` and `href` are the step recommended now: the ladder's first that applies.
   */
  ladder?: AdviceStep[];
}

/**
 * One rung of the advice ladder. Rungs run from least to most destructive: look (reads only),
 * bring back (restarts what stopped; loses nothing), replace (remove and join), shrink
 * (emergency repair: the other replicas leave), restore (from backup: loses what came since).
 */
export interface AdviceStep {
  /** Stable: look, bring-back, check-storage, check-rethinkdb, check-tls, check-network, remove-join, emergency-repair, restore, … */
  id: string;
  level: 'look' | 'bring-back' | 'replace' | 'shrink' | 'restore';
  title: string;
  /** When it applies, in words. */
  when: string;
  /** What it risks. */
  risk: string;
  /** The exact command, where one exists (wrapped with ` \` continuations; no password). */
  command?: string;
  href?: string;
  /** The step recommended now (the warning's next step); later rungs wait until it fails. */
  recommended: boolean;
  /**
   * The person must confirm this sentence before the command is shown (e.g. that no replica could
   * be brought back before an emergency repair). The command stays in the API for scripts.
   */
  acknowledge?: string;
  /** The replicas the step acts on, where it can be run from the console (bring-back, EXECUTE=on). */
  replicaIds?: string[];
}

/** GET /api/status */
export interface ClusterStatus extends ClusterSnapshot {
  warnings: Warning[];
  /** Node label that names a failure zone (ZONE_LABEL), for zone views. */
  zoneLabel?: string;
  /** OFFLINE_LONG_MS: how long a failed replica is given to come back before removal is advised. */
  offlineLongMs?: number;
}
