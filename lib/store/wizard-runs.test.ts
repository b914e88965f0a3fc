import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WizardRunStore } from '@/lib/server/wizard-runs';
import { openStore, type Store } from './index';
import { storeBackends, type StoreBackend } from './test-support';

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
