import Sqlite from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@/lib/config';
import { parseDatabaseUrl } from './db';
import { openStore } from './index';
import { tempDatabase } from './test-support';

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
  it('says plainly that Postgres is not supported yet', async () => {
    const attempt = openStore('postgres://console@db/console');
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(/postgres:\/\/ is not supported yet/);
  });

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
    expect(names).toEqual(['0001-history', '0002-wizard-runs', '0003-audit-log']);
    const tables = (
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely%' AND name NOT LIKE 'sqlite%' ORDER BY name",
        )
        .all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual([
      'audit_log',
      'history_events',
      'history_samples',
      'member_states',
      'wizard_runs',
    ]);
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
