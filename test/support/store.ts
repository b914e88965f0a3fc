// Temp stores for tests: each gets its own SQLite directory (removed afterwards) or its own
// database on a throwaway Postgres server (test/postgres/server.ts), so the same repository tests
// run on both dialects.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { canRunPostgres, sharedPostgres, stopSharedPostgres } from '@/test/postgres/server';

export function tempDatabase(): { url: string; file: string; dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'console-store-'));
  const file = path.join(dir, 'data', 'console.db');
  return {
    url: `file:${file}`,
    file,
    dir,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface StoreBackend {
  name: 'SQLite' | 'Postgres';
  /** A new, empty database's URL, how to remove it, and its file on SQLite. */
  temp(): Promise<{ url: string; remove(): void; file?: string }>;
}

let stopRegistered = false;

/**
 * SQLite always; Postgres where a server can be started (always in CI). For
 * `describe.each(storeBackends())('… on $name', …)`; the Postgres server stops after the file.
 */
export function storeBackends(): StoreBackend[] {
  const backends: StoreBackend[] = [{ name: 'SQLite', temp: async () => tempDatabase() }];
  if (canRunPostgres()) {
    if (!stopRegistered) {
      stopRegistered = true;
      afterAll(stopSharedPostgres, 30_000);
    }
    backends.push({
      name: 'Postgres',
      temp: async () => ({
        url: await (await sharedPostgres()).createDatabase(),
        // The whole server is thrown away after the file.
        remove: () => undefined,
      }),
    });
  }
  return backends;
}
