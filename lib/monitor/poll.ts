// One poll of one cluster: sources, then every member's probe, joined into a ClusterSnapshot.
import 'server-only';
import type { ClusterTarget } from '@/lib/config';
import { DEFAULT_STALE_REPORT_MS } from '@/lib/domain/assess/context';
import { cacheBackings } from '@/lib/domain/cache-replicas';
import { annotateHosts, replicaAddress } from '@/lib/domain/placement';
import type {
  CacheState,
  ClusterNode,
  ClusterSnapshot,
  DtrCacheConfig,
  DtrClusterView,
  DtrReplicaConfig,
  DtrReplicaRuntime,
  DtrStorage,
  MemberStatus,
  ProbeResult,
  SourceHealth,
  SourceName,
  TrackedProbe,
} from '@/lib/domain/types';
import { findNode, judgeDtrQuorum } from '@/lib/domain/verdicts';
import { cacheProbeUrl, type DtrClient } from '@/lib/sources/dtr';
import { memberOrigin, originOf } from '@/lib/sources/http';
import type { ClusterInventory } from '@/lib/sources/inventory';
import { isNoLeaderError } from '@/lib/sources/errors';
import {
  cacheNode,
  cacheProbeRefusal,
  installedVersion,
  judgeManagers,
  replicaState,
  withoutRaftWord,
} from './assemble';
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
  /** The origin the probe dials (`scheme://host:port`), when it dials one: watched for closes. */
  origin: string | null;
  run: () => Promise<ProbeResult>;
  /** The same probe with the quick timeout, when there is one. */
  quick: (() => Promise<ProbeResult>) | null;
}

/** What one poll hands the next. Owned and mutated by pollCluster; cycles never overlap. */
export interface PollMemory {
  /** Last node list UCP returned (no hosts, no pings). */
  nodes: ClusterNode[] | null;
  replicas: DtrReplicaConfig[] | null;
  /** Image storage from the same settings read as the replicas; kept when a later read fails. */
  storage: DtrStorage | null;
  clusterView: DtrClusterView | null;
  /** Last content cache list DTR returned; kept when a later read fails. */
  caches: DtrCacheConfig[] | null;
  sources: Record<SourceName, SourceHealth>;
  /** Confirmed probe per member ("replica:<id>", "manager:<node id>", "cache:<id>"). */
  probes: Map<string, TrackedProbe>;
  /** Judged status of each replica and when it last changed. */
  verdicts: Map<string, { status: MemberStatus; since: string }>;
  /**
   * The replicas' containers as UCP last listed them, and when (see RUNTIME_*_MS). With nothing
   * read yet, `failures` reads have failed and the next is due at `retryAtMs`.
   */
  runtimes: {
    value: DtrReplicaRuntime[] | null;
    readAtMs: number;
    failures?: number;
    retryAtMs?: number;
  } | null;
  /** The installed DTR version last known (kept when a container read fails). */
  dtrVersion: string | null;
  /** Recent /_ping latencies per replica, newest last (for the median). */
  latencies: Map<string, number[]>;
  /** What the last poll read and which probes it ran: a member's re-probe assembles from it. */
  last: PollContext | null;
}

/** The inventory side of the last poll, kept so that one member can be re-probed on its own. */
interface PollContext {
  jobs: ProbeJob[];
  replicaJobs: ((ProbeJob & { address: string }) | null)[];
  nodes: ClusterNode[];
  nodesFresh: boolean;
  swarmSaysNoLeader: boolean;
  replicas: DtrReplicaConfig[];
  viewFresh: boolean;
  caches: DtrCacheConfig[];
  backings: ReturnType<typeof cacheBackings>;
}

export function emptyMemory(dtrConfigured = true): PollMemory {
  return {
    nodes: null,
    replicas: null,
    storage: null,
    clusterView: null,
    caches: null,
    sources: { ucp: NEVER_CHECKED, dtr: dtrConfigured ? NEVER_CHECKED : NOT_CONFIGURED },
    probes: new Map(),
    verdicts: new Map(),
    runtimes: null,
    dtrVersion: null,
    latencies: new Map(),
    last: null,
  };
}

