// DTR wire shapes (DESIGN.md §2) and their reshaping into domain types. Internal to lib/sources.
import { z } from 'zod';
import type {
  DtrCacheConfig,
  DtrClusterView,
  DtrReplicaConfig,
  DtrStorage,
} from '@/lib/domain/types';
import { isPort, quoteBad, REPLICA_ID, sanitizeReason, validHost } from './upstream-values';

const text = z.string().nullish();
/** A field we only read for advice: a wrong type there must not cost the replica list. */
const optionalText = text.catch(null);

export const settingsSchema = z.looseObject({
  replicaID: text,
  storageVolume: optionalText,
  nfsHost: optionalText,
  nfsPath: optionalText,
  // Each entry is checked on its own in reshapeSettings: one bad replica must not cost the list.
  // Not z.record: that would drop a "__proto__" key, and the replica with it, without a word.
  replicaSettings: z.custom<Record<string, unknown>>(
    (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
    { message: 'replicaSettings is not an object' },
  ),
});

const replicaEntrySchema = z.looseObject({
  HTTPPort: z.unknown(),
  HTTPSPort: z.unknown(),
  node: z.unknown(),
});

/** One replicaSettings entry as a replica; `problem` says why it cannot be reached, if so. */
function reshapeReplica(rawId: string, raw: unknown): DtrReplicaConfig {
  const problems: string[] = [];
  const id = REPLICA_ID.test(rawId) ? rawId : sanitizeReason(rawId, 64) || '(empty)';
  if (!REPLICA_ID.test(rawId))
    problems.push(`replica ID ${quoteBad(rawId)} is not 12 hex characters`);
  const entry = replicaEntrySchema.safeParse(raw);
  const fields = entry.success ? entry.data : { HTTPPort: null, HTTPSPort: null, node: null };
  if (!entry.success) problems.push('its replicaSettings entry is not an object');
  const port = (name: 'HTTPPort' | 'HTTPSPort', fallback: number): number => {
    const value = fields[name];
    if (value == null) return fallback;
    if (isPort(value)) return value;
    problems.push(`${name} ${quoteBad(value)} is not a port (1-65535)`);
    return 0;
  };
  const httpPort = port('HTTPPort', 80);
  const httpsPort = port('HTTPSPort', 443);
  const rawNode = fields.node;
  let node = '';
  if (typeof rawNode === 'string' && validHost(rawNode.trim()) !== null) node = rawNode.trim();
  else if (entry.success) {
    problems.push(`node ${quoteBad(rawNode)} is not a node hostname`);
    node = typeof rawNode === 'string' ? sanitizeReason(rawNode, 64) : '';
  }
  return {
    id,
    node,
    httpPort,
    httpsPort,
    ...(problems.length > 0
      ? { problem: `unusable replica settings: ${problems.join('; ')}` }
      : {}),
  };
}

/** `nfsHost`/`nfsPath` come from `--nfs-storage-url`, `storageVolume` from `--dtr-storage-volume`. */
function reshapeStorage(raw: z.infer<typeof settingsSchema>): DtrStorage {
  const host = raw.nfsHost?.trim() ?? '';
  if (host) return { kind: 'nfs', host, path: raw.nfsPath?.trim() ?? '' };
  const volume = raw.storageVolume?.trim() ?? '';
  if (volume) return { kind: 'volume', volume };
  return { kind: 'unknown' };
}

export function reshapeSettings(raw: z.infer<typeof settingsSchema>): {
  replicas: DtrReplicaConfig[];
  reportedBy: string | null;
  storage: DtrStorage;
} {
  const seen = new Set<string>();
  const replicas = Object.entries(raw.replicaSettings)
    .map(([id, s]) => reshapeReplica(id, s))
    // Two hostile IDs may sanitise alike: keep the first, IDs stay unique.
    .filter((r) => !seen.has(r.id) && seen.add(r.id) !== undefined)
    .sort((a, b) => a.id.localeCompare(b.id));
  return { replicas, reportedBy: raw.replicaID || null, storage: reshapeStorage(raw) };
}

const shardSchema = z.looseObject({
  replicas: z.array(z.looseObject({ server: text, state: text })).nullish(),
});

export const clusterStatusSchema = z.looseObject({
  replica_health: z.record(z.string(), z.string()).nullish(),
  replica_timestamp: z.record(z.string(), z.string()).nullish(),
  replica_readonly: z.record(z.string(), z.boolean()).nullish(),
  gc_lock_holder: text,
  rethink_system_tables: z
    .looseObject({
      current_issues: z
        .array(z.looseObject({ critical: z.boolean().nullish(), description: text }))
        .nullish(),
      table_status: z
        .array(
          z.looseObject({
            db: text,
            name: text,
            shards: z.array(shardSchema).nullish(),
            status: z.looseObject({ ready_for_writes: z.boolean().nullish() }).nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});

const RETHINK_SERVER = /^dtr_rethinkdb_(.+)$/;

export function reshapeClusterStatus(
  raw: z.infer<typeof clusterStatusSchema>,
  reportedBy: string | null,
): DtrClusterView {
  const tables = raw.rethink_system_tables?.table_status ?? [];
  const notReady = new Set<string>();
  const inTables = new Set<string>();
  for (const table of tables) {
    for (const shard of table.shards ?? []) {
      for (const replica of shard.replicas ?? []) {
        const id = RETHINK_SERVER.exec(replica.server ?? '')?.[1];
        if (!id) continue;
        inTables.add(id);
        if (replica.state !== 'ready') notReady.add(id);
      }
    }
  }
  const writable = tables.map((t) => t.status?.ready_for_writes);
  const tablesReadyForWrites =
    writable.length === 0
      ? null
      : writable.includes(false)
        ? false
        : writable.every((w) => w === true)
          ? true
          : null;
  return {
    reportedBy,
    replicaHealth: raw.replica_health ?? null,
    replicaTimestamp: raw.replica_timestamp ?? {},
    replicaReadonly: raw.replica_readonly ?? {},
    tablesReadyForWrites,
    tablesNotWritable: tables
      .filter((t) => t.status?.ready_for_writes === false)
      .map((t) => `${t.db ?? '?'}.${t.name ?? '?'}`),
    replicasNotReady: [...notReady].sort(),
    replicasInTables: [...inTables].sort(),
    currentIssues: (raw.rethink_system_tables?.current_issues ?? []).map((i) => ({
      critical: i.critical === true,
      description: i.description ?? '',
    })),
    gcLockHolder: raw.gc_lock_holder || null,
  };
}

/** `/_ping` and `/health` bodies; old docs spell the flag `Health`. */
export const pingSchema = z
  .looseObject({ Error: text, Healthy: z.boolean().nullish(), Health: z.boolean().nullish() })
  .refine((p) => typeof (p.Healthy ?? p.Health) === 'boolean', { message: 'no Healthy flag' });

export type PingBody = z.infer<typeof pingSchema>;

/** `GET /api/v0/content_caches`: entries without a usable host are dropped, not fatal. */
export const contentCachesSchema = z.array(
  z.looseObject({ id: text, name: text, host: text }).nullable(),
);

export function reshapeContentCaches(raw: z.infer<typeof contentCachesSchema>): DtrCacheConfig[] {
  return raw
    .flatMap((c) => {
      const host = c?.host?.trim();
      if (!c || !host) return [];
      const name = c.name?.trim() || host;
      return [{ id: c.id?.trim() || name, name, url: host }];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A registry's error body: `{"errors": [{"code", "message"}]}`. */
export const cacheErrorSchema = z.looseObject({
  errors: z.array(z.looseObject({ code: text, message: text })).nullish(),
});
