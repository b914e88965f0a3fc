// Turning probes and inventories into the snapshot's replica states and managers, through the
// verdict tables of lib/domain/verdicts.
import type {
  ClusterNode,
  DtrClusterView,
  DtrReplicaConfig,
  DtrReplicaRuntime,
  ManagerSummary,
  MemberStatus,
  ReplicaState,
  TrackedProbe,
} from '@/lib/domain/types';
import {
  findNode,
  judgeManager,
  judgeManagerQuorum,
  judgeReplica,
  ownEntry,
  type ContainerState,
} from '@/lib/domain/verdicts';

export interface ReplicaStateInput {
  replica: DtrReplicaConfig;
  /** Where it was probed; null when it was not (no address). */
  address: string | null;
  /** Why it was not probed, when its settings or its node's address were refused. */
  notProbedBecause?: string | null;
  probe: TrackedProbe | null;
  view: { data: DtrClusterView | null; fresh: boolean };
  nodes: readonly ClusterNode[];
  nodesFresh: boolean;
  runtime: DtrReplicaRuntime | null;
  /** The containers were read recently enough to say something about now. */
  runtimeEvidence: boolean;
  previous: { status: MemberStatus; since: string } | undefined;
  at: string;
  nowMs: number;
  staleReportMs: number;
  latencyMedianMs: number | null;
}

function containerState(runtime: DtrReplicaRuntime | null, recent: boolean): ContainerState {
  if (!recent || !runtime || runtime.containers === 0) return 'unknown';
  // The front end (dtr-nginx) answers /_ping: with it stopped, or every container, the replica is down.
  if (runtime.stopped.includes('nginx') || runtime.stopped.length === runtime.containers)
    return 'stopped';
  return 'running';
}

/**
 * One replica's state: its verdict from the console's probe, the cluster's view and the
 * inventory. `since` moves only when the judged status changes, whichever witness changed it.
 */
export function replicaState(input: ReplicaStateInput): ReplicaState {
  const { replica: r, probe, previous, at } = input;
  const judgement = judgeReplica({
    id: r.id,
    node: r.node,
    probe,
    notProbedBecause: input.notProbedBecause ?? null,
    view: input.view,
    inventory: {
      fresh: input.nodesFresh,
      node: findNode(input.nodes, r.node),
      containers: containerState(input.runtime, input.runtimeEvidence),
    },
    nowMs: input.nowMs,
    staleReportMs: input.staleReportMs,
  });
  const status = judgement.status;
  let since: string;
  if (!previous) since = probe && status === probe.status ? probe.since : at;
  else if (previous.status === status) since = previous.since;
  else since = probe && probe.since > at ? probe.since : at;
  const view = input.view.data;
  const health = ownEntry(view?.replicaHealth, r.id);
  return {
    id: r.id,
    node: r.node,
    status,
    error: judgement.error,
    latencyMs: probe?.latencyMs ?? null,
    since,
    checkedAt: probe?.checkedAt ?? at,
    httpPort: r.httpPort,
    httpsPort: r.httpsPort,
    address: input.address,
    ping: probe,
    clusterHealth: health ?? null,
    lastReport: ownEntry(view?.replicaTimestamp, r.id) ?? null,
    readonly: ownEntry(view?.replicaReadonly, r.id) ?? null,
    verdict: judgement.verdict,
    quorumVote: judgement.quorumVote,
    latencyMedianMs: input.latencyMedianMs,
    image: input.runtime?.image ?? null,
    containers:
      input.runtime && input.runtimeEvidence && input.runtime.containers > 0
        ? { total: input.runtime.containers, stopped: input.runtime.stopped }
        : null,
  };
}

/** The installed DTR version: the most common tag among running replicas' dtr-registry images. */
export function installedVersion(runtimes: readonly DtrReplicaRuntime[] | null): string | null {
  const tally = new Map<string, number>();
  for (const r of runtimes ?? []) {
    if (!r.image || r.stopped.includes('registry')) continue;
    tally.set(r.image.tag, (tally.get(r.image.tag) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [tag, n] of tally) if (n > bestCount) [best, bestCount] = [tag, n];
  return best;
}

/**
 * Every manager's verdict (Raft for membership, its own /_ping and UCP's message for health) and
 * the managers' quorum. `pings`: the confirmed probes by "manager:<node id>", where UCP is pinged.
 */
export function judgeManagers(
  nodes: ClusterNode[],
  input: {
    listFresh: boolean;
    swarmSaysNoLeader: boolean;
    pings: ReadonlyMap<string, TrackedProbe> | null;
  },
): { nodes: ClusterNode[]; summary: ManagerSummary } {
  const judged = nodes.map((node): ClusterNode => {
    if (node.role !== 'manager' || !node.manager) return node;
    const ping = input.pings?.get(`manager:${node.id}`) ?? null;
    const j = judgeManager({ node, listFresh: input.listFresh, ping });
    return {
      ...node,
      manager: {
        ...node.manager,
        ping,
        status: j.status,
        verdict: j.verdict,
        quorumVote: j.quorumVote,
      },
    };
  });
  const managers = judged.filter((n) => n.role === 'manager');
  const summary = judgeManagerQuorum(
    managers.map((m) => ({
      hostname: m.hostname,
      leader: m.manager?.leader === true,
      quorumVote: m.manager?.quorumVote ?? 'unknown',
    })),
    {
      listFresh: input.listFresh,
      swarmSaysNoLeader: input.swarmSaysNoLeader,
      pinged: input.pings !== null,
    },
  );
  return { nodes: judged, summary };
}

/**
 * A manager from an old node list once its source stopped answering, where Raft (via /nodes) was
 * the only witness: no longer known reachable or leading. Known-unreachable stays unreachable.
 */
export function withoutRaftWord(node: ClusterNode): ClusterNode {
  if (!node.manager) return node;
  const reachability = node.manager.reachability === 'unreachable' ? 'unreachable' : 'unknown';
  return { ...node, manager: { ...node.manager, leader: false, reachability } };
}

/**
 * The node a cache host (as registered in DTR) runs on: its hostname, a subdomain-qualified
 * form of it (`cache-1.example.com` on node `cache-1`), or the node's address.
 */
export function cacheNode(url: string, nodes: ClusterNode[]): string | null {
  let host: string;
  try {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;
    host = new URL(withScheme).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
  const match =
    nodes.find((n) => n.hostname.toLowerCase() === host) ??
    nodes.find((n) => n.addr !== null && n.addr.toLowerCase() === host) ??
    nodes.find((n) => host.startsWith(`${n.hostname.toLowerCase()}.`));
  return match?.hostname ?? null;
}

/**
 * Why the console will not probe a cache registered at `url`; null when it may. It may when the
 * host is a node's own hostname or address in the node list, or one of `allowed`
 * (PROBE_ALLOWED_HOSTS). Anything else is an address only DTR's settings name (SSRF).
 */
export function cacheProbeRefusal(
  url: string,
  nodes: readonly ClusterNode[],
  allowed: readonly string[],
): string | null {
  let host: string;
  try {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim())
      ? url.trim()
      : `https://${url.trim()}`;
    const parsed = new URL(withScheme);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError('scheme');
    host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return 'not probed: the registered cache address is not a usable URL';
  }
  if (allowed.includes(host)) return null;
  if (nodes.some((n) => n.hostname.toLowerCase() === host || n.addr?.toLowerCase() === host))
    return null;
  return `not probed: ${host.length > 64 ? `${host.slice(0, 63)}…` : host} is not a node of the cluster (add it to PROBE_ALLOWED_HOSTS to probe it)`;
}