// The replicas' containers (versions, images, which are stopped) change only on upgrade or
// failure: read them every 10 minutes while every replica is healthy, every poll otherwise (a
// stopped container is then what tells a dead replica from one the console cannot reach).
const RUNTIME_REFRESH_MS = 10 * 60_000;
/** Container states older than this say nothing about a member's state now. */
const RUNTIME_EVIDENCE_MS = 30_000;
/**
 * While no container read has succeeded, a failed one is tried again after this many ms, doubled
 * after each further failure (1 s, 2 s, 4 s …), at most RUNTIME_RETRY_MAX_MS: the installed DTR
 * version comes from the containers, and a wizard planned while it is unknown names VERSION.
 */
const RUNTIME_RETRY_FIRST_MS = 1_000;
const RUNTIME_RETRY_MAX_MS = 60_000;
/** Polls a replica's latency median is taken over. */
const LATENCY_WINDOW = 5;

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
  const startedMs = startedAt.getTime();
  const at = startedAt.toISOString();

  // Phase 1: inventories, concurrently. Let the DTR client reach replicas directly if DTR_URL is down.
  // Replicas with refused settings are left out; the client skips any endpoint it cannot use.
  dtr?.useReplicaEndpoints(
    (memory.replicas ?? []).flatMap((r) => {
      const address = r.problem ? null : replicaAddress(r, memory.nodes ?? []);
      return address ? [{ id: r.id, address, httpPort: r.httpPort, httpsPort: r.httpsPort }] : [];
    }),
  );
  const [nodesResult, replicasResult, viewResult, cachesResult, runtimesResult] =
    await Promise.allSettled([
      listNodes(deps, memory),
      dtr?.getReplicas() ?? NOTHING,
      dtr?.getClusterView() ?? NOTHING,
      dtr?.getContentCaches() ?? NOTHING,
      runtimesDue(deps, memory, startedMs)
        ? cluster.dtrRuntimes().then((value) => ({ value }))
        : NOTHING,
    ]);
  // A failed cache list keeps the last one: each cache's own probe still says whether it is up.
  if (cachesResult.status === 'fulfilled' && cachesResult.value) memory.caches = cachesResult.value;
  if (nodesResult.status === 'fulfilled') memory.nodes = nodesResult.value;
  if (replicasResult.status === 'fulfilled' && replicasResult.value) {
    memory.replicas = replicasResult.value.replicas;
    memory.storage = replicasResult.value.storage;
  }
  if (viewResult.status === 'fulfilled' && viewResult.value) memory.clusterView = viewResult.value;
  rememberRuntimes(memory, runtimesResult, startedMs);
  memory.sources = {
    ucp: nextSourceHealth(memory.sources.ucp, failedMessage(nodesResult), at),
    dtr: dtr
      ? nextSourceHealth(memory.sources.dtr, dtrError(replicasResult, viewResult), at)
      : NOT_CONFIGURED,
  };
  const nodesFresh = nodesResult.status === 'fulfilled';
  const swarmSaysNoLeader =
    nodesResult.status === 'rejected' && isNoLeaderError(nodesResult.reason);
  // Once the node list cannot be read, Raft's old word on who is reachable is void (who it last
  // called unreachable stays so). A plain Swarm with no earlier list still knows its managers.
  const nodes = nodesFresh
    ? (memory.nodes ?? [])
    : (memory.nodes ?? (cluster.pingManager === null ? await knownManagers(cluster) : [])).map(
        withoutRaftWord,
      );
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
            origin: managerOrigin(target, addr),
            run: () => ping(addr),
            quick: quickPing ? () => quickPing(addr) : null,
          },
        ];
      })
    : [];
  const caches = dtr ? (memory.caches ?? []) : [];
  const quickDtr = quick?.dtr ?? null;
  // A cache's host comes from DTR's settings, which any DTR admin can write: probe only the
  // cluster's own nodes and the hosts the operator allowed (PROBE_ALLOWED_HOSTS), never any URL.
  const cacheJobs = dtr
    ? caches.map((c): ProbeJob => {
        const refused = cacheProbeRefusal(c.url, nodes, target.probeAllowedHosts ?? []);
        if (refused !== null) {
          const run = () =>
            Promise.resolve<ProbeResult>({
              status: 'unknown',
              error: refused,
              latencyMs: null,
              checkedAt: deps.now().toISOString(),
            });
          return { key: `cache:${c.id}`, origin: null, run, quick: null };
        }
        return {
          key: `cache:${c.id}`,
          origin: cacheOrigin(c.url),
          run: () => dtr.probeCache(c.url),
          quick: quickDtr ? () => quickDtr.probeCache(c.url) : null,
        };
      })
    : [];
  // The replicas of a cache behind a load balancer, each on its node's own address (the load
  // balancer's answer hides one replica down). See lib/domain/cache-replicas.ts for the rule.
  const backings = cacheBackings(
    caches.map((c) => ({ id: c.id, node: cacheNode(c.url, nodes) })),
    nodes,
  );
  const cacheReplicaJobs = dtr
    ? caches.flatMap((c): ProbeJob[] => {
        const backing = backings.get(c.id);
        if (backing?.layout !== 'load-balancer') return [];
        return backing.nodes.map((hostname): ProbeJob => {
          const key = `cache:${c.id}:replica:${hostname}`;
          const node = nodes.find((n) => n.hostname === hostname);
          const host = node && !node.addrProblem ? replicaCacheHost(c.url, node.addr) : null;
          if (host === null) {
            const error = node?.addrProblem
              ? `not probed: node ${hostname}: ${node.addrProblem}`
              : `not probed: node ${hostname} has no usable address`;
            const run = () =>
              Promise.resolve<ProbeResult>({
                status: 'unknown',
                error,
                latencyMs: null,
                checkedAt: deps.now().toISOString(),
              });
            return { key, origin: null, run, quick: null };
          }
          return {
            key,
            origin: cacheOrigin(host),
            run: () => dtr.probeCache(host),
            quick: quickDtr ? () => quickDtr.probeCache(host) : null,
          };
        });
      })
    : [];
  const jobs: ProbeJob[] = [
    ...replicaJobs.flatMap((j) => (j ? [j] : [])),
    ...managerJobs,
    ...cacheJobs,
    ...cacheReplicaJobs,
  ];
  const tracked = await Promise.all(jobs.map((job) => confirmJob(deps, memory, job)));
  memory.probes = new Map(jobs.map((job, i) => [job.key, tracked[i] as TrackedProbe]));
  memory.last = {
    jobs,
    replicaJobs,
    nodes,
    nodesFresh,
    swarmSaysNoLeader,
    replicas,
    viewFresh,
    caches,
    backings,
  };
  return assemble(deps, memory, memory.last, at, null);
}

