// Test snapshots: `buildSnapshot()` is a healthy cluster (3 DTR replicas on dedicated workers,
// 3 UCP managers, 2 cache nodes, 4 application workers); say only what differs.
//
//   buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable'] })
//   buildSnapshot({ managers: ['healthy', { status: 'unreachable', hostname: 'mgr-b' }], zones: { 'dtr-1': 'a' } })
import { majority } from '@/lib/domain/quorum';
import {
  judgeDtrQuorum,
  judgeManager,
  judgeManagerQuorum,
  voteOfStatus,
} from '@/lib/domain/verdicts';
import type {
  CacheState,
  ClusterNode,
  ClusterSnapshot,
  DtrClusterView,
  DtrStorage,
  HostedRole,
  Instant,
  MemberStatus,
  NodeState,
  ProbeStatus,
  QuorumVote,
  Reachability,
  ReplicaState,
  SourceHealth,
  SourceName,
  TrackedProbe,
} from '@/lib/domain/types';

export const TEST_NOW: Instant = '2024-05-01T12:00:00.000Z';
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** The instant `ms` before `from` (TEST_NOW by default). */
export function ago(ms: number, from: Instant = TEST_NOW): Instant {
  return new Date(Date.parse(from) - ms).toISOString();
}

/** The default ID of the i-th replica (0-based): 12 lowercase hex characters. */
export function testReplicaId(index: number): string {
  return (0xa1b2c3000000 + (index + 1) * 0x111).toString(16);
}

export interface ReplicaSpec {
  id?: string;
  /** Hostname of the node it runs on; default `dtr-<n>`, a dedicated worker. A manager's or worker's hostname puts it there. */
  node?: string;
  status?: MemberStatus;
  error?: string | null;
  since?: Instant;
  /**
   * The replica's own `/_ping` verdict; defaults to `status` (unreachable for
   * unreachable-from-console); null: not probed (the default for a ghost).
   */
  ping?: ProbeStatus | null;
  /** Its vote towards the majority; defaults to what its status gives. */
  quorumVote?: QuorumVote;
  /** The tag of its dtr-registry image; default the snapshot's DTR version. null: not listed. */
  version?: string | null;
  /** Its median /_ping latency; default 12 ms when healthy. */
  latencyMedianMs?: number | null;
  /** What cluster_status says of it; defaults to "OK" when healthy, the error text otherwise. */
  clusterHealth?: string | null;
  lastReport?: Instant | null;
  readonly?: boolean | null;
  httpPort?: number;
  httpsPort?: number;
}

export interface ManagerSpec {
  /** Default `mgr-<n>`. */
  hostname?: string;
  /** Shorthand for the fields below: healthy, unhealthy (Raft-reachable, UCP unhealthy), unreachable (down), unknown. */
  status?: MemberStatus;
  reachability?: Reachability;
  state?: NodeState;
  /** The manager's `/_ping`; null when not probed. */
  ping?: ProbeStatus | null;
  leader?: boolean;
}

export interface SnapshotSpec {
  now?: Instant;
  mode?: ClusterSnapshot['mode'];
  dtrVersion?: string | null;
  replicas?: (MemberStatus | ReplicaSpec)[];
  managers?: (MemberStatus | ManagerSpec)[];
  /** Number of cache nodes `cache-<n>` (labelled dtr.cache=true, hosting dtr-cache). Default 2. */
  caches?: number;
  /**
   * The registered caches (dtr.caches). Default: the cache HA document's layout — one healthy
   * cache `cache` registered at its load balancer `https://cache.example.com:443`, served by every
   * cache node (none registered on its own). Given entries: one cache `cache-<n>` per cache node,
   * at `https://cache-<n>:443`, unreachable when its node is not ready, each entry merged over
   * those defaults (by position); null leaves dtr.caches out, as in snapshots from before caches.
   */
  registeredCaches?: (MemberStatus | Partial<CacheState>)[] | null;
  /** Number of application workers `worker-<n>`. Default 4. */
  workers?: number;
  /** Dedicated DTR workers without a replica, `dtr-<n>` numbered after the replicas'. Default 0. */
  spareDtrNodes?: number;
  /** dtr.storage (where DTR keeps images); left out unless given, as in older snapshots. */
  storage?: DtrStorage | null;
  /** Merged over the cluster view derived from the replicas; null for none. */
  clusterView?: Partial<DtrClusterView> | null;
  sources?: Partial<Record<SourceName, Partial<SourceHealth>>>;
  /** hostname → zone, written as the `zone` label. */
  zones?: Record<string, string>;
  /** hostname → fields merged over that node last (labels are merged, not replaced). */
  nodes?: Record<string, Partial<ClusterNode>>;
  pollIntervalMs?: number;
  /**
   * false: a Swarm-only console without DTR_URL (no replicas, no cluster view, the DTR source
   * `configured: false`). Default true.
   */
  dtrConfigured?: boolean;
  /** Where nodes come from: UCP (default) or a plain Swarm manager's Engine API. */
  via?: 'ucp' | 'engine';
  /** No manager is the Raft leader; `said`: Swarm answered "does not have a leader". */
  noLeader?: boolean | 'said';
}

