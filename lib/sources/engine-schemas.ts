// Docker Engine API shapes shared by UCP and a plain Swarm manager (DESIGN.md §2): /nodes and
// /containers/json, and their reshaping into domain types. Internal to lib/sources.
import { z } from 'zod';
import type {
  ClusterNode,
  DtrImageRef,
  DtrReplicaRuntime,
  NodeAvailability,
  NodeState,
  Reachability,
} from '@/lib/domain/types';
import { SourceError } from './errors';
import { quoteBad, sanitizeReason, validHost } from './upstream-values';

const text = z.string().nullish();
const count = z.number().nullish();

// Plain objects: the fields the console reads and no others, so a 10,000-node answer is not
// copied whole (unknown fields are dropped, never an error).
export const swarmNodeSchema = z.object({
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
      Platform: z.object({ OS: text, Architecture: text }).nullish(),
      Resources: z.object({ NanoCPUs: count, MemoryBytes: count }).nullish(),
      Engine: z.object({ EngineVersion: text }).nullish(),
    })
    .nullish(),
  Status: z.object({ State: text, Message: text, Addr: text }).nullish(),
  ManagerStatus: z
    .looseObject({ Leader: z.boolean().nullish(), Reachability: text, Addr: text })
    .nullish(),
});

export const swarmNodesSchema = z.array(swarmNodeSchema);
export type SwarmNode = z.infer<typeof swarmNodeSchema>;

export const containersSchema = z.array(
  z.looseObject({ Names: z.array(z.string()).nullish(), Image: text, State: text }),
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
    Object.entries(record ?? {})
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .slice(0, MAX_LABELS),
  );
}

const UNSPECIFIED = new Set(['', '0.0.0.0', '127.0.0.1', '::', '::1']);
/** Labels kept per node: real nodes carry a few dozen at most. */
const MAX_LABELS = 128;

/** The host part of "host:port" or "[v6]:port" (or a bare host), as written; '' when empty. */
function rawHostOf(addr: string | null | undefined): string {
  if (!addr) return '';
  let host = addr.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed?.[1]) host = bracketed[1];
  // "host:port" only with a port: "http://x" is not host "http".
  else if (/^[^:]+:\d{1,5}$/.test(host)) host = host.slice(0, host.indexOf(':'));
  return host;
}

/**
 * Host part of "host:port" or "[v6]:port" (or a bare host); null when empty, unspecified, or
 * not an address a URL can carry (a newline, a path, a 300-character name).
 */
export function hostOf(addr: string | null | undefined): string | null {
  const host = rawHostOf(addr);
  return UNSPECIFIED.has(host) ? null : validHost(host);
}

/** Why a node's reported address was not taken; null when it was, or none was given. */
function addrProblem(field: string, addr: string | null | undefined): string | null {
  const host = rawHostOf(addr);
  if (UNSPECIFIED.has(host) || validHost(host) !== null) return null;
  return `${field} ${quoteBad(addr)} is not a usable address`;
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
  const problem =
    addr === null
      ? ((role === 'manager' ? addrProblem('ManagerStatus.Addr', ms?.Addr) : null) ??
        addrProblem('Status.Addr', raw.Status?.Addr))
      : null;
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
    ...(problem ? { addrProblem: problem } : {}),
  };
}

/** A `/nodes` answer, UCP's or a plain Swarm manager's, as domain nodes: the one path both adapters use. */
const reshaped = new WeakMap<readonly SwarmNode[], ClusterNode[]>();

/**
 * The node list reshaped, once per parsed list: parseJson answers an unchanged `/nodes` body with
 * the list it parsed before, so a quiet 10,000-node cluster costs no reshaping either. Nothing
 * mutates the result (placement copies the nodes it fills in).
 */
export function reshapeNodes(raw: readonly SwarmNode[]): ClusterNode[] {
  let nodes = reshaped.get(raw);
  if (!nodes) {
    nodes = raw.map(reshapeNode);
    reshaped.set(raw, nodes);
  }
  return nodes;
}

/** `/<node>/dtr-<component>-<replica id>` (UCP) or `/dtr-<component>-<replica id>` (one engine). */
const DTR_CONTAINER = /^\/?(?:([^/]+)\/)?dtr-([a-z0-9]+(?:-[a-z0-9]+)*?)-([0-9a-f]{12})$/;

/**
 * An image reference split into repository and tag: `registry.example.com:5000/msr/dtr-registry:2.9.16`
 * → repository `registry.example.com:5000/msr/dtr-registry`, tag `2.9.16`. A digest is dropped;
 * an image ID or an untagged name gives null.
 */
export function parseImageRef(image: string | null | undefined): DtrImageRef | null {
  const ref = (image ?? '').trim().replace(/@sha256:[0-9a-f]+$/, '');
  if (ref === '' || ref.length > 512 || /\s/.test(ref) || ref.startsWith('sha256:')) return null;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon <= slash) return null;
  const repository = ref.slice(0, colon);
  const tag = ref.slice(colon + 1);
  if (
    !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag) ||
    !/^[a-z0-9][a-z0-9._\-/:]*$/i.test(repository)
  )
    return null;
  return { repository, tag };
}

/**
 * Each replica's `dtr-*` containers, from a `/containers/json?all=1` listing: how many, which
 * are not running, and the image of its `dtr-registry` container (the replica's version).
 */
export function dtrRuntimesFromContainers(
  containers: z.infer<typeof containersSchema>,
): DtrReplicaRuntime[] {
  const byReplica = new Map<string, DtrReplicaRuntime>();
  for (const c of containers) {
    for (const name of c.Names ?? []) {
      const match = DTR_CONTAINER.exec(name);
      if (!match) continue;
      const [, node, component, replicaId] = match as unknown as [
        string,
        string | undefined,
        string,
        string,
      ];
      let runtime = byReplica.get(replicaId);
      if (!runtime) {
        runtime = { replicaId, node: node ?? null, containers: 0, stopped: [], image: null };
        byReplica.set(replicaId, runtime);
      }
      runtime.containers += 1;
      if ((c.State ?? 'running') !== 'running') runtime.stopped.push(component);
      if (component === 'registry') runtime.image = parseImageRef(c.Image) ?? runtime.image;
      break;
    }
  }
  return [...byReplica.values()]
    .map((r) => ({ ...r, stopped: [...new Set(r.stopped)].sort() }))
    .sort((a, b) => a.replicaId.localeCompare(b.replicaId));
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
    return parsed.success ? sanitizeReason(parsed.data.message) : null;
  } catch {
    return null;
  }
}

/**
 * Every replica's `dtr-*` containers through an Engine API `get` (UCP's or a Swarm manager's);
 * null when that API has no container listing (404).
 */
export async function readDtrRuntimes(
  get: <T>(path: string, schema: z.ZodType<T>) => Promise<T>,
): Promise<DtrReplicaRuntime[] | null> {
  const filters = encodeURIComponent(JSON.stringify({ name: ['dtr-'] }));
  try {
    return dtrRuntimesFromContainers(
      await get(`/containers/json?all=1&filters=${filters}`, containersSchema),
    );
  } catch (err) {
    if (err instanceof SourceError && err.status === 404) return null;
    throw err;
  }
}
