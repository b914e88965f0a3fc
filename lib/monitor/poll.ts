// One poll of one cluster: sources, then every member's probe, joined into a ClusterSnapshot.
import 'server-only';
import type { ClusterTarget } from '@/lib/config';
import { annotateHosts, replicaAddress } from '@/lib/domain/placement';
import { assessQuorum } from '@/lib/domain/quorum';
import type {
  CacheState,
  ClusterNode,
  ClusterSnapshot,
  DtrCacheConfig,
  DtrClusterView,
  DtrReplicaConfig,
  MemberStatus,
  ProbeResult,
  SourceHealth,
  SourceName,
  TrackedProbe,
} from '@/lib/domain/types';
import type { DtrClient } from '@/lib/sources/dtr';
import type { ClusterInventory } from '@/lib/sources/inventory';
import { cacheNode, managerSummary, replicaState, withoutRaftWord } from './assemble';
import {
  confirmProbe,
  errorMessage,
  type QuickReprobe,
  NEVER_CHECKED,
  nextSourceHealth,
  NOT_CONFIGURED,
} from './tracking';

export interface PollDeps {
  /** UCP, or a Swarm manager's Engine API (DOCKER_HOST). */
  cluster: ClusterInventory;
  /** null when DTR is not configured (Swarm-only). */
  dtr: DtrClient | null;
  target: ClusterTarget;
  mode: 'demo' | 'live';
  now: () => Date;
  /**
   * The same probes with a short timeout (tracking.ts quickTimeoutMs), to confirm a probe that
   * timed out. Without it, every confirming re-probe waits the whole probe timeout.
   */
  quick?: QuickProbes;
}

export interface QuickProbes {
  timeoutMs: number;
  dtr: Pick<DtrClient, 'probeReplica' | 'probeCache'> | null;
  pingManager: ((host: string) => Promise<ProbeResult>) | null;
}

interface ProbeJob {
  key: string;
  run: () => Promise<ProbeResult>;
  /** The same probe with the quick timeout, when there is one. */
  quick: (() => Promise<ProbeResult>) | null;
}

/** What one poll hands the next. Owned and mutated by pollCluster; cycles never overlap. */
export interface PollMemory {
  /** Last node list UCP returned (no hosts, no pings). */
  nodes: ClusterNode[] | null;
  replicas: DtrReplicaConfig[] | null;
  clusterView: DtrClusterView | null;
  /** Last content cache list DTR returned; kept when a later read fails. */
  caches: DtrCacheConfig[] | null;
  sources: Record<SourceName, SourceHealth>;
  /** Confirmed probe per member ("replica:<id>", "manager:<node id>", "cache:<id>"). */
  probes: Map<string, TrackedProbe>;
  /** Judged status of each replica and when it last changed. */
  verdicts: Map<string, { status: MemberStatus; since: string }>;
  dtrVersion: { value: string | null; checkedAtMs: number } | null;
}

export function emptyMemory(dtrConfigured = true): PollMemory {
  return {
    nodes: null,
    replicas: null,
    clusterView: null,
    caches: null,
    sources: { ucp: NEVER_CHECKED, dtr: dtrConfigured ? NEVER_CHECKED : NOT_CONFIGURED },
    probes: new Map(),
    verdicts: new Map(),
    dtrVersion: null,
  };
}

// The installed version changes only on upgrade: look again every 10 minutes, or each minute until known.
const VERSION_REFRESH_MS = 10 * 60_000;
const VERSION_RETRY_MS = 60_000;

function failedMessage(result: PromiseSettledResult<unknown>): string | null {
  return result.status === 'rejected' ? errorMessage(result.reason) : null;
}

const NOTHING = Promise.resolve(null);

/**
 * GET /nodes. Where no per-manager ping exists (a plain Swarm), a failed /nodes call alone turns
 * the managers' quorum to lost, so a failure right after a success is confirmed by one retry.
 */
async function listNodes(deps: PollDeps, memory: PollMemory): Promise<ClusterNode[]> {
  try {
    return await deps.cluster.listNodes();
  } catch (err) {
    if (deps.cluster.pingManager !== null || memory.sources.ucp.state !== 'ok') throw err;
    return deps.cluster.listNodes();
  }
}

async function knownManagers(cluster: ClusterInventory): Promise<ClusterNode[]> {
  try {
    return (await cluster.knownManagers?.()) ?? [];
  } catch {
    return [];
  }
}