/** One job's probe, confirmed against the member's last state (tracking.ts confirmProbe). */
function confirmJob(deps: PollDeps, memory: PollMemory, job: ProbeJob): Promise<TrackedProbe> {
  const quick = deps.quick;
  const reprobe: QuickReprobe | undefined =
    quick && job.quick
      ? {
          probe: guard(job.quick, deps.now),
          timeoutMs: deps.target.probeTimeoutMs,
          quickTimeoutMs: quick.timeoutMs,
        }
      : undefined;
  return confirmProbe(memory.probes.get(job.key), guard(job.run, deps.now), reprobe);
}

/**
 * Probes one member again between polls (its kept connection was closed by the member), with
 * the same confirming re-probe as a poll's, and assembles a snapshot from the last poll's
 * inventory and every member's latest probe. null when the last poll did not probe that member.
 * The caller serialises this with polls: PollMemory has one writer at a time.
 */
export async function reprobeMember(
  deps: PollDeps,
  memory: PollMemory,
  key: string,
): Promise<ClusterSnapshot | null> {
  const context = memory.last;
  const job = context?.jobs.find((j) => j.key === key);
  if (!context || !job) return null;
  const tracked = await confirmJob(deps, memory, job);
  memory.probes = new Map(memory.probes).set(key, tracked);
  return assemble(deps, memory, context, deps.now().toISOString(), key);
}

/** Which member probes dial each origin (from the last poll): a closed connection's members. */
export function probedOrigins(memory: PollMemory): Map<string, string[]> {
  const byOrigin = new Map<string, string[]>();
  for (const job of memory.last?.jobs ?? []) {
    if (job.origin === null) continue;
    byOrigin.set(job.origin, [...(byOrigin.get(job.origin) ?? []), job.key]);
  }
  return byOrigin;
}

