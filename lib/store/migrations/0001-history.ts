import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../db';
import { withId } from './columns';

const MEASURES = [
  'dtr_replicas',
  'dtr_majority',
  'dtr_healthy',
  'dtr_healthy_min',
  'dtr_margin',
  'dtr_margin_min',
  'ucp_managers',
  'ucp_majority',
  'ucp_reachable',
  'ucp_reachable_min',
  'ucp_margin',
  'ucp_margin_min',
] as const;

export function historyTables(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await withId(db.schema.createTable('history_events'), dialect)
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();
      await db.schema.createIndex('history_events_at').on('history_events').column('at').execute();
      await db.schema
        .createIndex('history_events_subject')
        .on('history_events')
        .columns(['kind', 'subject', 'at'])
        .execute();

      let samples = db.schema
        .createTable('history_samples')
        .addColumn('resolution_ms', 'integer', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull());
      for (const column of MEASURES)
        samples = samples.addColumn(column, 'double precision', (c) => c.notNull());
      samples = samples
        .addColumn('latency', 'text', (c) => c.notNull().defaultTo('{}'))
        .addPrimaryKeyConstraint('history_samples_pk', ['resolution_ms', 'at']);
      // Stored in primary-key order: half the writes and space of a rowid table plus index.
      if (dialect === 'sqlite') samples = samples.modifyEnd(sql`without rowid`);
      await samples.execute();

      await db.schema
        .createTable('member_states')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('since', 'bigint', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('member_states_pk', ['kind', 'subject'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('member_states').execute();
      await db.schema.dropTable('history_samples').execute();
      await db.schema.dropTable('history_events').execute();
    },
  };
}