export async function pollCluster(deps: PollDeps, memory: PollMemory): Promise<ClusterSnapshot> {
  const { cluster, dtr, target } = deps;
  const startedAt = deps.now();
  const at = startedAt.toISOString();

  // Phase 1: inventories, concurrently. Let the DTR client reach replicas directly if DTR_URL is down.
  dtr?.useReplicaEndpoints(
    (memory.replicas ?? []).flatMap((r) => {
      const address = replicaAddress(r, memory.nodes ?? []);
      return address ? [{ id: r.id, address, httpPort: r.httpPort, httpsPort: r.httpsPort }] : [];
    }),
  );
  const [nodesResult, replicasResult, viewResult, cachesResult] = await Promise.allSettled([
    listNodes(deps, memory),
    dtr?.getReplicas() ?? NOTHING,
    dtr?.getClusterView() ?? NOTHING,
    dtr?.getContentCaches() ?? NOTHING,
  ]);
  // A failed cache list keeps the last one: each cache's own probe still says whether it is up.
  if (cachesResult.status === 'fulfilled' && cachesResult.value) memory.caches = cachesResult.value;
  if (nodesResult.status === 'fulfilled') memory.nodes = nodesResult.value;
  if (replicasResult.status === 'fulfilled' && replicasResult.value)
    memory.replicas = replicasResult.value.replicas;
  if (viewResult.status === 'fulfilled' && viewResult.value) memory.clusterView = viewResult.value;
  memory.sources = {
    ucp: nextSourceHealth(memory.sources.ucp, failedMessage(nodesResult), at),
    dtr: dtr
      ? nextSourceHealth(memory.sources.dtr, dtrError(replicasResult, viewResult), at)
      : NOT_CONFIGURED,
  };
  const nodesFresh = nodesResult.status === 'fulfilled';
  // A plain Swarm's only word on its managers is /nodes: once that fails, Raft's old word is void.
  // With no earlier list, the managers the daemon knows of still give the quorum its size.
  const nodes =
    nodesFresh || cluster.pingManager !== null
      ? (memory.nodes ?? [])
      : (memory.nodes ?? (await knownManagers(cluster))).map(withoutRaftWord);
  const replicas = memory.replicas ?? [];
  const viewFresh = viewResult.status === 'fulfilled';

  // Phase 2: every member's own probe, concurrently, each confirmed against its last state.
  const quick = deps.quick;
  const replicaJobs =
    dtr && target.dtr ? replicaProbeJobs(dtr, quick?.dtr ?? null, target.dtr, replicas, nodes) : [];
  const ping = cluster.pingManager;
  const quickPing = quick?.pingManager ?? null;
  const managerJobs = ping
    ? nodes.flatMap((n): ProbeJob[] => {
        const addr = n.role === 'manager' ? n.addr : null;
        if (!addr) return [];
        return [
          {
            key: `manager:${n.id}`,
            run: () => ping(addr),
            quick: quickPing ? () => quickPing(addr) : null,
          },
        ];
      })
    : [];
  const caches = dtr ? (memory.caches ?? []) : [];
  const quickDtr = quick?.dtr ?? null;
  const cacheJobs = dtr
    ? caches.map((c): ProbeJob => ({
        key: `cache:${c.id}`,
        run: () => dtr.probeCache(c.url),
        quick: quickDtr ? () => quickDtr.probeCache(c.url) : null,
      }))
    : [];
  const jobs: ProbeJob[] = [...replicaJobs, ...managerJobs, ...cacheJobs];
  const reprobeOf = (job: ProbeJob): QuickReprobe | undefined =>
    quick && job.quick
      ? {
          probe: guard(job.quick, deps.now),
          timeoutMs: target.probeTimeoutMs,
          quickTimeoutMs: quick.timeoutMs,
        }
      : undefined;
  const [tracked] = await Promise.all([
    Promise.all(
      jobs.map((job) =>
        confirmProbe(memory.probes.get(job.key), guard(job.run, deps.now), reprobeOf(job)),
      ),
    ),
    refreshDtrVersion(deps, memory, startedAt.getTime()),
  ]);
  memory.probes = new Map(jobs.map((job, i) => [job.key, tracked[i] as TrackedProbe]));

  const replicaStates = replicas.map((r, i) =>
    replicaState(
      r,
      replicaJobs[i]?.address ?? null,
      tracked[i] as TrackedProbe,
      { data: memory.clusterView, fresh: viewFresh },
      memory.verdicts.get(r.id),
      at,
    ),
  );
  memory.verdicts = new Map(replicaStates.map((s) => [s.id, { status: s.status, since: s.since }]));
  const cacheStates = caches.map((c): CacheState => {
    const probe = memory.probes.get(`cache:${c.id}`) as TrackedProbe;
    return {
      id: c.id,
      name: c.name,
      url: c.url,
      node: cacheNode(c.url, nodes),
      status: probe.status,
      error: probe.error,
      latencyMs: probe.latencyMs,
      since: probe.since,
      checkedAt: probe.checkedAt,
    };
  });
  const healthy = replicaStates.filter((s) => s.status === 'healthy').length;
  const q = assessQuorum(replicaStates.length, healthy);

  const annotated = annotateHosts(nodes, replicas).map((n) =>
    n.manager
      ? { ...n, manager: { ...n.manager, ping: memory.probes.get(`manager:${n.id}`) ?? null } }
      : n,
  );

  return {
    generatedAt: deps.now().toISOString(),
    mode: deps.mode,
    dtr: {
      version: target.dtrVersion ?? memory.dtrVersion?.value ?? null,
      replicas: replicaStates,
      quorum: {
        replicas: q.members,
        healthy: q.healthy,
        majority: q.majority,
        failuresTolerated: q.failuresTolerated,
        margin: q.margin,
        status: q.status,
      },
      clusterView: memory.clusterView,
      // Absent until DTR has listed its caches once: unknown, not "none".
      ...(dtr && memory.caches ? { caches: cacheStates } : {}),
    },
    ucp: { managers: managerSummary(annotated, nodesFresh), nodes: annotated, via: cluster.kind },
    sources: memory.sources,
    pollIntervalMs: target.pollIntervalMs,
  };
}

