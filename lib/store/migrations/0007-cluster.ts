import { sql, type Kysely, type Migration, type RawBuilder } from 'kysely';
import type { StoreDialect } from '../db';

/**
 * A fleet console keeps several clusters in one database: every per-cluster table gets a
 * `cluster` column (the cluster's name); what a single-cluster console wrote belongs to the
 * cluster named "default". Indexes the queries use lead with the cluster, and keys that were
 * unique per console (a sample's time, a subject's state, an incident's id) become unique per
 * cluster, since two clusters can have the same subject or incident id.
 *
 * - audit_log.cluster is nullable: NULL is a fleet-wide entry (a sign-in, a channel change),
 *   which every cluster's log shows. Rows written before this migration become "default".
 * - alert_channels stay fleet-wide (no column): a channel is where people get notices (a chat
 *   room, a pager), set up once for the fleet; each delivery row says which cluster it was for.
 * - cluster_snapshots already has a `name` key: the row "cluster" is renamed "default".
 *
 * Down: the older console knows one cluster, so rows of any other cluster are deleted before
 * the tables get their old shape back (fleet-wide audit entries are kept).
 */

const DEFAULT = 'default';
const lit = (text: string) => sql.raw(text);
type Db = Kysely<unknown>;
const run = (db: Db, query: RawBuilder<unknown>) => query.execute(db);

// ---------------------------------------------------------------------------
// SQLite: columns can be added, but a key cannot change; rebuild those tables (the 12-step
// recipe: new table, copy, drop, rename, indexes), inside one transaction.

interface SqliteTable {
  name: string;
  /** Column and constraint definitions (the part between the parentheses). */
  body: string;
  after?: string;
  columns: readonly string[];
  indexes: readonly string[];
}

async function rebuildSqlite(db: Db, table: SqliteTable, copyFrom: readonly string[]) {
  const next = `${table.name}_next`;
  await run(db, lit(`create table ${next} (${table.body})${table.after ?? ''}`));
  await run(
    db,
    lit(
      `insert into ${next} (${table.columns.join(', ')}) select ${copyFrom.join(', ')} from ${table.name}`,
    ),
  );
  await run(db, lit(`drop table ${table.name}`));
  await run(db, lit(`alter table ${next} rename to ${table.name}`));
  for (const index of table.indexes) await run(db, lit(index));
}

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
];

function samplesTable(withCluster: boolean): SqliteTable {
  const key = withCluster ? 'cluster, resolution_ms, at' : 'resolution_ms, at';
  return {
    name: 'history_samples',
    body: [
      ...(withCluster ? [`cluster text not null default '${DEFAULT}'`] : []),
      'resolution_ms integer not null',
      'at bigint not null',
      'count integer not null',
      ...MEASURES.map((m) => `${m} double precision not null`),
      "latency text not null default '{}'",
      `constraint history_samples_pk primary key (${key})`,
    ].join(', '),
    after: ' without rowid',
    columns: [
      ...(withCluster ? ['cluster'] : []),
      'resolution_ms',
      'at',
      'count',
      ...MEASURES,
      'latency',
    ],
    indexes: [],
  };
}

function memberStatesTable(withCluster: boolean): SqliteTable {
  const key = withCluster ? 'cluster, kind, subject' : 'kind, subject';
  return {
    name: 'member_states',
    body: [
      ...(withCluster ? [`cluster text not null default '${DEFAULT}'`] : []),
      'kind text not null',
      'subject text not null',
      'state text not null',
      'since bigint not null',
      "detail text not null default '{}'",
      'updated_at bigint not null',
      `constraint member_states_pk primary key (${key})`,
    ].join(', '),
    columns: [
      ...(withCluster ? ['cluster'] : []),
      'kind',
      'subject',
      'state',
      'since',
      'detail',
      'updated_at',
    ],
    indexes: [],
  };
}

