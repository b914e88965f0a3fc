import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../db';

// The statuses as of this migration; never read from the live constant, which may grow later.
const BEFORE = ['open', 'verifying', 'done', 'failed', 'cancelled'];
const AFTER = [...BEFORE, 'stale'];

const statusCheck = (statuses: readonly string[]) =>
  sql`status in (${sql.join(statuses.map((s) => sql.lit(s)))})`;

/**
 * SQLite cannot alter a CHECK constraint: rebuild the table (its documented 12-step recipe; no
 * foreign key points at wizard_runs) inside one transaction, so a crash leaves the old table.
 */
async function rebuildSqlite(db: Kysely<unknown>, statuses: readonly string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('wizard_runs_next')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) =>
        c.notNull().check(sql`kind in ('join', 'remove', 'repair')`),
      )
      .addColumn('status', 'text', (c) => c.notNull().check(statusCheck(statuses)))
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into wizard_runs_next (id, kind, status, step, state, created_by, created_at, updated_at)
      select id, kind, status, step, state, created_by, created_at, updated_at from wizard_runs`.execute(
      trx,
    );
    await trx.schema.dropTable('wizard_runs').execute();
    await trx.schema.alterTable('wizard_runs_next').renameTo('wizard_runs').execute();
    await trx.schema
      .createIndex('wizard_runs_created')
      .on('wizard_runs')
      .columns(['created_at', 'id'])
      .execute();
    await trx.schema
      .createIndex('wizard_runs_status')
      .on('wizard_runs')
      .columns(['status', 'created_at'])
      .execute();
  });
}

/** Postgres named 0002's column constraint `wizard_runs_status_check`; replace it in place. */
async function replacePostgres(db: Kysely<unknown>, statuses: readonly string[]): Promise<void> {
  await sql`alter table wizard_runs drop constraint wizard_runs_status_check`.execute(db);
  await sql`alter table wizard_runs add constraint wizard_runs_status_check check (${statusCheck(statuses)})`.execute(
    db,
  );
}

/** A run withdrawn because the cluster changed since it was planned has status `stale`. */
export function wizardRunsStaleStatus(dialect: StoreDialect): Migration {
  const change = dialect === 'postgres' ? replacePostgres : rebuildSqlite;
  return {
    up: (db) => change(db, AFTER),
    async down(db) {
      // The older console has no word for a withdrawn run; it reads as cancelled.
      await sql`update wizard_runs set status = 'cancelled' where status = 'stale'`.execute(db);
      await change(db, BEFORE);
    },
  };
}
