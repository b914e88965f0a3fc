// Who polls, when several console instances share one Postgres database: the instance holding a
// session-level advisory lock. The lock lives on a connection of its own, so it is released the
// moment that connection ends — the holder exiting, crashing or being killed (the server sees the
// socket close) — and another instance's next attempt takes it. The same connection LISTENs for
// new snapshots while the instance is on standby. Each coordination connection carries its
// instance's name (application_name), so every instance can count from Postgres itself how many
// poller locks each live instance holds (`pollerCounts`), which is what rebalancing goes by.
import 'server-only';
import { hostname } from 'node:os';
import pg from 'pg';
import { postgresClientConfig } from './db';
import { parseSnapshotPayload, SNAPSHOT_CHANNEL } from './snapshots';

// pg_try_advisory_lock(int4, int4): 'DTRH' and an id per cluster — the console's poller locks.
const LOCK_CLASS = 0x44545248;
const DEFAULT_LOCK_ID = 1;

/**
 * The poller lock's id for a cluster: 1 for "default" (what a console before fleets takes, so
 * old and new instances never poll the default cluster at once); for any other name a 32-bit
 * FNV-1a hash of its UTF-8 bytes, as a signed int4, never 1. Two names may share an id (about
 * one chance in 4 billion a pair): then one instance polls both, which is safe, only less spread.
 */
export function pollerLockId(cluster = 'default'): number {
  if (cluster === 'default') return DEFAULT_LOCK_ID;
  const hash = fnv1a(cluster) | 0; // signed int4
  return hash === DEFAULT_LOCK_ID ? DEFAULT_LOCK_ID + 1 : hash;
}

/** 32-bit FNV-1a of the UTF-8 bytes, unsigned. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Every coordination connection's application_name starts so; the instance's name follows. */
export const COORDINATION_APPLICATION = 'dtr-ha-console coordination';
/** Postgres keeps at most 63 bytes of application_name, and only printable ASCII. */
const APPLICATION_NAME_MAX = 63;

/**
 * An instance's name as it goes into application_name after the prefix: printable ASCII (others
 * become "?", as Postgres would), and a name too long for the 63 bytes Postgres keeps is cut and
 * ends in "~" and a hash of the whole name, so two long names sharing a beginning stay apart.
 */
export function coordinationName(instance: string): string {
  const ascii = instance.replace(/[^\x20-\x7e]/g, '?');
  const room = APPLICATION_NAME_MAX - COORDINATION_APPLICATION.length - 1;
  if (ascii.length <= room) return ascii;
  const hash = fnv1a(instance).toString(16).padStart(8, '0');
  return `${ascii.slice(0, room - hash.length - 1)}~${hash}`;
}

export interface CoordinationConnection {
  /**
   * Takes the poller lock of `cluster` (default: "default") if nobody holds it; true when this
   * connection now holds it. One lock per cluster: one poller per cluster across instances.
   */
  tryLock(cluster?: string): Promise<boolean>;
  /** Rejects when the connection is gone or does not answer within `timeoutMs`. */
  check(timeoutMs: number): Promise<void>;
  /**
   * Calls `listener` with each new snapshot's generatedAt announced by a poller, and the name of
   * the cluster it is of (compare it with yours: every cluster's snapshots are announced).
   */
  onSnapshot(listener: (generatedAt: string, cluster: string) => void): void;
  /** This instance's name as `pollerCounts` reports it (see `coordinationName`). */
  readonly instance: string;
  /**
   * How many clusters each live console instance polls, from Postgres: every instance with a
   * coordination connection to this database (an instance polling nothing is there with 0, through
   * its standby connections), and the poller locks its connections hold. Rejects when the database
   * does not answer within `timeoutMs`.
   */
  pollerCounts(timeoutMs: number): Promise<Map<string, number>>;
  /** Resolves (with the reason) when the connection ends; the lock, if held, is gone with it. */
  readonly lost: Promise<Error>;
  close(): Promise<void>;
}

export interface CoordinationOptions {
  /** This console instance's name, the same on all its connections. Default host:pid. */
  instance?: string;
}

export async function openCoordination(
  connectionString: string,
  { instance = `${hostname()}:${process.pid}` }: CoordinationOptions = {},
): Promise<CoordinationConnection> {
  const name = coordinationName(instance);
  const client = new pg.Client({
    ...postgresClientConfig(connectionString),
    // Told apart from the pool's connections in pg_stat_activity, and one instance from another.
    application_name: `${COORDINATION_APPLICATION} ${name}`,
  });
  let markLost: (error: Error) => void = () => undefined;
  const lost = new Promise<Error>((resolve) => (markLost = resolve));
  client.on('error', (error) => markLost(error));
  client.on('end', () => markLost(new Error('the coordination connection closed')));
  const listeners: ((generatedAt: string, cluster: string) => void)[] = [];
  client.on('notification', (message) => {
    if (message.channel !== SNAPSHOT_CHANNEL || !message.payload) return;
    const { cluster, generatedAt } = parseSnapshotPayload(message.payload);
    for (const listener of listeners) listener(generatedAt, cluster);
  });
  try {
    await client.connect();
    await client.query(`listen ${SNAPSHOT_CHANNEL}`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | null = null;
  /** `query`, unless the connection ends or `timeoutMs` passes first. */
  const answered = async <R>(query: Promise<R>, timeoutMs: number): Promise<R> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the database did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([query, timeout, lost.then((e) => Promise.reject(e))]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    instance: name,
    async tryLock(cluster) {
      const result = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock($1, $2) as locked',
        [LOCK_CLASS, pollerLockId(cluster)],
      );
      return result.rows[0]?.locked === true;
    },
    async check(timeoutMs) {
      await answered(client.query('select 1'), timeoutMs);
    },
    async pollerCounts(timeoutMs) {
      // Sessions of this database only (another console's database on the same server is another
      // fleet); a lock in pg_locks is held when granted; advisory locks taken with two int4 keys
      // have objsubid 2 and the first key as classid.
      const result = await answered(
        client.query<{ instance: string; polling: number }>(
          `select substr(a.application_name, $2::int) as instance, count(l.pid)::int as polling
             from pg_stat_activity a
             left join pg_locks l
               on l.pid = a.pid and l.locktype = 'advisory' and l.classid = $1::oid
              and l.objsubid = 2 and l.granted
            where a.datname = current_database() and left(a.application_name, $3::int) = $4
            group by 1`,
          [
            LOCK_CLASS,
            COORDINATION_APPLICATION.length + 2,
            COORDINATION_APPLICATION.length + 1,
            `${COORDINATION_APPLICATION} `,
          ],
        ),
        timeoutMs,
      );
      return new Map(result.rows.map((row) => [row.instance, row.polling]));
    },
    onSnapshot(listener) {
      listeners.push(listener);
    },
    lost,
    close() {
      // A connection that stopped answering may never finish a polite end: give it a second.
      closing ??= Promise.race([
        client.end().catch(() => undefined),
        new Promise<void>((resolve) => setTimeout(resolve, 1000).unref()),
      ]);
      return closing;
    },
  };
}
