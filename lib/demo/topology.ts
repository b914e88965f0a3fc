// The demo cluster's shape: options, nodes with their loopback addresses, and replica IDs.
import { createHash } from 'node:crypto';
import { DemoInputError } from './faults';

export interface DemoUser {
  username: string;
  password: string;
  isAdmin: boolean;
}

export interface DemoClusterOptions {
  managers?: number;
  replicas?: number;
  /**
   * Replicas of the HA cache service, one per node labelled dtr.cache=true, behind the cache
   * load balancer whose address DTR lists (the cache HA document's layout). Default 3.
   */
  caches?: number;
  /** Single-replica regional caches, each registered in DTR at its own node's address. Default 1. */
  regionalCaches?: number;
  /** Application workers (besides the DTR and cache nodes). */
  workers?: number;
  dtrVersion?: string;
  /** Delay before a join, remove or emergency-repair takes effect. */
  applyDelayMs?: number;
  /** Answer delay of a member with the `slow` fault. */
  slowMs?: number;
  /** Seeds replica and node IDs; the same seed gives the same IDs. */
  seed?: string;
  /** Port shared by every UCP manager; 0 picks a free one. */
  ucpPort?: number;
  /** HTTP port shared by every DTR replica; 0 picks a free one. */
  dtrHttpPort?: number;
  /** Port shared by every cache; 0 picks a free one. */
  cachePort?: number;
  /** Demo users; default `admin` and `viewer` with random passwords. */
  users?: DemoUser[];
}

export interface ResolvedDemoOptions {
  managers: number;
  replicas: number;
  caches: number;
  regionalCaches: number;
  workers: number;
  dtrVersion: string;
  applyDelayMs: number;
  slowMs: number;
  seed: string;
  ucpPort: number;
  dtrHttpPort: number;
  cachePort: number;
}

export type NodeTier = 'manager' | 'dtr' | 'cache' | 'app';

/**
 * Where the HA cache's load balancer listens (on the cache port): an address that is no node's,
 * as a real load balancer's is. Never a node address: app workers end at 127.0.253.x.
 */
export const CACHE_LB_ADDRESS = '127.0.254.1';

export interface DemoNode {
  id: string;
  hostname: string;
  tier: NodeTier;
  role: 'manager' | 'worker';
  /** Loopback address; managers, replicas and caches are served there. */
  address: string;
  labels: Record<string, string>;
  nanoCpus: number;
  memoryBytes: number;
  /** Cache nodes: a replica of the HA cache service, or a regional cache of its own. */
  cache?: 'ha' | 'regional';
}

export interface DemoReplica {
  id: string;
  /** Hostname of the worker it runs on. */
  node: string;
  /** Own HTTP port; null means the port shared by all replicas. */
  httpPort: number | null;
}

const MAX_PER_TIER = 254;
const MAX_APP_WORKERS = 250 * 254;
const ZONES = ['a', 'b', 'c'] as const;
const GIB = 1024 ** 3;

function count(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < min || resolved > max) {
    throw new DemoInputError(
      'INVALID_OPTION',
      `${name} must be a whole number from ${min} to ${max}, got ${resolved}`,
    );
  }
  return resolved;
}

export function resolveOptions(input: DemoClusterOptions = {}): ResolvedDemoOptions {
  const dtrVersion = input.dtrVersion ?? '2.9.16';
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/.test(dtrVersion)) {
    throw new DemoInputError(
      'INVALID_OPTION',
      `dtrVersion must look like 2.9.16, got "${dtrVersion}"`,
    );
  }
  return {
    managers: count('managers', input.managers, 3, 1, MAX_PER_TIER),
    replicas: count('replicas', input.replicas, 3, 1, MAX_PER_TIER),
    caches: count('caches', input.caches, 3, 0, MAX_PER_TIER),
    regionalCaches: count(
      'regionalCaches',
      input.regionalCaches,
      Math.min(1, MAX_PER_TIER - (input.caches ?? 3)),
      0,
      MAX_PER_TIER - (input.caches ?? 3),
    ),
    workers: count('workers', input.workers, 4, 0, MAX_APP_WORKERS),
    dtrVersion,
    applyDelayMs: count('applyDelayMs', input.applyDelayMs, 3000, 0, 600_000),
    slowMs: count('slowMs', input.slowMs, 800, 0, 600_000),
    seed: input.seed ?? 'dtr-demo',
    ucpPort: count('ucpPort', input.ucpPort, 0, 0, 65535),
    dtrHttpPort: count('dtrHttpPort', input.dtrHttpPort, 0, 0, 65535),
    cachePort: count('cachePort', input.cachePort, 0, 0, 65535),
  };
}

