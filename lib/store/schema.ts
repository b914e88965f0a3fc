// Table shapes as Kysely sees them. Times in history tables are epoch milliseconds (bigint);
// JSON columns are text so the same queries run on SQLite and Postgres.
import type { Generated } from 'kysely';

export interface HistoryEventTable {
  /** The cluster's name (migration 0007; "default" for a single-cluster console). */
  cluster: Generated<string>;
  id: Generated<number>;
  at: number;
  kind: string;
  subject: string;
  from_state: string | null;
  to_state: string;
  /** JSON HistoryDetail */
  detail: string;
}

/** One row per sample and tier: resolution_ms 0 for raw samples, else the bucket size. */
export interface HistorySampleTable {
  /** The cluster's name (migration 0007; "default" for a single-cluster console). */
  cluster: Generated<string>;
  resolution_ms: number;
  at: number;
  count: number;
  dtr_replicas: number;
  dtr_majority: number;
  dtr_healthy: number;
  dtr_healthy_min: number;
  dtr_margin: number;
  dtr_margin_min: number;
  ucp_managers: number;
  ucp_majority: number;
  ucp_reachable: number;
  ucp_reachable_min: number;
  ucp_margin: number;
  ucp_margin_min: number;
  /** JSON { replicaId: [avgMs | null, maxMs | null, replies, probes] } (see LatencyStat) */
  latency: string;
}

/** The last known state of each subject, so "offline since" survives a restart. */
export interface MemberStateTable {
  /** The cluster's name (migration 0007; "default" for a single-cluster console). */
  cluster: Generated<string>;
  kind: string;
  subject: string;
  state: string;
  since: number;
  detail: string;
  updated_at: number;
}

export interface WizardRunTable {
  /** The cluster's name (migration 0007; "default" for a single-cluster console). */
  cluster: Generated<string>;
  id: string;
  kind: string;
  status: string;
  step: string;
  /** JSON object */
  state: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  /** The cluster's name; null for a fleet-wide entry (a sign-in, say). Migration 0007. */
  cluster: string | null;
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  ip: string | null;
  /** JSON */
  detail: string;
}

/** Sessions signed out before their expiry; a row is only needed until then. */
export interface RevokedSessionTable {
  id: string;
  /** Epoch ms. */
  expires_at: number;
}

/** The polling instance's latest snapshot of each cluster (name: the cluster's), served by the other instances. */
export interface ClusterSnapshotTable {
  name: string;
  instance: string;
  generated_at: string;
  /** JSON ClusterSnapshot */
  snapshot: string;
  /** Epoch ms. */
  updated_at: number;
}

/** Alerting (migration 0006); times are epoch ms. */
export interface AlertIncidentTable {
  /** The cluster's name (migration 0007; "default" for a single-cluster console). */
  cluster: Generated<string>;
  id: string;
  grp: string;
  phase: string;
  severity: string;
  since: number;
  resolved_at: number | null;
  updated_at: number;
  /** JSON Incident */
  data: string;
}

export interface AlertChannelTable {
  id: string;
  name: string;
  kind: string;
  url: string;
  min_severity: string;
  enabled: number;
  origin: string;
  /** Encrypted (lib/alerts/secrets); never the plain secret. */
  secret: string | null;
  last_error: string | null;
  last_error_at: number | null;
  last_delivery_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface AlertDeliveryTable {
  /** The cluster's name (migration 0007; "default" for a single-cluster console). */
  cluster: Generated<string>;
  id: Generated<number>;
  incident_id: string;
  transition: string;
  channel_id: string;
  channel_name: string;
  instance: string;
  status: string;
  attempts: number;
  error: string | null;
  claimed_at: number;
  finished_at: number | null;
}

/** Gated execution (migration 0008); times are epoch ms. */
export interface ExecutionTable {
  cluster: string;
  id: string;
  run_id: string;
  kind: string;
  actor: string;
  ip: string | null;
  instance: string;
  status: string;
  node: string | null;
  image_ref: string;
  image_id: string | null;
  repo_digest: string | null;
  container_id: string | null;
  /** JSON string[] */
  argv_public: string;
  exit_code: number | null;
  refusal: string | null;
  lease_until: number | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  log_tail: string;
}

/** One output line of an execution; (execution_id, seq) is the key. */
export interface ExecutionLineTable {
  execution_id: string;
  seq: number;
  stream: string;
  /** Epoch ms. */
  at: number;
  text: string;
  level: string | null;
}

/** A step without a container that holds a cluster meanwhile (migration 0010); epoch ms. */
export interface ExecutionHoldTable {
  cluster: string;
  id: string;
  kind: string;
  actor: string;
  instance: string;
  subject: string;
  created_at: number;
  expires_at: number;
}

export interface StoreSchema {
  history_events: HistoryEventTable;
  history_samples: HistorySampleTable;
  member_states: MemberStateTable;
  wizard_runs: WizardRunTable;
  audit_log: AuditLogTable;
  revoked_sessions: RevokedSessionTable;
  cluster_snapshots: ClusterSnapshotTable;
  alert_incidents: AlertIncidentTable;
  alert_channels: AlertChannelTable;
  alert_deliveries: AlertDeliveryTable;
  executions: ExecutionTable;
  execution_lines: ExecutionLineTable;
  execution_holds: ExecutionHoldTable;
}