const DEFAULT_ERROR: Record<MemberStatus, string | null> = {
  healthy: null,
  unhealthy: 'rethinkdb: unable to reach the database',
  unreachable: 'connect ECONNREFUSED',
  'unreachable-from-console': 'connect ECONNREFUSED',
  unknown: null,
  ghost: 'node is not in UCP’s node list',
};

const PROBE_OF: Record<MemberStatus, ProbeStatus | null> = {
  healthy: 'healthy',
  unhealthy: 'unhealthy',
  unreachable: 'unreachable',
  'unreachable-from-console': 'unreachable',
  unknown: 'unknown',
  ghost: null,
};

function probe(
  status: ProbeStatus,
  error: string | null,
  now: Instant,
  since: Instant,
): TrackedProbe {
  return { status, error, latencyMs: status === 'healthy' ? 12 : null, checkedAt: now, since };
}

function buildReplica(
  spec: MemberStatus | ReplicaSpec,
  index: number,
  now: Instant,
  dtrVersion: string | null,
): ReplicaState {
  const s: ReplicaSpec = typeof spec === 'string' ? { status: spec } : spec;
  const status = s.status ?? 'healthy';
  const error = s.error !== undefined ? s.error : DEFAULT_ERROR[status];
  const since = s.since ?? (status === 'healthy' ? ago(7 * 24 * HOUR, now) : ago(2 * MINUTE, now));
  const pingStatus = s.ping !== undefined ? s.ping : PROBE_OF[status];
  const vouched = status === 'healthy' || status === 'unreachable-from-console';
  const defaultClusterHealth = vouched
    ? 'OK'
    : status === 'unknown'
      ? null
      : (error ?? 'unhealthy');
  const node = s.node ?? `dtr-${index + 1}`;
  const quorumVote = s.quorumVote ?? voteOfStatus(status);
  const clusterHealth = s.clusterHealth !== undefined ? s.clusterHealth : defaultClusterHealth;
  const version = s.version !== undefined ? s.version : dtrVersion;
  return {
    id: s.id ?? testReplicaId(index),
    node,
    status,
    error,
    latencyMs: status === 'healthy' ? 12 : null,
    since,
    checkedAt: now,
    httpPort: s.httpPort ?? 80,
    httpsPort: s.httpsPort ?? 443,
    address: pingStatus === null ? null : node,
    ping:
      pingStatus === null
        ? null
        : probe(
            pingStatus,
            pingStatus === 'healthy' ? null : (error ?? DEFAULT_ERROR[pingStatus]),
            now,
            since,
          ),
    clusterHealth,
    lastReport:
      s.lastReport !== undefined
        ? s.lastReport
        : status === 'unknown'
          ? null
          : vouched
            ? ago(20 * SECOND, now)
            : since,
    readonly: s.readonly !== undefined ? s.readonly : false,
    verdict: {
      evidence: {
        console:
          pingStatus === null
            ? 'not-probed'
            : pingStatus === 'healthy'
              ? 'ok'
              : pingStatus === 'unhealthy'
                ? 'failing'
                : pingStatus === 'unreachable'
                  ? 'no-answer'
                  : 'inconclusive',
        cluster:
          clusterHealth === null
            ? 'silent'
            : clusterHealth.trim().toUpperCase() === 'OK'
              ? 'ok'
              : 'failing',
        inventory: status === 'ghost' ? 'absent' : 'ready',
      },
      reason: `test replica: ${status}`,
    },
    quorumVote,
    latencyMedianMs:
      s.latencyMedianMs !== undefined ? s.latencyMedianMs : status === 'healthy' ? 12 : null,
    image: version === null ? null : { repository: 'docker/dtr-registry', tag: version },
  };
}

function baseNode(
  hostname: string,
  role: ClusterNode['role'],
  hosts: HostedRole[],
  labels: Record<string, string> = {},
): ClusterNode {
  return {
    id: `node-${hostname}`,
    hostname,
    role,
    availability: 'active',
    state: 'ready',
    message: '',
    addr: null, // assigned once every node is known
    labels,
    engineVersion: '20.10.21',
    nanoCpus: 4_000_000_000,
    memoryBytes: 16 * 1024 ** 3,
    hosts,
    os: 'linux',
    architecture: 'x86_64',
    manager: null,
  };
}

