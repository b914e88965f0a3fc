import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../db';

/**
 * What several console instances share besides history: revoked sessions (sign-out on one
 * instance holds on all) and the polling instance's latest snapshot, which the others serve.
 */
export function sharedStateTables(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('revoked_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('revoked_sessions_expires')
        .on('revoked_sessions')
        .column('expires_at')
        .execute();
      let snapshots = db.schema
        .createTable('cluster_snapshots')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('generated_at', 'text', (c) => c.notNull())
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull());
      // Rewritten every poll and worthless after a server crash (the next poll replaces it):
      // no write-ahead log for it.
      if (dialect === 'postgres') snapshots = snapshots.modifyFront(sql`unlogged`);
      await snapshots.execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('cluster_snapshots').execute();
      await db.schema.dropTable('revoked_sessions').execute();
    },
  };
}
