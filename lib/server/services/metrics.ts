// GET /api/metrics: the latest cluster status as Prometheus gauges, plus this process's own
// metrics. Every value is read from the status /api/status serves at scrape time; a scrape never
// probes anything itself (beyond the first poll getClusterStatus waits for after a start).
import 'server-only';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import {
  MEMBER_STATUSES,
  type ClusterStatus,
  type NodeRole,
  type NodeState,
  type Quorum,
  type QuorumStatus,
  type SourceName,
} from '@/lib/domain/types';
import type { InstanceRole } from '@/lib/monitor/feed';
import { getClusterStatus, type StatusContext } from './status';

/** Every metric name starts with this, the Node process metrics included. */
export const METRICS_PREFIX = 'dtr_console_';

const QUORUM_STATUSES: readonly QuorumStatus[] = [
  'healthy',
  'degraded',
  'at-risk',
  'lost',
  'unknown',
];
const NODE_ROLES: readonly NodeRole[] = ['manager', 'worker'];
const NODE_STATES: readonly NodeState[] = ['ready', 'down', 'unknown', 'disconnected'];
const SOURCES: readonly SourceName[] = ['ucp', 'dtr'];

/** This console instance, as /api/healthz describes it. */
export interface ConsoleInfo {
  mode: 'demo' | 'live';
  role: InstanceRole;
}

function gauges(registry: Registry, prefix: string) {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name: `${prefix}${name}`, help, labelNames, registers: [registry] });
  return {
    quorumMembers: gauge(
      'quorum_members',
      'Members of the quorum group: DTR replicas (plane="dtr") or UCP managers (plane="ucp").',
      ['plane'],
    ),
    quorumHealthy: gauge(
      'quorum_healthy_members',
      'Members counting toward quorum now: healthy DTR replicas, or reachable UCP managers.',
      ['plane'],
    ),
    quorumMajority: gauge(
      'quorum_majority_members',
      'Members that must be healthy for the group to keep quorum (a strict majority).',
      ['plane'],
    ),
    quorumTolerated: gauge(
      'quorum_failures_tolerated',
      'Member failures the group survives by design: (members - 1) div 2.',
      ['plane'],
    ),
    quorumMargin: gauge(
      'quorum_margin',
      'Further member failures the group survives right now: 0 means one more loss is an outage, negative means quorum is lost.',
      ['plane'],
    ),
    quorumLost: gauge(
      'quorum_lost',
      '1 when the group has lost quorum (fewer healthy members than the majority): DTR or UCP stops accepting writes.',
      ['plane'],
    ),
    quorumStatus: gauge(
      'quorum_status',
      "1 for the group's quorum status (healthy, degraded, at-risk: margin 0 on a group designed to tolerate failures, lost), 0 for the others.",
      ['plane', 'status'],
    ),
    replicaUp: gauge(
      'dtr_replica_up',
      '1 when the DTR replica is healthy (its /_ping and the cluster view agree), 0 otherwise.',
      ['replica', 'node'],
    ),
    replicaStatus: gauge(
      'dtr_replica_status',
      "1 for the DTR replica's status as the console judges it (healthy, unhealthy, unreachable, unreachable-from-console, unknown, ghost), 0 for the others.",
      ['replica', 'node', 'status'],
    ),
    replicaLatency: gauge(
      'dtr_replica_probe_latency_seconds',
      'Duration of the last health probe of the DTR replica; absent when the probe got no answer.',
      ['replica', 'node'],
    ),
    managerReachable: gauge(
      'ucp_manager_reachable',
      '1 when the UCP manager is reachable in the Raft cluster and counts toward its quorum, 0 otherwise.',
      ['node'],
    ),
    managerLeader: gauge(
      'ucp_manager_leader',
      '1 on the UCP manager that is the Raft leader; no manager at 1 means the managers have no leader.',
      ['node'],
    ),
    cacheUp: gauge(
      'dtr_cache_up',
      '1 when the DTR content cache answers its /v2/ probe, 0 otherwise.',
      ['cache'],
    ),
    cacheReplicaUp: gauge(
      'dtr_cache_replica_up',
      "1 when the cache's replica (a node labelled dtr.cache=true that serves it) answers its own /v2/ probe, 0 otherwise.",
      ['cache', 'node'],
    ),
    nodes: gauge(
      'nodes',
      'Cluster nodes by role and state (ready, down, unknown, disconnected) as UCP or the Swarm reports them.',
      ['role', 'state'],
    ),
    warnings: gauge(
      'warnings',
      'Active console warnings by code and severity (critical, warning, info); absent when none of that code is active.',
      ['code', 'severity'],
    ),
    sourceUp: gauge(
      'source_up',
      "1 when the console's last poll of the source (ucp, dtr) succeeded, 0 when it fails and the data shown is stale or missing.",
      ['source'],
    ),
    sourceLastSuccess: gauge(
      'source_last_success_timestamp_seconds',
      'Unix time of the last successful poll of the source; absent when it never succeeded.',
      ['source'],
    ),
    snapshotTimestamp: gauge(
      'snapshot_timestamp_seconds',
      'Unix time the latest cluster snapshot was taken.',
    ),
    snapshotAge: gauge(
      'snapshot_age_seconds',
      'Age of the latest cluster snapshot at scrape time: well above the poll interval means polling has stalled.',
    ),
    pollInterval: gauge(
      'poll_interval_seconds',
      'How often the console polls the cluster (POLL_INTERVAL_MS), to judge snapshot_age_seconds against.',
    ),
    info: gauge(
      'info',
      'Always 1: this console instance (host:pid), its role (single, poller or standby), the instance whose snapshot it serves, and its mode (demo or live).',
      ['console_instance', 'role', 'poller', 'mode'],
    ),
    isPoller: gauge(
      'is_poller',
      '1 when this console instance polls the cluster itself (the only console, or the elected poller), 0 on a standby.',
    ),
  };
}

