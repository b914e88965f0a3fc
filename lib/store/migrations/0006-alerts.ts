import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../db';
import { withId } from './columns';

/**
 * Alerting: incidents (open ones are the notification engine's state, so a restart neither
 * re-sends nor forgets), channels (where notices go; secrets encrypted), and the delivery log,
 * whose unique (incident, transition, channel) row is claimed before a notice is sent, so two
 * consoles on one Postgres database, or one before and after a failover, never send it twice.
 */
export function alertTables(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('alert_incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('grp', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('since', 'bigint', (c) => c.notNull())
        .addColumn('resolved_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        // JSON Incident (lib/domain/alerts)
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('alert_incidents_phase')
        .on('alert_incidents')
        .columns(['phase', 'since'])
        .execute();
      await db.schema
        .createTable('alert_channels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('min_severity', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        // "ui" (managed on /alerts) or "file" (ALERT_CHANNELS_FILE, read-only in the UI)
        .addColumn('origin', 'text', (c) => c.notNull())
        // AES-256-GCM under a key derived from SESSION_SECRET; null when the channel has none
        .addColumn('secret', 'text')
        .addColumn('last_error', 'text')
        .addColumn('last_error_at', 'bigint')
        .addColumn('last_delivery_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable('alert_deliveries'), dialect)
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('transition', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('channel_name', 'text', (c) => c.notNull())
        .addColumn('instance', 'text', (c) => c.notNull())
        // claimed → sent | failed
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('claimed_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .addUniqueConstraint('alert_deliveries_once', ['incident_id', 'transition', 'channel_id'])
        .execute();
      await db.schema
        .createIndex('alert_deliveries_claimed')
        .on('alert_deliveries')
        .columns(['claimed_at', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('alert_deliveries').execute();
      await db.schema.dropTable('alert_channels').execute();
      await db.schema.dropTable('alert_incidents').execute();
    },
  };
}
