import type { Kysely, Migration } from 'kysely';

/**
 * A step that changes the cluster without a container of its own (bringing a replica back: the
 * console starts the replica's stopped containers) holds the cluster for as long as it takes: at
 * most one row per cluster, the primary key. It is a table of its own because such a step is not
 * an execution (no run, no image, no output) and the executions table is left as 0008 made it.
 *
 * Both kinds of step take their own lock and then look at the other's (a bring-back takes its hold
 * and then reads the execution slot; an execution takes the slot and then reads the holds), so of
 * two that start at once at least one sees the other and gives way. A hold that its console never
 * released (it stopped) ends at expires_at (epoch ms).
 */
export function executionHolds(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('execution_holds')
        .addColumn('cluster', 'text', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('instance', 'text', (c) => c.notNull())
        // What it is doing, for whoever is refused meanwhile (e.g. "bring back replica 0123…").
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('execution_holds').execute();
    },
  };
}