type Gauges = ReturnType<typeof gauges>;

const seconds = (iso: string): number => Date.parse(iso) / 1000;
const oneIf = (condition: boolean): number => (condition ? 1 : 0);

/** Sets every gauge from `status`; label sets of the previous scrape are dropped first. */
function record(g: Gauges, status: ClusterStatus, info: ConsoleInfo, now: number): void {
  for (const metric of Object.values(g)) metric.reset();

  // A plane whose source is not configured (DTR on a Swarm-only console) has no quorum to report:
  // its empty member list would read as a lost quorum.
  const dtrConfigured = status.sources.dtr.configured !== false;
  const planes: (Quorum & { plane: 'dtr' | 'ucp' })[] = [];
  if (dtrConfigured) {
    const q = status.dtr.quorum;
    planes.push({ plane: 'dtr', ...q, members: q.replicas });
  }
  if (status.sources.ucp.configured !== false) {
    const m = status.ucp.managers;
    planes.push({ plane: 'ucp', ...m, members: m.total, healthy: m.reachable });
  }
  for (const q of planes) {
    const labels = { plane: q.plane };
    g.quorumMembers.set(labels, q.members);
    g.quorumHealthy.set(labels, q.healthy);
    g.quorumMajority.set(labels, q.majority);
    g.quorumTolerated.set(labels, q.failuresTolerated);
    g.quorumMargin.set(labels, q.margin);
    g.quorumLost.set(labels, oneIf(q.status === 'lost'));
    for (const s of QUORUM_STATUSES)
      g.quorumStatus.set({ ...labels, status: s }, oneIf(q.status === s));
  }

  if (dtrConfigured) {
    for (const replica of status.dtr.replicas) {
      const labels = { replica: replica.id, node: replica.node };
      g.replicaUp.set(labels, oneIf(replica.status === 'healthy'));
      for (const s of MEMBER_STATUSES)
        g.replicaStatus.set({ ...labels, status: s }, oneIf(replica.status === s));
      if (replica.latencyMs !== null) g.replicaLatency.set(labels, replica.latencyMs / 1000);
    }
    for (const cache of status.dtr.caches ?? []) {
      g.cacheUp.set({ cache: cache.name }, oneIf(cache.status === 'healthy'));
      for (const replica of cache.replicas ?? [])
        g.cacheReplicaUp.set(
          { cache: cache.name, node: replica.node },
          oneIf(replica.status === 'healthy'),
        );
    }
  }

  for (const role of NODE_ROLES) for (const state of NODE_STATES) g.nodes.set({ role, state }, 0);
  for (const node of status.ucp.nodes) {
    g.nodes.inc({ role: node.role, state: node.state });
    if (node.role === 'manager' && node.manager) {
      g.managerReachable.set(
        { node: node.hostname },
        oneIf((node.manager.quorumVote ?? 'unknown') === 'up'),
      );
      g.managerLeader.set({ node: node.hostname }, oneIf(node.manager.leader));
    }
  }

  for (const warning of status.warnings)
    g.warnings.inc({ code: warning.code, severity: warning.severity });

  for (const source of SOURCES) {
    const health = status.sources[source];
    if (health.configured === false) continue;
    g.sourceUp.set({ source }, oneIf(health.state === 'ok'));
    if (health.lastSuccessAt) g.sourceLastSuccess.set({ source }, seconds(health.lastSuccessAt));
  }

  g.snapshotTimestamp.set(seconds(status.generatedAt));
  g.snapshotAge.set(Math.max(0, now - Date.parse(status.generatedAt)) / 1000);
  g.pollInterval.set(status.pollIntervalMs / 1000);

  const { role, instance, poller } = info.role;
  g.info.set({ console_instance: instance, role, poller: poller ?? '', mode: info.mode }, 1);
  g.isPoller.set(oneIf(role !== 'standby'));
}

/** One registry: the console's gauges and the Node process metrics, under one prefix. */
export class ConsoleMetrics {
  readonly registry = new Registry();
  private readonly gauges: Gauges;

  /** `labels` go on every series (a fleet console's `cluster`). */
  constructor(prefix = METRICS_PREFIX, labels?: Record<string, string>) {
    if (labels) this.registry.setDefaultLabels(labels);
    this.gauges = gauges(this.registry, prefix);
    collectDefaultMetrics({ register: this.registry, prefix });
  }

  /**
   * The Prometheus text for `status`, as seen by `info` at `now` (ms since the epoch). Concurrent
   * scrapes cannot mix their values: registry.metrics() reads every gauge before it first awaits.
   */
  render(status: ClusterStatus, info: ConsoleInfo, now = Date.now()): Promise<string> {
    record(this.gauges, status, info, now);
    return this.registry.metrics();
  }
}

/** The response to GET /api/metrics. */
export async function metricsResponse(
  runtime: StatusContext & { metrics: ConsoleMetrics; role(): InstanceRole },
): Promise<Response> {
  const status = await getClusterStatus(runtime);
  const body = await runtime.metrics.render(status, {
    mode: runtime.config.mode,
    role: runtime.role(),
  });
  return new Response(body, {
    headers: { 'content-type': runtime.metrics.registry.contentType, 'cache-control': 'no-store' },
  });
}