function buildManager(spec: MemberStatus | ManagerSpec, index: number, now: Instant): ClusterNode {
  const s: ManagerSpec = typeof spec === 'string' ? { status: spec } : spec;
  const status = s.status ?? 'healthy';
  const reachability =
    s.reachability ??
    (status === 'unreachable' ? 'unreachable' : status === 'unknown' ? 'unknown' : 'reachable');
  const state =
    s.state ?? (status === 'unreachable' ? 'down' : status === 'unknown' ? 'unknown' : 'ready');
  const pingStatus: ProbeStatus | null =
    s.ping !== undefined ? s.ping : status === 'unknown' ? null : PROBE_OF[status];
  const node = baseNode(s.hostname ?? `mgr-${index + 1}`, 'manager', ['ucp-manager']);
  const since = ago(status === 'healthy' ? 7 * 24 * HOUR : 2 * MINUTE, now);
  node.state = state;
  node.message =
    status === 'healthy' || status === 'unreachable-from-console'
      ? 'Healthy UCP manager'
      : status === 'unknown'
        ? ''
        : `Unhealthy UCP manager: ${status === 'unreachable' ? 'node is unreachable' : 'etcd is unhealthy'}`;
  node.manager = {
    leader: s.leader ?? false,
    reachability,
    raftAddr: null,
    ping:
      pingStatus === null
        ? null
        : probe(pingStatus, pingStatus === 'healthy' ? null : 'HTTP 500', now, since),
  };
  return node;
}

