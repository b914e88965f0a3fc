// Who polls, when several console instances share one Postgres database: the instance holding a
// session-level advisory lock. The lock lives on a connection of its own, so it is released the
// moment that connection ends — the holder exiting, crashing or being killed (the server sees the
// socket close) — and another instance's next attempt takes it. The same connection LISTENs for
// new snapshots while the instance is on standby.
import 'server-only';
import pg from 'pg';
import { postgresClientConfig } from './db';
import { SNAPSHOT_CHANNEL } from './snapshots';

// pg_try_advisory_lock(int4, int4): 'DTRH' and 1 — the console's poller lock.
const LOCK_CLASS = 0x44545248;
const LOCK_ID = 1;

export interface CoordinationConnection {
  /** Takes the poller lock if nobody holds it; true when this connection now holds it. */
  tryLock(): Promise<boolean>;
  /** Rejects when the connection is gone or does not answer within `timeoutMs`. */
  check(timeoutMs: number): Promise<void>;
  /** Calls `listener` with each new snapshot's generatedAt announced by the poller. */
  onSnapshot(listener: (generatedAt: string) => void): void;
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
  const listeners: ((generatedAt: string) => void)[] = [];
  client.on('notification', (message) => {
    if (message.channel !== SNAPSHOT_CHANNEL || !message.payload) return;
    for (const listener of listeners) listener(message.payload);
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
    async tryLock() {
      const result = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock($1, $2) as locked',
        [LOCK_CLASS, LOCK_ID],
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
