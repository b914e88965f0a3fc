// Docker Engine API shapes shared by UCP and a plain Swarm manager (DESIGN.md §2): /nodes and
// /containers/json, and their reshaping into domain types. Internal to lib/sources.
import { z } from 'zod';
import type { ClusterNode, NodeAvailability, NodeState, Reachability } from '@/lib/domain/types';

const text = z.string().nullish();
const count = z.number().nullish();

export const swarmNodeSchema = z.looseObject({
  ID: z.string().min(1),
  Spec: z
    .looseObject({
      Role: text,
      Availability: text,
      Labels: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
  Description: z
    .looseObject({
      Hostname: text,
      Platform: z.looseObject({ OS: text, Architecture: text }).nullish(),
      Resources: z.looseObject({ NanoCPUs: count, MemoryBytes: count }).nullish(),
      Engine: z.looseObject({ EngineVersion: text }).nullish(),
    })
    .nullish(),
  Status: z.looseObject({ State: text, Message: text, Addr: text }).nullish(),
  ManagerStatus: z
    .looseObject({ Leader: z.boolean().nullish(), Reachability: text, Addr: text })
    .nullish(),
});

export const swarmNodesSchema = z.array(swarmNodeSchema);
export type SwarmNode = z.infer<typeof swarmNodeSchema>;

export const containersSchema = z.array(
  z.looseObject({ Names: z.array(z.string()).nullish(), Image: text }),
);

function oneOf<T extends string>(
  value: string | null | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = value?.toLowerCase();
  return (allowed as readonly string[]).includes(v ?? '') ? (v as T) : fallback;
}

function stringEntries(record: Record<string, unknown> | null | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

const UNSPECIFIED = new Set(['', '0.0.0.0', '127.0.0.1', '::', '::1']);

/** Host part of "host:port" or "[v6]:port" (or a bare host); null when empty or unspecified. */
export function hostOf(addr: string | null | undefined): string | null {
  if (!addr) return null;
  let host = addr.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed?.[1]) host = bracketed[1];
  else if ((host.match(/:/g) ?? []).length === 1) host = host.slice(0, host.indexOf(':'));
  return UNSPECIFIED.has(host) ? null : host;
}

export function reshapeNode(raw: SwarmNode): ClusterNode {
  const ms = raw.ManagerStatus;
  const role =
    raw.Spec?.Role?.toLowerCase() === 'manager' || (!raw.Spec?.Role && ms) ? 'manager' : 'worker';
  const manager =
    role === 'manager'
      ? {
          leader: ms?.Leader === true,
          reachability: oneOf<Reachability>(
            ms?.Reachability,
            ['reachable', 'unreachable', 'unknown'],
            'unknown',
          ),
          raftAddr: ms?.Addr || null,
          ping: null,
        }
      : null;
  // Managers often report Status.Addr as 0.0.0.0 or 127.0.0.1; their Raft address is the real one.
  const addr = (role === 'manager' ? hostOf(ms?.Addr) : null) ?? hostOf(raw.Status?.Addr);
  const d = raw.Description;
  return {
    id: raw.ID,
    hostname: d?.Hostname || raw.ID,
    role,
    availability: oneOf<NodeAvailability>(
      raw.Spec?.Availability,
      ['active', 'pause', 'drain'],
      'unknown',
    ),
    state: oneOf<NodeState>(raw.Status?.State, ['ready', 'down', 'disconnected'], 'unknown'),
    message: raw.Status?.Message ?? '',
    addr,
    labels: stringEntries(raw.Spec?.Labels),
    engineVersion: d?.Engine?.EngineVersion || null,
    nanoCpus: d?.Resources?.NanoCPUs ?? null,
    memoryBytes: d?.Resources?.MemoryBytes ?? null,
    hosts: [],
    os: d?.Platform?.OS || null,
    architecture: d?.Platform?.Architecture || null,
    manager,
  };
}

/** A `/nodes` answer, UCP's or a plain Swarm manager's, as domain nodes: the one path both adapters use. */
export function reshapeNodes(raw: SwarmNode[]): ClusterNode[] {
  return raw.map(reshapeNode);
}

const REGISTRY_NAME = /(?:^|\/)dtr-registry-[0-9a-z]{12}$/;
const REGISTRY_IMAGE =
  /(?:^|\/)dtr-registry:([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})(?:@sha256:[0-9a-f]+)?$/;

/** Installed DTR version from the tags of running `dtr-registry-<replica>` containers (the most common one). */
export function dtrVersionFromContainers(
  containers: z.infer<typeof containersSchema>,
): string | null {
  const tally = new Map<string, number>();
  for (const c of containers) {
    if (!c.Names?.some((n) => REGISTRY_NAME.test(n))) continue;
    const tag = REGISTRY_IMAGE.exec(c.Image ?? '')?.[1];
    if (tag) tally.set(tag, (tally.get(tag) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [tag, n] of tally) {
    if (n > bestCount) [best, bestCount] = [tag, n];
  }
  return best;
}

/** GET /info: the daemon's own view of its Swarm, answered without asking the Raft leader. */
export const engineInfoSchema = z.looseObject({
  Name: text,
  Swarm: z
    .looseObject({
      NodeID: text,
      ControlAvailable: z.boolean().nullish(),
      Error: text,
      RemoteManagers: z.array(z.looseObject({ NodeID: z.string(), Addr: text })).nullish(),
    })
    .nullish(),
});

/**
 * The managers a daemon knows from its Raft peer list (`/info` Swarm.RemoteManagers), for when
 * /nodes cannot answer: identity and address only, reachability unknown. Empty unless the
 * daemon is itself a manager.
 */
export function managersFromInfo(info: z.infer<typeof engineInfoSchema>): ClusterNode[] {
  const swarm = info.Swarm;
  if (!swarm?.ControlAvailable) return [];
  return (swarm.RemoteManagers ?? []).map((peer) => {
    const host = hostOf(peer.Addr);
    const self = peer.NodeID === swarm.NodeID;
    return {
      id: peer.NodeID,
      hostname: (self ? info.Name : null) || host || peer.NodeID,
      role: 'manager',
      availability: 'unknown',
      // The daemon that answered is up; of its peers nothing is known.
      state: self ? 'ready' : 'unknown',
      message: '',
      addr: host,
      labels: {},
      engineVersion: null,
      nanoCpus: null,
      memoryBytes: null,
      hosts: [],
      os: null,
      architecture: null,
      manager: { leader: false, reachability: 'unknown', raftAddr: peer.Addr || null, ping: null },
    };
  });
}

/** The Engine's error body: `{"message": "..."}`. */
export const engineErrorSchema = z.looseObject({ message: z.string() });

/** The daemon's own error text from a non-2xx answer, when it sent one. */
export function engineErrorMessage(body: string): string | null {
  try {
    const parsed = engineErrorSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.message : null;
  } catch {
    return null;
  }
}
