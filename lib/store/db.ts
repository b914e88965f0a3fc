// Opens the database DATABASE_URL names: a SQLite file (the default) through better-sqlite3, tuned
// for one writer and many readers, or a Postgres database (node-postgres pool) that several
// console instances share. The Kysely instance is all the rest of the store sees: the queries are
// the same for both, only the dialect differs.
import 'server-only';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
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
  /** Where the data lives, for log lines (a file path for SQLite, host/database without password for Postgres). */
  location: string;
  /** For Postgres: how to open a connection of one's own (advisory locks, LISTEN). */
  connectionString: string | null;
  /** Gives freed space back to the file system after a purge (no-op where the server does it). */
  reclaimSpace(): Promise<void>;
}

const BUSY_TIMEOUT_MS = 5000;
/** 1 MiB of 4 KiB pages. */
const RECLAIM_PAGES = 256;

/**
 * Creates `dir` and its missing parents one level at a time. Not mkdirSync's `recursive`: on a
 * path the kernel refuses oddly (under /proc, say) Node's recursive mkdir loops forever in
 * synchronous code, one core at 100 % and deaf to SIGTERM. Throws on the first refusal.
 */
export function ensureDirectory(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    try {
      if (!statSync(current).isDirectory()) throw new Error(`${current} is not a directory`);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const parent = path.dirname(current);
      if (parent === current) throw error;
      missing.unshift(current);
      current = parent;
    }
  }
  for (const entry of missing) {
    try {
      mkdirSync(entry);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

function openSqlite(file: string): Sqlite.Database {
  if (file !== ':memory:') ensureDirectory(path.dirname(file));
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

/** `postgres://user:secret@host:5432/db` → `postgres://user@host:5432/db`, for log lines. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

// int8 (bigint) arrives as a string by default; every bigint here is epoch milliseconds, an
// identity or a count, all far below 2^53, so they come back as numbers as on SQLite.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Pool size per console instance: the poll loop's writes plus concurrent page and API reads. */
const PG_POOL_SIZE = 10;
const PG_CONNECT_TIMEOUT_MS = 5000;

/** node-postgres client settings shared by the pool and the coordination connection. */
export function postgresClientConfig(connectionString: string): pg.ClientConfig {
  return {
    connectionString,
    types: pgTypes,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    application_name: 'dtr-ha-console',
    // A dead peer (pulled cable, frozen VM) is noticed by the kernel instead of never.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

function openPostgres(connectionString: string): OpenedDatabase {
  const pool = new pg.Pool({ ...postgresClientConfig(connectionString), max: PG_POOL_SIZE });
  // An idle client losing its server (restart, failover) must not crash the process; the pool
  // drops it and the next query opens a new connection.
  pool.on('error', (error) => console.warn(`database: idle connection lost: ${error.message}`));
  return {
    db: new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) }),
    dialect: 'postgres',
    location: redactDatabaseUrl(connectionString),
    connectionString,
    // Autovacuum hands space back on the server's own schedule.
    reclaimSpace: async () => undefined,
  };
}

export function openDatabase(databaseUrl: string): OpenedDatabase {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.dialect === 'postgres') return openPostgres(location.url);
  const database = openSqlite(location.file);
  const db = new Kysely<StoreSchema>({
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
  });
  return {
    db,
    dialect: 'sqlite',
    location: location.file,
    connectionString: null,
    async reclaimSpace() {
      // Freed pages are reused by later inserts anyway; hand them back only once they add up.
      const free = await sql<{ freelist_count: number }>`PRAGMA freelist_count`.execute(db);
      if ((free.rows[0]?.freelist_count ?? 0) >= RECLAIM_PAGES)
        await sql`PRAGMA incremental_vacuum`.execute(db);
    },
  };
}
