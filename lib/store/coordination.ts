// Who polls, when several console instances share one Postgres database: the instance holding a
// session-level advisory lock. The lock lives on a connection of its own, so it is released the
// moment that connection ends — the holder exiting, crashing or being killed (the server sees the
// socket close) — and another instance's next attempt takes it. The same connection LISTENs for
// new snapshots while the instance is on standby.
import 'server-only';
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
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(cluster)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  hash |= 0; // signed int4
  return hash === DEFAULT_LOCK_ID ? DEFAULT_LOCK_ID + 1 : hash;
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
  /** Resolves (with the reason) when the connection ends; the lock, if held, is gone with it. */
  readonly lost: Promise<Error>;
  close(): Promise<void>;
}

export async function openCoordination(connectionString: string): Promise<CoordinationConnection> {
  const client = new pg.Client({
    ...postgresClientConfig(connectionString),
    // Told apart from the pool's connections in pg_stat_activity.
    application_name: 'dtr-ha-console coordination',
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
  return {
    async tryLock(cluster) {
      const result = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock($1, $2) as locked',
        [LOCK_CLASS, pollerLockId(cluster)],
      );
      return result.rows[0]?.locked === true;
    },
    async check(timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the database did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([
          client.query('select 1'),
          timeout,
          lost.then((e) => Promise.reject(e)),
        ]);
      } finally {
        clearTimeout(timer);
      }
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