/**
 * The snapshot from the inventory in `context` and the probes in memory. `probed`: the one
 * member re-probed on its own (only its latency joins the median), or null after a whole poll.
 */
function assemble(
  deps: PollDeps,
  memory: PollMemory,
  context: PollContext,
  at: string,
  probed: string | null,
): ClusterSnapshot {
  const { cluster, dtr, target } = deps;
  const { replicaJobs, nodes, nodesFresh, swarmSaysNoLeader, replicas, viewFresh, caches } =
    context;
  const { backings } = context;
  const ping = cluster.pingManager;
  const nowMs = deps.now().getTime();
  const runtimes = memory.runtimes;
  const runtimeEvidence =
    runtimes?.value && nowMs - runtimes.readAtMs <= RUNTIME_EVIDENCE_MS + target.pollIntervalMs
      ? runtimes.value
      : null;
  const view = { data: memory.clusterView, fresh: viewFresh };
  const replicaStates = replicas.map((r) => {
    const probe = memory.probes.get(`replica:${r.id}`) ?? null;
    const fresh = probed === null || probed === `replica:${r.id}`;
    if (fresh && probe?.latencyMs != null) rememberLatency(memory, r.id, probe.latencyMs);
    return replicaState({
      replica: r,
      address: replicaJobs.find((j) => j?.key === `replica:${r.id}`)?.address ?? null,
      notProbedBecause: notProbedBecause(r, nodes),
      probe,
      view,
      nodes,
      nodesFresh,
      runtime: runtimes?.value?.find((x) => x.replicaId === r.id) ?? null,
      runtimeEvidence: runtimeEvidence !== null,
      previous: memory.verdicts.get(r.id),
      at,
      nowMs,
      staleReportMs: DEFAULT_STALE_REPORT_MS,
      latencyMedianMs: median(memory.latencies.get(r.id)),
    });
  });
  for (const id of memory.latencies.keys())
    if (!replicas.some((r) => r.id === id)) memory.latencies.delete(id);
  memory.verdicts = new Map(replicaStates.map((s) => [s.id, { status: s.status, since: s.since }]));
  const cacheStates = caches.map((c): CacheState => {
    const probe = memory.probes.get(`cache:${c.id}`) as TrackedProbe;
    const backing = backings.get(c.id) ?? { layout: 'outside', nodes: [] };
    const own = {
      status: probe.status,
      error: probe.error,
      latencyMs: probe.latencyMs,
      since: probe.since,
      checkedAt: probe.checkedAt,
    };
    return {
      id: c.id,
      name: c.name,
      url: c.url,
      node: cacheNode(c.url, nodes),
      ...own,
      layout: backing.layout,
      replicas: backing.nodes.map((hostname) => {
        if (backing.layout === 'node') return { node: hostname, ...own };
        const p = memory.probes.get(`cache:${c.id}:replica:${hostname}`) as TrackedProbe;
        const { status, error, latencyMs, since, checkedAt } = p;
        return { node: hostname, status, error, latencyMs, since, checkedAt };
      }),
    };
  });
  const quorum = judgeDtrQuorum(replicaStates, view);
  memory.dtrVersion = installedVersion(runtimes?.value ?? null) ?? memory.dtrVersion;

  const annotated = annotateHosts(nodes, replicas);
  const managers = judgeManagers(annotated, {
    listFresh: nodesFresh,
    swarmSaysNoLeader,
    pings: ping ? memory.probes : null,
  });

  return {
    generatedAt: deps.now().toISOString(),
    mode: deps.mode,
    dtr: {
      version: target.dtrVersion ?? memory.dtrVersion,
      replicas: replicaStates,
      quorum,
      clusterView: memory.clusterView,
      storage: memory.storage,
      // Absent until DTR has listed its caches once: unknown, not "none".
      ...(dtr && memory.caches ? { caches: cacheStates } : {}),
    },
    ucp: { managers: managers.summary, nodes: managers.nodes, via: cluster.kind },
    sources: memory.sources,
    pollIntervalMs: target.pollIntervalMs,
  };
}

/**
 * Read the containers this poll? Always while a replica is not healthy; else every 10 minutes,
 * or soon after a failure while none was ever read (RUNTIME_RETRY_*).
 */