function incidentsTable(withCluster: boolean): SqliteTable {
  return {
    name: 'alert_incidents',
    body: [
      ...(withCluster ? [`cluster text not null default '${DEFAULT}'`] : []),
      withCluster ? 'id text not null' : 'id text primary key',
      'grp text not null',
      'phase text not null',
      'severity text not null',
      'since bigint not null',
      'resolved_at bigint',
      'updated_at bigint not null',
      'data text not null',
      ...(withCluster ? ['constraint alert_incidents_pk primary key (cluster, id)'] : []),
    ].join(', '),
    columns: [
      ...(withCluster ? ['cluster'] : []),
      'id',
      'grp',
      'phase',
      'severity',
      'since',
      'resolved_at',
      'updated_at',
      'data',
    ],
    indexes: [
      `create index alert_incidents_phase on alert_incidents (${withCluster ? 'cluster, ' : ''}phase, since)`,
    ],
  };
}

function deliveriesTable(withCluster: boolean): SqliteTable {
  const c = withCluster ? 'cluster, ' : '';
  return {
    name: 'alert_deliveries',
    body: [
      'id integer primary key autoincrement',
      ...(withCluster ? [`cluster text not null default '${DEFAULT}'`] : []),
      'incident_id text not null',
      'transition text not null',
      'channel_id text not null',
      'channel_name text not null',
      'instance text not null',
      'status text not null',
      'attempts integer not null',
      'error text',
      'claimed_at bigint not null',
      'finished_at bigint',
      `constraint alert_deliveries_once unique (${c}incident_id, transition, channel_id)`,
    ].join(', '),
    columns: [
      'id',
      ...(withCluster ? ['cluster'] : []),
      'incident_id',
      'transition',
      'channel_id',
      'channel_name',
      'instance',
      'status',
      'attempts',
      'error',
      'claimed_at',
      'finished_at',
    ],
    indexes: [`create index alert_deliveries_claimed on alert_deliveries (${c}claimed_at, id)`],
  };
}

const REBUILT = [samplesTable, memberStatesTable, incidentsTable, deliveriesTable];

// ---------------------------------------------------------------------------
// Both dialects: tables whose key stays, only a column and indexes change.

async function addColumnsAndIndexes(db: Db) {
  for (const table of ['history_events', 'wizard_runs'])
    await run(
      db,
      lit(`alter table ${table} add column cluster text not null default '${DEFAULT}'`),
    );
  await run(db, sql`alter table audit_log add column cluster text`);
  await run(db, sql`update audit_log set cluster = ${DEFAULT}`);

  await run(db, sql`drop index history_events_at`);
  await run(db, sql`drop index history_events_subject`);
  await run(db, sql`create index history_events_at on history_events (cluster, at)`);
  await run(
    db,
    sql`create index history_events_subject on history_events (cluster, kind, subject, at)`,
  );
  await run(db, sql`drop index wizard_runs_created`);
  await run(db, sql`drop index wizard_runs_status`);
  await run(db, sql`create index wizard_runs_created on wizard_runs (cluster, created_at, id)`);
  await run(db, sql`create index wizard_runs_status on wizard_runs (cluster, status, created_at)`);
  // audit_log_at (at, id) stays: a cluster's page reads its own rows and the fleet-wide ones.
  await run(db, sql`create index audit_log_cluster on audit_log (cluster, at, id)`);
  await run(db, sql`update cluster_snapshots set name = ${DEFAULT} where name = 'cluster'`);
}

async function dropColumnsAndIndexes(db: Db) {
  await run(db, sql`delete from history_events where cluster <> ${DEFAULT}`);
  await run(db, sql`delete from wizard_runs where cluster <> ${DEFAULT}`);
  await run(db, sql`delete from audit_log where cluster <> ${DEFAULT}`);
  await run(db, sql`delete from cluster_snapshots where name <> ${DEFAULT}`);
  await run(db, sql`update cluster_snapshots set name = 'cluster'`);

  await run(db, sql`drop index audit_log_cluster`);
  await run(db, sql`drop index history_events_at`);
  await run(db, sql`drop index history_events_subject`);
  await run(db, sql`drop index wizard_runs_created`);
  await run(db, sql`drop index wizard_runs_status`);
  for (const table of ['history_events', 'wizard_runs', 'audit_log'])
    await run(db, lit(`alter table ${table} drop column cluster`));
  await run(db, sql`create index history_events_at on history_events (at)`);
  await run(db, sql`create index history_events_subject on history_events (kind, subject, at)`);
  await run(db, sql`create index wizard_runs_created on wizard_runs (created_at, id)`);
  await run(db, sql`create index wizard_runs_status on wizard_runs (status, created_at)`);
}

