// The polling instance's latest cluster snapshot, stored for the standby instances to serve.
// The snapshot is opaque JSON here: lib/server decides what goes in and parses what comes out.
import 'server-only';
import { sql, type Kysely } from 'kysely';
import type { StoreDialect } from './db';
import type { StoreSchema } from './schema';

/** NOTIFY channel a new snapshot is announced on (payload: see snapshotPayload). */
export const SNAPSHOT_CHANNEL = 'dtr_ha_console_snapshot';

/** `<cluster> <generatedAt>`: the cluster's name, a space, the snapshot's generatedAt. */
export function snapshotPayload(cluster: string, generatedAt: string): string {
  return `${cluster} ${generatedAt}`;
}

/**
 * Reads a payload back. The time is after the last space (a name may hold spaces, an ISO time
 * does not); a payload without a space, as a console before fleets sent, is the default cluster's.
 */
export function parseSnapshotPayload(payload: string): { cluster: string; generatedAt: string } {
  const space = payload.lastIndexOf(' ');
  return space < 0
    ? { cluster: 'default', generatedAt: payload }
    : { cluster: payload.slice(0, space), generatedAt: payload.slice(space + 1) };
}

export interface StoredSnapshot {
  instance: string;
  generatedAt: string;
  json: string;
  /** Epoch ms of the write. */
  updatedAt: number;
}

export interface SnapshotRepository {
  /** Stores the snapshot and tells listening instances (Postgres NOTIFY). */
  publish(snapshot: StoredSnapshot): Promise<void>;
  /** The stored snapshot, or null; `unlessGeneratedAt` skips reading the JSON when unchanged. */
  read(unlessGeneratedAt?: string | null): Promise<StoredSnapshot | 'unchanged' | null>;
}

export function createSnapshotRepository(
  db: Kysely<StoreSchema>,
  dialect: StoreDialect,
  /** The row's key: the cluster's name. */
  cluster = 'default',
): SnapshotRepository {
  return {
    async publish({ instance, generatedAt, json, updatedAt }) {
      const row = { instance, generated_at: generatedAt, snapshot: json, updated_at: updatedAt };
      await db
        .insertInto('cluster_snapshots')
        .values({ name: cluster, ...row })
        .onConflict((oc) => oc.column('name').doUpdateSet(row))
        .execute();
      if (dialect === 'postgres')
        await sql`select pg_notify(${SNAPSHOT_CHANNEL}, ${snapshotPayload(cluster, generatedAt)})`.execute(
          db,
        );
    },

    async read(unlessGeneratedAt) {
      const head = await db
        .selectFrom('cluster_snapshots')
        .select(['generated_at', 'instance', 'updated_at'])
        .where('name', '=', cluster)
        .executeTakeFirst();
      if (!head) return null;
      if (unlessGeneratedAt && head.generated_at === unlessGeneratedAt) return 'unchanged';
      const row = await db
        .selectFrom('cluster_snapshots')
        .selectAll()
        .where('name', '=', cluster)
        .executeTakeFirst();
      if (!row) return null;
      return {
        instance: row.instance,
        generatedAt: row.generated_at,
        json: row.snapshot,
        updatedAt: Number(row.updated_at),
      };
    },
  };
}
