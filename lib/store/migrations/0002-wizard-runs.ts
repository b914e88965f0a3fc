import { sql, type Kysely, type Migration } from 'kysely';

export function wizardRunsTable(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('wizard_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) =>
          c.notNull().check(sql`kind in ('join', 'remove', 'repair')`),
        )
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('open', 'verifying', 'done', 'failed', 'cancelled')`),
        )
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('wizard_runs_created')
        .on('wizard_runs')
        .columns(['created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('wizard_runs_status')
        .on('wizard_runs')
        .columns(['status', 'created_at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('wizard_runs').execute();
    },
  };
}