export function buildSnapshot(spec: SnapshotSpec = {}): ClusterSnapshot {
  const now = spec.now ?? TEST_NOW;
  const managers = (spec.managers ?? ['healthy', 'healthy', 'healthy']).map((m, i) =>
    buildManager(m, i, now),
  );
  if (!spec.noLeader && !managers.some((m) => m.manager?.leader)) {
    const first = managers.find((m) => m.manager?.reachability === 'reachable');
    if (first?.manager) first.manager.leader = true;
  }
  const dtrConfigured = spec.dtrConfigured ?? true;
  const version = spec.dtrVersion !== undefined ? spec.dtrVersion : dtrConfigured ? '2.9.16' : null;
  const replicas = (dtrConfigured ? (spec.replicas ?? ['healthy', 'healthy', 'healthy']) : []).map(
    (r, i) => buildReplica(r, i, now, version),
  );
  const caches = Array.from({ length: spec.caches ?? 2 }, (_, i) =>
    baseNode(`cache-${i + 1}`, 'worker', ['dtr-cache'], { 'dtr.cache': 'true' }),
  );
  const workers = Array.from({ length: spec.workers ?? 4 }, (_, i) =>
    baseNode(`worker-${i + 1}`, 'worker', []),
  );
  const spares = Array.from({ length: spec.spareDtrNodes ?? 0 }, (_, i) =>
    baseNode(`dtr-${replicas.length + i + 1}`, 'worker', []),
  );

  const nodes: ClusterNode[] = [...managers];
  const others = [...caches, ...workers];
  for (const replica of replicas) {
    // A ghost's node is gone from the node list: that is what makes it a ghost.
    if (replica.status === 'ghost') continue;
    const existing = [...nodes, ...others].find((n) => n.hostname === replica.node);
    if (existing) {
      if (!existing.hosts.includes('dtr-replica')) existing.hosts.push('dtr-replica');
    } else {
      nodes.push(baseNode(replica.node, 'worker', ['dtr-replica']));
    }
  }
  nodes.push(...spares, ...others);

  nodes.forEach((node, i) => {
    node.addr = `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    if (node.manager) node.manager.raftAddr = `${node.addr}:2377`;
    const zone = spec.zones?.[node.hostname];
    if (zone !== undefined) node.labels = { ...node.labels, zone };
    const override = spec.nodes?.[node.hostname];
    if (override)
      Object.assign(node, { ...override, labels: { ...node.labels, ...override.labels } });
  });

  const managerNodes = nodes.filter((n) => n.role === 'manager' && n.manager);
  const ucpFresh = (spec.sources?.ucp?.state ?? 'ok') === 'ok';
  // Each manager judged by the verdict table, as the monitor does.
  for (const n of managerNodes) {
    if (!n.manager) continue;
    const judged = judgeManager({ node: n, listFresh: ucpFresh, ping: n.manager.ping });
    Object.assign(n.manager, {
      status: judged.status,
      verdict: judged.verdict,
      quorumVote: judged.quorumVote,
    });
  }
  const managerSummary = judgeManagerQuorum(
    managerNodes.map((n) => ({
      hostname: n.hostname,
      leader: n.manager?.leader === true,
      quorumVote: n.manager?.quorumVote ?? 'unknown',
    })),
    {
      listFresh: ucpFresh,
      swarmSaysNoLeader: spec.noLeader === 'said',
      pinged: (spec.via ?? 'ucp') === 'ucp',
    },
  );
  const clusterView =
    spec.clusterView === null || !dtrConfigured
      ? null
      : { ...deriveClusterView(replicas), ...spec.clusterView };
  const dtrQuorum = judgeDtrQuorum(replicas, {
    data: clusterView,
    fresh: (spec.sources?.dtr?.state ?? 'ok') === 'ok',
  });

  const source = (name: SourceName): SourceHealth =>
    name === 'dtr' && !dtrConfigured
      ? {
          state: 'ok',
          lastSuccessAt: null,
          lastError: null,
          checkedAt: null,
          configured: false,
          ...spec.sources?.[name],
        }
      : {
          state: 'ok',
          lastSuccessAt: now,
          lastError: null,
          checkedAt: now,
          configured: true,
          ...spec.sources?.[name],
        };

  const cacheNodes = nodes.filter((n) => n.labels['dtr.cache'] === 'true');
  const behindLb: Partial<CacheState> = {
    name: 'cache',
    url: 'https://cache.example.com:443',
    node: null,
  };
  const cacheStates =
    spec.registeredCaches === null || !dtrConfigured
      ? undefined
      : spec.registeredCaches === undefined
        ? cacheNodes.length > 0
          ? [buildCache(behindLb, 0, null, now)]
          : []
        : spec.registeredCaches.map((entry, i) => buildCache(entry, i, cacheNodes[i] ?? null, now));

  return {
    generatedAt: now,
    mode: spec.mode ?? 'demo',
    dtr: {
      version,
      replicas,
      quorum: dtrQuorum,
      clusterView,
      ...(cacheStates ? { caches: cacheStates } : {}),
      ...(spec.storage !== undefined && { storage: spec.storage }),
    },
    ucp: {
      managers: managerSummary,
      nodes,
      via: spec.via ?? 'ucp',
    },
    sources: { ucp: source('ucp'), dtr: source('dtr') },
    pollIntervalMs: spec.pollIntervalMs ?? 2000,
  };
}

function deriveClusterView(replicas: ReplicaState[]): DtrClusterView {
  const entries = <T>(pick: (r: ReplicaState) => T | null) =>
    Object.fromEntries(
      replicas.flatMap((r) => {
        const value = pick(r);
        return value === null ? [] : [[r.id, value] as const];
      }),
    );
  return {
    reportedBy: replicas.find((r) => r.status === 'healthy')?.id ?? null,
    replicaHealth: entries((r) => r.clusterHealth),
    replicaTimestamp: entries((r) => r.lastReport),
    replicaReadonly: entries((r) => r.readonly),
    // The tables take writes while a majority of the replicas count up.
    tablesReadyForWrites:
      replicas.length > 0 &&
      replicas.filter((r) => r.quorumVote === 'up').length >= majority(replicas.length),
    tablesNotWritable: [],
    replicasNotReady: replicas.filter((r) => r.quorumVote === 'down').map((r) => r.id),
    replicasInTables: replicas.filter((r) => r.quorumVote !== 'unknown').map((r) => r.id),
    currentIssues: [],
    gcLockHolder: null,
  };
}

function buildCache(
  entry: MemberStatus | Partial<CacheState>,
  index: number,
  node: ClusterNode | null,
  now: Instant,
): CacheState {
  const s: Partial<CacheState> = typeof entry === 'string' ? { status: entry } : entry;
  const name = s.name ?? `cache-${index + 1}`;
  const status = s.status ?? (node && node.state !== 'ready' ? 'unreachable' : 'healthy');
  return {
    id: `cache-id-${index + 1}`,
    name,
    url: `https://${node?.hostname ?? name}:443`,
    node: node?.hostname ?? null,
    status,
    error:
      status === 'healthy'
        ? null
        : status === 'unhealthy'
          ? '/v2/ answered HTTP 503: storage backend unreachable'
          : status === 'unreachable'
            ? 'connect ECONNREFUSED'
            : null,
    latencyMs: status === 'healthy' ? 12 : null,
    since: ago(status === 'healthy' ? 7 * 24 * HOUR : 2 * MINUTE, now),
    checkedAt: now,
    ...s,
  };
}