function runtimesDue(deps: PollDeps, memory: PollMemory, nowMs: number): boolean {
  if (deps.dtr === null) return false;
  const last = memory.runtimes;
  if (!last) return true;
  // Nothing read yet: the retry time after a failure; else the read's age.
  const dueAtMs = last.retryAtMs ?? last.readAtMs + RUNTIME_REFRESH_MS;
  if (nowMs >= dueAtMs) return true;
  return [...memory.verdicts.values()].some((v) => v.status !== 'healthy');
}

function rememberRuntimes(
  memory: PollMemory,
  result: PromiseSettledResult<{ value: DtrReplicaRuntime[] | null } | null>,
  nowMs: number,
): void {
  if (result.status === 'fulfilled') {
    // null: not due this poll; the last read stands.
    if (result.value) memory.runtimes = { value: result.value.value, readAtMs: nowMs };
    return;
  }
  // A failed read keeps what was known (and is tried again next poll, being due). With nothing
  // known, it is tried again soon, then less often while it keeps failing.
  const last = memory.runtimes;
  if (last && last.retryAtMs === undefined) return;
  const failures = (last?.failures ?? 0) + 1;
  const delay = Math.min(RUNTIME_RETRY_MAX_MS, RUNTIME_RETRY_FIRST_MS * 2 ** (failures - 1));
  memory.runtimes = { value: null, readAtMs: nowMs, failures, retryAtMs: nowMs + delay };
}

function rememberLatency(memory: PollMemory, id: string, latencyMs: number): void {
  const list = memory.latencies.get(id) ?? [];
  list.push(latencyMs);
  if (list.length > LATENCY_WINDOW) list.shift();
  memory.latencies.set(id, list);
}

function median(values: readonly number[] | undefined): number | null {
  if (!values || values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * One probe per replica whose node has an address. A replica without one (its node gone from
 * the node list, or no usable address) is not probed: never through DTR_URL as a stand-in, where
 * the load balancer would answer for a replica that is gone.
 */
function replicaProbeJobs(
  dtr: DtrClient,
  quickDtr: QuickProbes['dtr'],
  settings: NonNullable<ClusterTarget['dtr']>,
  replicas: DtrReplicaConfig[],
  nodes: ClusterNode[],
): ((ProbeJob & { address: string }) | null)[] {
  return replicas.map((r) => {
    const address = r.problem ? null : replicaAddress(r, nodes);
    if (!address) return null;
    const port = settings.probeScheme === 'https' ? r.httpsPort : r.httpPort;
    let origin: string | null;
    try {
      origin = originOf(settings.probeScheme, address, port);
    } catch {
      origin = null;
    }
    return {
      key: `replica:${r.id}`,
      origin,
      address,
      run: () => dtr.probeReplica(address, port),
      quick: quickDtr ? () => quickDtr.probeReplica(address, port) : null,
    };
  });
}

/** Why a replica is not probed, when the console refused its settings or its node's address. */
function notProbedBecause(r: DtrReplicaConfig, nodes: readonly ClusterNode[]): string | null {
  if (r.problem) return r.problem;
  const node = findNode(nodes, r.node);
  return node?.addrProblem ? `node ${node.hostname}: ${node.addrProblem}` : null;
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

/** The origin a manager's /_ping dials: UCP_URL's scheme and port on the manager's address. */
function managerOrigin(target: ClusterTarget, addr: string): string | null {
  try {
    return target.ucp ? memberOrigin(target.ucp.url, addr) : null;
  } catch {
    return null;
  }
}

/** The origin a cache probe dials, null when the address is not usable (the probe says why). */
function cacheOrigin(url: string): string | null {
  try {
    return new URL(cacheProbeUrl(url)).origin;
  } catch {
    return null;
  }
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

/**
 * The cache as registered, with its host swapped for a replica node's address: the same scheme
 * and port. The document's stack publishes the cache's port on every replica node and the load
 * balancer forwards to that port, so this is what the load balancer's own health check reaches.
 */
export function replicaCacheHost(registered: string, addr: string | null): string | null {
  if (!addr) return null;
  try {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(registered.trim())
      ? registered.trim()
      : `https://${registered.trim()}`;
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    const host = addr.includes(':') ? `[${addr}]` : addr;
    return `${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`;
  } catch {
    return null;
  }
}