export function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** A 25-character lowercase base-36 ID like Swarm's node IDs. */
function swarmId(seed: string, hostname: string): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  const bytes = createHash('sha256').update(`${seed}\u0000node\u0000${hostname}`).digest();
  return Array.from(bytes.subarray(0, 25), (byte) => alphabet[byte % 36]).join('');
}

/** A UUID-shaped ID derived from the given parts. */
export function derivedUuid(...parts: string[]): string {
  const h = digest(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A fresh 12-hex replica ID, deterministic for a seed and salt, not in `taken`. */
export function deriveReplicaId(seed: string, salt: string, taken: ReadonlySet<string>): string {
  for (let attempt = 0; ; attempt++) {
    const id = digest(seed, 'replica', salt, String(attempt)).slice(0, 12);
    if (!taken.has(id)) return id;
  }
}

function ucpLabels(access: '/System' | '/Shared', zone: string): Record<string, string> {
  return {
    'com.docker.ucp.access.label': access,
    'com.docker.ucp.collection': access === '/System' ? 'system' : 'shared',
    'com.docker.ucp.orchestrator.swarm': 'true',
    'com.docker.ucp.orchestrator.kubernetes': 'false',
    zone,
  };
}

function tierNode(seed: string, tier: NodeTier, index: number): DemoNode {
  const zone = ZONES[index % ZONES.length] ?? 'a';
  const number = index + 1;
  const spec: Record<NodeTier, { hostname: string; address: string }> = {
    manager: { hostname: `ucp-manager-${number}`, address: `127.0.1.${number}` },
    dtr: { hostname: `dtr-node-${number}`, address: `127.0.2.${number}` },
    cache: { hostname: `cache-node-${number}`, address: `127.0.3.${number}` },
    app: {
      hostname: `app-node-${number}`,
      address: `127.0.${4 + Math.floor(index / 254)}.${(index % 254) + 1}`,
    },
  };
  const { hostname, address } = spec[tier];
  const labels = ucpLabels(tier === 'manager' ? '/System' : '/Shared', zone);
  if (tier === 'cache') labels['dtr.cache'] = 'true';
  const big = tier === 'app';
  return {
    id: swarmId(seed, hostname),
    hostname,
    tier,
    role: tier === 'manager' ? 'manager' : 'worker',
    address,
    labels,
    nanoCpus: (big ? 8 : 4) * 1e9,
    memoryBytes: (big ? 32 : 16) * GIB,
  };
}

/**
 * Nodes in /nodes order: managers, DTR nodes, caches (the HA cache's replicas, then the regional
 * caches), application workers.
 */
export function buildNodes(options: ResolvedDemoOptions): DemoNode[] {
  const tiers: [NodeTier, number][] = [
    ['manager', options.managers],
    ['dtr', options.replicas],
    ['cache', options.caches + options.regionalCaches],
    ['app', options.workers],
  ];
  return tiers.flatMap(([tier, size]) =>
    Array.from({ length: size }, (_, i) => {
      const node = tierNode(options.seed, tier, i);
      if (tier === 'cache') node.cache = i < options.caches ? 'ha' : 'regional';
      return node;
    }),
  );
}

/** One replica on each DTR node, on the shared HTTP port. */
export function buildReplicas(options: ResolvedDemoOptions): DemoReplica[] {
  const taken = new Set<string>();
  return Array.from({ length: options.replicas }, (_, i) => {
    const id = deriveReplicaId(options.seed, `initial-${i + 1}`, taken);
    taken.add(id);
    return { id, node: `dtr-node-${i + 1}`, httpPort: null };
  });
}
