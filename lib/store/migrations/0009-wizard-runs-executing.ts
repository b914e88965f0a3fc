import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../db';

// The statuses as of this migration; never read from the live constant, which may grow later.
const BEFORE = ['open', 'verifying', 'done', 'failed', 'cancelled', 'stale'];
const AFTER = [...BEFORE, 'executing', 'unknown'];

const statusCheck = (statuses: readonly string[]) =>
  sql`status in (${sql.join(statuses.map((s) => sql.lit(s)))})`;

/**
 * SQLite cannot alter a CHECK constraint: rebuild the table as 0005 does, in the shape 0007 left
 * it (the `cluster` column last, as ALTER TABLE added it, and its two cluster-led indexes),
 * inside one transaction so a crash leaves the old table. No foreign key points at wizard_runs.
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
      .addColumn('cluster', 'text', (c) => c.notNull().defaultTo('default'))
      .execute();
    await sql`insert into wizard_runs_next (id, kind, status, step, state, created_by, created_at, updated_at, cluster)
      select id, kind, status, step, state, created_by, created_at, updated_at, cluster from wizard_runs`.execute(
      trx,
    );
    await trx.schema.dropTable('wizard_runs').execute();
    await trx.schema.alterTable('wizard_runs_next').renameTo('wizard_runs').execute();
    await sql`create index wizard_runs_created on wizard_runs (cluster, created_at, id)`.execute(
      trx,
    );
    await sql`create index wizard_runs_status on wizard_runs (cluster, status, created_at)`.execute(
      trx,
    );
  });
}

/** Postgres named 0002's column constraint `wizard_runs_status_check`; replace it in place. */
async function replacePostgres(db: Kysely<unknown>, statuses: readonly string[]): Promise<void> {
  await sql`alter table wizard_runs drop constraint wizard_runs_status_check`.execute(db);
  await sql`alter table wizard_runs add constraint wizard_runs_status_check check (${statusCheck(statuses)})`.execute(
    db,
  );
}

/**
 * A run the console executes itself (issue 22) is `executing` while its container runs, and
 * `unknown` when the console that ran it stopped before it saw the end (verify by hand).
 *
 * Down: the older console neither runs commands nor knows an unknown outcome. Both become
 * `failed`, the status it re-judges against the live cluster (withdrawing the run as stale when
 * the cluster changed since, e.g. the remove did happen) and lets the operator check and re-run.
 * Not `verifying`: that status needs the `verifyingSince` an executed run may not have.
 */
export function wizardRunsExecutingStatus(dialect: StoreDialect): Migration {
  const change = dialect === 'postgres' ? replacePostgres : rebuildSqlite;
  return {
    up: (db) => change(db, AFTER),
    async down(db) {
      await sql`update wizard_runs set status = 'failed' where status in ('executing', 'unknown')`.execute(
        db,
      );
      await change(db, BEFORE);
    },
  };
}
