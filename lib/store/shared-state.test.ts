import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCoordination } from './coordination';
import { openStore, type Store } from './index';
import { storeBackends, type StoreBackend } from '@/test/support/store';

let backend: StoreBackend;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function store(url?: string): Promise<Store> {
  const t = url ? { url, remove: () => undefined } : await backend.temp();
  const s = await openStore(t.url);
  cleanups.push(
    () => t.remove(),
    () => s.close(),
  );
  return s;
}

describe.each(storeBackends())('shared state on $name', (b) => {
  beforeAll(() => {
    backend = b;
  });

  it('remembers revoked sessions until they would have expired', async () => {
    const { revokedSessions } = await store();
    expect(await revokedSessions.isRevoked('s1')).toBe(false);
    await revokedSessions.revoke('s1', 5_000);
    await revokedSessions.revoke('s1', 5_000); // signing out twice is fine
    await revokedSessions.revoke('s2', 9_000);
    expect(await revokedSessions.isRevoked('s1')).toBe(true);
    expect(await revokedSessions.listActive(6_000)).toEqual([{ id: 's2', expiresAt: 9_000 }]);
    expect(await revokedSessions.purgeExpired(6_000)).toBe(1);
    expect(await revokedSessions.isRevoked('s1')).toBe(false);
    expect(await revokedSessions.isRevoked('s2')).toBe(true);
  });

  it('keeps the latest snapshot only, and skips reading it again when unchanged', async () => {
    const { snapshots } = await store();
    expect(await snapshots.read()).toBeNull();
    const first = {
      instance: 'a:1',
      generatedAt: '2024-05-01T00:00:00.000Z',
      json: '{"n":1}',
      updatedAt: 1,
    };
    await snapshots.publish(first);
    await snapshots.publish({
      ...first,
      generatedAt: '2024-05-01T00:00:02.000Z',
      json: '{"n":2}',
      updatedAt: 2,
    });
    expect(await snapshots.read()).toEqual({
      instance: 'a:1',
      generatedAt: '2024-05-01T00:00:02.000Z',
      json: '{"n":2}',
      updatedAt: 2,
    });
    expect(await snapshots.read('2024-05-01T00:00:02.000Z')).toBe('unchanged');
    expect(await snapshots.read('2024-05-01T00:00:00.000Z')).toMatchObject({ json: '{"n":2}' });
  });
});

const postgres = storeBackends().find((b) => b.name === 'Postgres');

describe.skipIf(!postgres)('poller lock on Postgres', () => {
  it('is held by one connection at a time and released when its holder goes', async () => {
    const { url } = await postgres!.temp();
    const a = await openCoordination(url);
    const b = await openCoordination(url);
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    expect(await a.tryLock()).toBe(true);
    expect(await a.tryLock()).toBe(true); // re-entrant for its holder
    expect(await b.tryLock()).toBe(false);
    await a.close();
    expect(await a.lost).toBeInstanceOf(Error);
    expect(await b.tryLock()).toBe(true);
  });

  it('tells listening instances when a snapshot is published', async () => {
    const { url } = await postgres!.temp();
    const s = await store(url);
    const listener = await openCoordination(url);
    cleanups.push(() => listener.close());
    const heard = new Promise<string>((resolve) => listener.onSnapshot(resolve));
    await s.snapshots.publish({
      instance: 'a:1',
      generatedAt: '2024-05-01T00:00:04.000Z',
      json: '{}',
      updatedAt: 4,
    });
    expect(await heard).toBe('2024-05-01T00:00:04.000Z');
  });

  it('notices a connection the server ended', async () => {
    const { url } = await postgres!.temp();
    const a = await openCoordination(url);
    cleanups.push(() => a.close());
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    cleanups.push(() => admin.end());
    const killed = await admin.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where application_name like 'dtr-ha-console coordination %'",
    );
    expect(killed.rowCount).toBe(1);
    expect((await a.lost).message).toMatch(/terminat|closed|connection/i);
    await expect(a.check(1000)).rejects.toThrow();
  });
});