// ---------------------------------------------------------------------------
// Postgres: keys and constraints change in place.

async function upPostgres(db: Db) {
  await addColumnsAndIndexes(db);
  for (const table of ['history_samples', 'member_states', 'alert_incidents', 'alert_deliveries'])
    await run(
      db,
      lit(`alter table ${table} add column cluster text not null default '${DEFAULT}'`),
    );
  await run(db, sql`alter table history_samples drop constraint history_samples_pk`);
  await run(
    db,
    sql`alter table history_samples add constraint history_samples_pk primary key (cluster, resolution_ms, at)`,
  );
  await run(db, sql`alter table member_states drop constraint member_states_pk`);
  await run(
    db,
    sql`alter table member_states add constraint member_states_pk primary key (cluster, kind, subject)`,
  );
  await run(db, sql`alter table alert_incidents drop constraint alert_incidents_pkey`);
  await run(
    db,
    sql`alter table alert_incidents add constraint alert_incidents_pkey primary key (cluster, id)`,
  );
  await run(db, sql`drop index alert_incidents_phase`);
  await run(db, sql`create index alert_incidents_phase on alert_incidents (cluster, phase, since)`);
  await run(db, sql`alter table alert_deliveries drop constraint alert_deliveries_once`);
  await run(
    db,
    sql`alter table alert_deliveries add constraint alert_deliveries_once unique (cluster, incident_id, transition, channel_id)`,
  );
  await run(db, sql`drop index alert_deliveries_claimed`);
  await run(
    db,
    sql`create index alert_deliveries_claimed on alert_deliveries (cluster, claimed_at, id)`,
  );
}

async function downPostgres(db: Db) {
  for (const table of ['history_samples', 'member_states', 'alert_incidents', 'alert_deliveries'])
    await run(db, lit(`delete from ${table} where cluster <> '${DEFAULT}'`));
  await run(db, sql`alter table history_samples drop constraint history_samples_pk`);
  await run(
    db,
    sql`alter table history_samples add constraint history_samples_pk primary key (resolution_ms, at)`,
  );
  await run(db, sql`alter table member_states drop constraint member_states_pk`);
  await run(
    db,
    sql`alter table member_states add constraint member_states_pk primary key (kind, subject)`,
  );
  await run(db, sql`alter table alert_incidents drop constraint alert_incidents_pkey`);
  await run(
    db,
    sql`alter table alert_incidents add constraint alert_incidents_pkey primary key (id)`,
  );
  await run(db, sql`alter table alert_deliveries drop constraint alert_deliveries_once`);
  await run(
    db,
    sql`alter table alert_deliveries add constraint alert_deliveries_once unique (incident_id, transition, channel_id)`,
  );
  // Dropping the column drops the indexes on it; put the old ones back.
  for (const table of ['history_samples', 'member_states', 'alert_incidents', 'alert_deliveries'])
    await run(db, lit(`alter table ${table} drop column cluster`));
  await run(db, sql`create index alert_incidents_phase on alert_incidents (phase, since)`);
  await run(db, sql`create index alert_deliveries_claimed on alert_deliveries (claimed_at, id)`);
  await dropColumnsAndIndexes(db);
}

export function clusterColumns(dialect: StoreDialect): Migration {
  if (dialect === 'postgres') return { up: upPostgres, down: downPostgres };
  return {
    up: (db: Db) =>
      db.transaction().execute(async (trx) => {
        await addColumnsAndIndexes(trx);
        for (const shape of REBUILT) {
          const table = shape(true);
          const copy = table.columns.map((c) => (c === 'cluster' ? `'${DEFAULT}'` : c));
          await rebuildSqlite(trx, table, copy);
        }
      }),
    down: (db: Db) =>
      db.transaction().execute(async (trx) => {
        for (const shape of REBUILT) {
          const table = shape(false);
          await run(trx, lit(`delete from ${table.name} where cluster <> '${DEFAULT}'`));
          await rebuildSqlite(trx, table, table.columns);
        }
        await dropColumnsAndIndexes(trx);
      }),
  };
}
