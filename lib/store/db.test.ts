import Sqlite from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@/lib/config';
import { canRunPostgres, sharedPostgres, stopSharedPostgres } from '@/test/postgres/server';
import { parseDatabaseUrl, redactDatabaseUrl } from './db';
import { openStore } from './index';
import { tempDatabase } from '@/test/support/store';

const MIGRATIONS = [
  '0001-history',
  '0002-wizard-runs',
  '0003-audit-log',
  '0004-shared-state',
  '0005-wizard-runs-stale',
  '0006-alerts',
  '0007-cluster',
  '0008-executions',
  '0009-wizard-runs-executing',
  '0010-execution-holds',
];
const TABLES = [
  'alert_channels',
  'alert_deliveries',
  'alert_incidents',
  'audit_log',
  'cluster_snapshots',
  'execution_holds',
  'execution_lines',
  'executions',
  'history_events',
  'history_samples',
  'member_states',
  'revoked_sessions',
  'wizard_runs',
];

const temps: ReturnType<typeof tempDatabase>[] = [];
const temp = () => {
  const t = tempDatabase();
  temps.push(t);
  return t;
};
afterEach(() => temps.splice(0).forEach((t) => t.remove()));

describe('parseDatabaseUrl', () => {
  it('reads SQLite file URLs in their usual spellings', () => {
    expect(parseDatabaseUrl('file:./data/console.db')).toEqual({
      dialect: 'sqlite',
      file: path.resolve('data/console.db'),
    });
    expect(parseDatabaseUrl('sqlite:/var/lib/console.db')).toEqual({
      dialect: 'sqlite',
      file: '/var/lib/console.db',
    });
    expect(parseDatabaseUrl('file:///var/lib/my%20console.db')).toEqual({
      dialect: 'sqlite',
      file: '/var/lib/my console.db',
    });
    expect(parseDatabaseUrl('file::memory:')).toEqual({ dialect: 'sqlite', file: ':memory:' });
    expect(parseDatabaseUrl('postgres://console@db/console')).toEqual({
      dialect: 'postgres',
      url: 'postgres://console@db/console',
    });
  });

  it('rejects what it cannot open', () => {
    expect(() => parseDatabaseUrl('mysql://db')).toThrow(ConfigError);
    expect(() => parseDatabaseUrl('file://otherhost/console.db')).toThrow(/remote host/);
  });
});

describe('openStore', () => {
  it('creates the directory and a WAL-mode file with incremental auto-vacuum', async () => {
    const t = temp();
    const store = await openStore(t.url);
    await store.close();
    expect(existsSync(t.file)).toBe(true);
    const db = new Sqlite(t.file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    db.close();
  });

  it('runs each migration once, and reopening changes nothing', async () => {
    const t = temp();
    await (await openStore(t.url)).close();
    const again = await openStore(t.url);
    await again.wizardRuns.create({ kind: 'join', step: 'pick-node', createdBy: 'admin' });
    await again.close();
    await (await openStore(t.url)).close();

    const db = new Sqlite(t.file);
    const names = (
      db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    expect(names).toEqual(MIGRATIONS);
    const tables = (
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely%' AND name NOT LIKE 'sqlite%' ORDER BY name",
        )
        .all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(TABLES);
    expect(db.prepare('SELECT count(*) AS n FROM wizard_runs').get()).toEqual({ n: 1 });
    db.close();
  });

  it('turns on incremental auto-vacuum for a file made without it', async () => {
    const t = temp();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(t.file), { recursive: true });
    const old = new Sqlite(t.file);
    old.exec('CREATE TABLE leftover (x)');
    old.close();
    await (await openStore(t.url)).close();
    const db = new Sqlite(t.file);
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    db.close();
  });
});

describe.skipIf(!canRunPostgres())('openStore on Postgres', () => {
  afterAll(stopSharedPostgres, 30_000);

  it('migrates once even when two instances start at the same moment, and reopening changes nothing', async () => {
    const url = await (await sharedPostgres()).createDatabase();
    const [a, b] = await Promise.all([openStore(url), openStore(url)]);
    await a.wizardRuns.create({ kind: 'join', step: 'pick-node', createdBy: 'admin' });
    expect(await b.wizardRuns.list({ limit: 10 })).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
    await (await openStore(url)).close();

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const names = await client.query<{ name: string }>(
        'select name from kysely_migration order by name',
      );
      expect(names.rows.map((r) => r.name)).toEqual(MIGRATIONS);
      const tables = await client.query<{ tablename: string; persistence: string }>(
        `select c.relname as tablename, c.relpersistence as persistence from pg_class c
           join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind = 'r' and c.relname not like 'kysely%'
          order by c.relname`,
      );
      expect(tables.rows.map((r) => r.tablename)).toEqual(TABLES);
      // The latest snapshot is rewritten every poll and needs no crash safety: unlogged.
      expect(tables.rows.find((r) => r.tablename === 'cluster_snapshots')?.persistence).toBe('u');
      expect(tables.rows.find((r) => r.tablename === 'history_events')?.persistence).toBe('p');
    } finally {
      await client.end();
    }
  });

  it('gives epoch-millisecond bigints back as numbers, as SQLite does', async () => {
    const store = await openStore(await (await sharedPostgres()).createDatabase());
    try {
      const at = Date.parse('2024-05-01T00:00:00.000Z');
      await store.history.recordEvents([
        {
          at: new Date(at).toISOString(),
          kind: 'replica',
          subject: 'a1',
          from: null,
          to: 'unreachable',
          detail: {},
        },
      ]);
      expect(await store.history.offlineSince('a1')).toBe('2024-05-01T00:00:00.000Z');
      const counts = await store.history.counts();
      expect(counts.events).toBe(1);
      expect(typeof counts.events).toBe('number');
    } finally {
      await store.close();
    }
  });

  it('explains an unreachable server without printing its password', async () => {
    const attempt = openStore('postgres://console:s3cret-pw@127.0.0.1:1/console');
    await expect(attempt).rejects.toThrow(/ECONNREFUSED|connect/);
    await expect(attempt).rejects.not.toThrow(/s3cret-pw/);
    expect(redactDatabaseUrl('postgres://console:s3cret-pw@db:5432/console?sslmode=require')).toBe(
      'postgres://console@db:5432/console',
    );
  });
});
