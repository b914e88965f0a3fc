import { describe, expect, it } from 'vitest';
import { MemoryWizardRunStore, type NewWizardRun } from './wizard-runs';

const run = (over: Partial<NewWizardRun> = {}): NewWizardRun => ({
  kind: 'remove',
  status: 'open',
  step: 'command',
  state: { note: 'x' },
  createdBy: 'ada',
  ...over,
});

function clock(start = Date.parse('2024-05-01T12:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), tick: (ms: number) => (now += ms) };
}

describe('MemoryWizardRunStore', () => {
  it('creates, reads and updates runs, stamping the times', async () => {
    const time = clock();
    const store = new MemoryWizardRunStore(10, time.now);
    const created = await store.create(run());
    expect(created).toMatchObject({ status: 'open', createdAt: '2024-05-01T12:00:00.000Z' });
    expect(created.updatedAt).toBe(created.createdAt);
    time.tick(5000);
    const updated = await store.update(created.id, { status: 'verifying', step: 'verify' });
    expect(updated).toMatchObject({ status: 'verifying', step: 'verify', createdBy: 'ada' });
    expect(updated?.updatedAt).toBe('2024-05-01T12:00:05.000Z');
    expect(await store.get(created.id)).toEqual(updated);
    expect(await store.get('nope')).toBeNull();
    expect(await store.update('nope', { status: 'done' })).toBeNull();
  });

  it('lists newest first, filters by status and honours the limit', async () => {
    const store = new MemoryWizardRunStore();
    const a = await store.create(run());
    const b = await store.create(run({ kind: 'join', status: 'verifying' }));
    const c = await store.create(run({ kind: 'repair' }));
    expect((await store.list({ limit: 10 })).map((r) => r.id)).toEqual([c.id, b.id, a.id]);
    expect((await store.list({ limit: 2 })).map((r) => r.id)).toEqual([c.id, b.id]);
    expect((await store.list({ limit: 10, status: 'verifying' })).map((r) => r.id)).toEqual([b.id]);
  });

  it('hands out copies: changing a returned run does not change the stored one', async () => {
    const store = new MemoryWizardRunStore();
    const created = await store.create(run());
    (created.state as { note: string }).note = 'changed';
    expect(((await store.get(created.id))?.state as { note: string }).note).toBe('x');
  });

  it('forgets the oldest runs beyond its capacity', async () => {
    const store = new MemoryWizardRunStore(2);
    const first = await store.create(run());
    await store.create(run());
    await store.create(run());
    expect(await store.get(first.id)).toBeNull();
    expect(await store.list({ limit: 10 })).toHaveLength(2);
  });
});
