// Opens the database DATABASE_URL names: a SQLite file (the default) through better-sqlite3, tuned
// for one writer and many readers. The Kysely instance is all the rest of the store sees, so a
// Postgres dialect can slot in here without touching the queries.
import 'server-only';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, sql, SqliteDialect, type SqliteDatabase } from 'kysely';
import { ConfigError } from '@/lib/config';
import type { StoreSchema } from './schema';

export type StoreDialect = 'sqlite' | 'postgres';

export type DatabaseLocation =
  | { dialect: 'sqlite'; /** A file path, or ":memory:". */ file: string }
  | { dialect: 'postgres'; url: string };

/**
 * `file:./data/console.db`, `file:/var/lib/console.db`, `file:///var/lib/console.db`,
 * `sqlite:…` (same forms), `file::memory:`; `postgres://…` / `postgresql://…`.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  const value = url.trim();
  if (/^postgres(ql)?:\/\//i.test(value)) return { dialect: 'postgres', url: value };
  const match = /^(file|sqlite):(.*)$/i.exec(value);
  const rest = match?.[2]?.replace(/\?.*$/, '');
  if (!rest) {
    throw new ConfigError([
      `DATABASE_URL: expected a file:, sqlite: or postgres:// URL, got "${value}" (e.g. DATABASE_URL=file:./data/console.db)`,
    ]);
  }
  if (rest === ':memory:') return { dialect: 'sqlite', file: ':memory:' };
  // file:///abs → /abs; file://host/… is not a local path.
  const file = rest.startsWith('//')
    ? decodeURIComponent(rest.replace(/^\/\/(localhost)?/, ''))
    : rest;
  if (!file.startsWith('/') && rest.startsWith('//')) {
    throw new ConfigError([`DATABASE_URL: "${value}" names a remote host; use a local file path`]);
  }
  return { dialect: 'sqlite', file: path.resolve(decodeURIComponent(file)) };
}

export interface OpenedDatabase {
  db: Kysely<StoreSchema>;
  dialect: StoreDialect;
  /** Where the data lives, for log lines (a file path for SQLite). */
  location: string;
  /** Gives freed space back to the file system after a purge (no-op where the server does it). */
  reclaimSpace(): Promise<void>;
}

const BUSY_TIMEOUT_MS = 5000;
/** 1 MiB of 4 KiB pages. */
const RECLAIM_PAGES = 256;

function openSqlite(file: string): Sqlite.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const database = new Sqlite(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    // Incremental auto-vacuum lets retention hand pages back without a full VACUUM. It only
    // takes effect on a new file, or after one VACUUM on a file made without it.
    if (database.pragma('auto_vacuum', { simple: true }) !== 2) {
      database.pragma('auto_vacuum = INCREMENTAL');
      database.exec('VACUUM');
    }
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    database.pragma('foreign_keys = ON');
    // The WAL file shrinks back to this after checkpoints instead of keeping its high-water mark.
    database.pragma(`journal_size_limit = ${4 * 1024 * 1024}`);
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

const STATEMENT_CACHE = 64;

/**
 * Kysely prepares every query afresh; the store runs the same few statements over and over, so
 * keep the most recent ones prepared (SQLite parses each once instead of on every call).
 */
function withStatementCache(database: Sqlite.Database): SqliteDatabase {
  const prepared = new Map<string, Sqlite.Statement>();
  return {
    close: () => database.close(),
    prepare(source) {
      let statement = prepared.get(source);
      if (statement) {
        prepared.delete(source); // re-inserted below: the map's order is recency
      } else {
        statement = database.prepare(source);
        if (prepared.size >= STATEMENT_CACHE) {
          const oldest = prepared.keys().next();
          if (!oldest.done) prepared.delete(oldest.value);
        }
      }
      prepared.set(source, statement);
      return statement;
    },
  };
}

export function openDatabase(databaseUrl: string): OpenedDatabase {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.dialect === 'postgres') {
    throw new ConfigError([
      'DATABASE_URL: postgres:// is not supported yet; use a SQLite file (e.g. DATABASE_URL=file:./data/console.db) or leave it unset',
    ]);
  }
  const database = openSqlite(location.file);
  const db = new Kysely<StoreSchema>({
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
  });
  return {
    db,
    dialect: 'sqlite',
    location: location.file,
    async reclaimSpace() {
      // Freed pages are reused by later inserts anyway; hand them back only once they add up.
      const free = await sql<{ freelist_count: number }>`PRAGMA freelist_count`.execute(db);
      if ((free.rows[0]?.freelist_count ?? 0) >= RECLAIM_PAGES)
        await sql`PRAGMA incremental_vacuum`.execute(db);
    },
  };
}
