import { sql, type Kysely, type Migration } from 'kysely';

// The values as of this migration; never read from the live constants, which may grow later.
const KINDS = ['join', 'remove', 'repair'];
const STATUSES = [
  'starting',
  'running',
  'exited',
  'refused',
  'failed-to-start',
  'orphaned',
  'unknown',
];
/** The statuses that hold a cluster's single execution slot. */
const ACTIVE = ['starting', 'running', 'orphaned'];
const STREAMS = ['stdout', 'stderr'];
const LEVELS = ['debug', 'info', 'warn', 'error', 'fatal'];

const within = (column: string, values: readonly string[]) =>
  sql<boolean>`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;

/**
 * Gated execution (issue 22, docs/design-gated-execution.md §4): one row per attempt of the
 * console to run a wizard's command itself, and the tool's output lines.
 *
 * The one-at-a-time lock is the partial unique index `executions_active`: at most one row per
 * cluster in a status that holds the slot (starting, running, orphaned). It is a row, not an
 * advisory lock, because the container outlives the connection and the console that started it;
 * an INSERT that loses the race conflicts on this index, across processes and instances.
 *
 * Times are epoch milliseconds (bigint), as in the alert tables: lease_until is compared with
 * "now". argv_public is JSON text. No foreign key points at wizard_runs (0009 rebuilds that
 * table on SQLite); execution_lines belong to their execution and go with it.
 */
export function executionTables(): Migration {
  // The same statements on both dialects: SQLite (≥ 3.8) and Postgres have partial indexes.
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('executions')
        .addColumn('cluster', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(within('kind', KINDS)))
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        // The console instance that runs it and renews the lease.
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(within('status', STATUSES)))
        .addColumn('node', 'text')
        .addColumn('image_ref', 'text', (c) => c.notNull())
        .addColumn('image_id', 'text')
        .addColumn('repo_digest', 'text')
        .addColumn('container_id', 'text')
        // JSON string[]: the argv as shown to people, never a password
        .addColumn('argv_public', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('exit_code', 'integer')
        .addColumn('refusal', 'text')
        .addColumn('lease_until', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        // The last lines, redacted, at most 4 KB
        .addColumn('log_tail', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .createIndex('executions_active')
        .on('executions')
        .column('cluster')
        .unique()
        .where(within('status', ACTIVE))
        .execute();
      await db.schema
        .createIndex('executions_created')
        .on('executions')
        .columns(['cluster', 'created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('executions_run')
        .on('executions')
        .columns(['cluster', 'run_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('execution_lines')
        .addColumn('execution_id', 'text', (c) =>
          c.notNull().references('executions.id').onDelete('cascade'),
        )
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('stream', 'text', (c) => c.notNull().check(within('stream', STREAMS)))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        // From the logrus prefix; null when the line has none
        .addColumn('level', 'text', (c) => c.check(within('level', LEVELS)))
        .addPrimaryKeyConstraint('execution_lines_pk', ['execution_id', 'seq'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('execution_lines').execute();
      await db.schema.dropTable('executions').execute();
    },
  };
}