function replicaProbeJobs(
  dtr: DtrClient,
  quickDtr: QuickProbes['dtr'],
  settings: NonNullable<ClusterTarget['dtr']>,
  replicas: DtrReplicaConfig[],
  nodes: ClusterNode[],
): (ProbeJob & { address: string })[] {
  const dtrHost = new URL(settings.url).hostname;
  return replicas.map((r) => {
    const address = replicaAddress(r, nodes) ?? dtrHost;
    const port = settings.probeScheme === 'https' ? r.httpsPort : r.httpPort;
    return {
      key: `replica:${r.id}`,
      address,
      run: () => dtr.probeReplica(address, port),
      quick: quickDtr ? () => quickDtr.probeReplica(address, port) : null,
    };
  });
}

function dtrError(
  replicas: PromiseSettledResult<unknown>,
  view: PromiseSettledResult<unknown>,
): string | null {
  const parts = [
    ...(replicas.status === 'rejected' ? [`replica list: ${errorMessage(replicas.reason)}`] : []),
    ...(view.status === 'rejected' ? [`cluster status: ${errorMessage(view.reason)}`] : []),
  ];
  return parts.length > 0 ? parts.join('; ') : null;
}

/** Probes never reject by contract; this keeps a bug in one from sinking the whole poll. */
function guard(run: () => Promise<ProbeResult>, now: () => Date): () => Promise<ProbeResult> {
  return () =>
    run().catch((err: unknown) => ({
      status: 'unknown',
      error: `probe failed: ${errorMessage(err)}`,
      latencyMs: null,
      checkedAt: now().toISOString(),
    }));
}

async function refreshDtrVersion(deps: PollDeps, memory: PollMemory, nowMs: number): Promise<void> {
  if (deps.target.dtrVersion !== null || deps.dtr === null) return;
  const last = memory.dtrVersion;
  if (last && nowMs - last.checkedAtMs < (last.value ? VERSION_REFRESH_MS : VERSION_RETRY_MS))
    return;
  try {
    memory.dtrVersion = {
      value: (await deps.cluster.dtrVersion()) ?? last?.value ?? null,
      checkedAtMs: nowMs,
    };
  } catch {
    // Keep what we knew; try again a minute later.
    const value = last?.value ?? null;
    memory.dtrVersion = {
      value,
      checkedAtMs: value ? nowMs - VERSION_REFRESH_MS + VERSION_RETRY_MS : nowMs,
    };
  }
}
