import { Migrator, sql } from 'kysely';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WizardRunStore } from '@/lib/server/services/wizard-runs';
import { openDatabase } from './db';
import { openStore, type Store } from './index';
import { migrationProvider } from './migrations';
import { storeBackends, type StoreBackend } from '@/test/support/store';

let backend: StoreBackend;

const START = Date.parse('2024-05-01T12:00:00.000Z');
let clockMs = START;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function store(): Promise<Store> {
  const t = await backend.temp();
  const s = await openStore(t.url, { clock: () => new Date(clockMs) });
  cleanups.push(
    () => t.remove(),
    () => s.close(),
  );
  return s;
}

describe.each(storeBackends())('wizard runs on $name', (b) => {
  beforeAll(() => {
    backend = b;
  });
  beforeEach(() => {
    clockMs = START;
  });

  it('creates, updates and reads a run, keeping its state as JSON', async () => {
    const { wizardRuns } = await store();
    const run = await wizardRuns.create({
      kind: 'remove',
      step: 'confirm',
      state: { replicaId: 'a1640e1c15b6', checks: [true, false] },
      createdBy: 'admin',
    });
    expect(run).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      kind: 'remove',
      status: 'open',
      step: 'confirm',
      state: { replicaId: 'a1640e1c15b6', checks: [true, false] },
      createdBy: 'admin',
      createdAt: '2024-05-01T12:00:00.000Z',
      updatedAt: '2024-05-01T12:00:00.000Z',
    });

    clockMs += 60_000;
    const updated = await wizardRuns.update(run.id, { status: 'verifying', step: 'verify' });
    expect(updated).toMatchObject({
      status: 'verifying',
      step: 'verify',
      state: run.state,
      updatedAt: '2024-05-01T12:01:00.000Z',
    });
    expect(await wizardRuns.get(run.id)).toEqual(updated);
    expect(await wizardRuns.update('no-such-run', { status: 'done' })).toBeNull();
    expect(await wizardRuns.get('no-such-run')).toBeNull();
  });

  it('lists newest first, by status, up to the limit', async () => {
    const { wizardRuns } = await store();
    const ids: string[] = [];
    for (const kind of ['join', 'remove', 'repair', 'join'] as const) {
      clockMs += 1000;
      ids.push((await wizardRuns.create({ kind, step: 'start', createdBy: 'admin' })).id);
    }
    await wizardRuns.update(ids[1]!, { status: 'done' });
    expect((await wizardRuns.list({ limit: 10 })).map((r) => r.id)).toEqual([...ids].reverse());
    expect((await wizardRuns.list({ limit: 2 })).map((r) => r.id)).toEqual([ids[3], ids[2]]);
    expect((await wizardRuns.list({ limit: 10, status: 'done' })).map((r) => r.id)).toEqual([
      ids[1],
    ]);
  });

  it('refuses a kind or status outside the table’s constraints', async () => {
    const { wizardRuns } = await store();
    await expect(
      wizardRuns.create({ kind: 'destroy' as 'join', step: 'x', createdBy: 'admin' }),
    ).rejects.toThrow(/check constraint/i);
    const run = await wizardRuns.create({ kind: 'join', step: 'command', createdBy: 'admin' });
    await expect(wizardRuns.update(run.id, { status: 'gone' as 'open' })).rejects.toThrow(
      /check constraint/i,
    );
  });

  it('keeps a withdrawn run as stale and lists it by that status', async () => {
    const { wizardRuns } = await store();
    const run = await wizardRuns.create({ kind: 'repair', step: 'command', createdBy: 'admin' });
    await wizardRuns.update(run.id, { status: 'stale', state: { withdrawn: { reason: 'r' } } });
    expect(await wizardRuns.get(run.id)).toMatchObject({
      status: 'stale',
      state: { withdrawn: { reason: 'r' } },
    });
    expect((await wizardRuns.list({ limit: 10, status: 'stale' })).map((r) => r.id)).toEqual([
      run.id,
    ]);
    expect(await wizardRuns.list({ limit: 10, status: 'open' })).toEqual([]);
  });

  it('migration 0005 keeps the runs of an older database, with their indexes, and lets them go stale', async () => {
    const t = await backend.temp();
    cleanups.push(() => t.remove());
    const before = openDatabase(t.url);
    const migrated = await new Migrator({
      db: before.db,
      provider: migrationProvider(before.dialect),
    }).migrateTo('0004-shared-state');
    expect(migrated.error).toBeUndefined();
    const row = {
      id: 'run-from-an-older-console',
      kind: 'remove',
      status: 'open',
      step: 'command',
      state: '{"command":"docker run ... remove"}',
      created_by: 'admin',
      created_at: '2024-04-30T08:00:00.000Z',
      updated_at: '2024-04-30T08:05:00.000Z',
    };
    await before.db.insertInto('wizard_runs').values(row).execute();
    // What 0005 is for: the older table has no room for a withdrawn run.
    await expect(
      before.db
        .insertInto('wizard_runs')
        .values({ ...row, id: 'withdrawn', status: 'stale' })
        .execute(),
    ).rejects.toThrow(/check constraint/i);
    await before.db.destroy();

    const { wizardRuns } = await openStore(t.url, { clock: () => new Date(clockMs) }).then((s) => {
      cleanups.push(() => s.close());
      return s;
    });
    expect(await wizardRuns.get(row.id)).toEqual({
      id: row.id,
      kind: 'remove',
      status: 'open',
      step: 'command',
      state: { command: 'docker run ... remove' },
      createdBy: 'admin',
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
    await expect(
      wizardRuns.create({ id: row.id, kind: 'join', step: 'command', createdBy: 'admin' }),
    ).rejects.toThrow(/unique|duplicate/i);
    expect((await wizardRuns.update(row.id, { status: 'stale' }))?.status).toBe('stale');
    await expect(wizardRuns.update(row.id, { status: 'gone' as 'open' })).rejects.toThrow(
      /check constraint/i,
    );

    const after = openDatabase(t.url);
    try {
      const indexes =
        after.dialect === 'postgres'
          ? await sql<{
              name: string;
            }>`select indexname as name from pg_indexes where tablename = 'wizard_runs' and indexname like 'wizard_runs_%' and indexname <> 'wizard_runs_pkey' order by 1`.execute(
              after.db,
            )
          : await sql<{
              name: string;
            }>`select name from sqlite_master where type = 'index' and tbl_name = 'wizard_runs' and name like 'wizard_runs_%' order by 1`.execute(
              after.db,
            );
      expect(indexes.rows.map((r) => r.name)).toEqual([
        'wizard_runs_created',
        'wizard_runs_status',
      ]);
    } finally {
      await after.db.destroy();
    }
  });

  it('can stand in for the wizards’ in-memory store', async () => {
    const s = await store();
    const swap: WizardRunStore = s.wizardRuns;
    const run = await swap.create({
      kind: 'join',
      status: 'open',
      step: 'pick-node',
      state: null,
      createdBy: 'admin',
    });
    expect((await swap.get(run.id))?.state).toBeNull();
  });
});
