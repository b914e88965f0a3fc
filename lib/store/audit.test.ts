import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditLog } from '@/lib/auth/audit';
import { openStore } from './index';
import { storeBackends, type StoreBackend } from './test-support';

let backend: StoreBackend;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(storeBackends())('audit log on $name', (b) => {
  beforeAll(() => {
    backend = b;
  });

  it('records events and lists them newest first, paging back with before, across a restart', async () => {
    const t = await backend.temp();
    cleanups.push(() => t.remove());
    const first = await openStore(t.url);
    const log: AuditLog = first.audit;
    for (let i = 0; i < 5; i += 1) {
      await log.record({
        at: `2024-05-01T12:00:0${i}.000Z`,
        actor: 'admin',
        action: i % 2 ? 'demo-fault' : 'sign-in',
        ip: '10.0.0.7',
        detail: `event ${i}`,
      });
    }
    await first.close();

    const again = await openStore(t.url);
    cleanups.push(() => again.close());
    const newest = await again.audit.list({ limit: 2 });
    expect(newest).toEqual([
      {
        at: '2024-05-01T12:00:04.000Z',
        actor: 'admin',
        action: 'sign-in',
        ip: '10.0.0.7',
        detail: 'event 4',
      },
      {
        at: '2024-05-01T12:00:03.000Z',
        actor: 'admin',
        action: 'demo-fault',
        ip: '10.0.0.7',
        detail: 'event 3',
      },
    ]);
    const older = await again.audit.list({ limit: 10, before: newest[1]!.at });
    expect(older.map((e) => e.detail)).toEqual(['event 2', 'event 1', 'event 0']);
  });

  it('cleans what it stores as the in-memory log does: no forged lines, bounded length', async () => {
    const t = await backend.temp();
    const store = await openStore(t.url);
    cleanups.push(
      () => t.remove(),
      () => store.close(),
    );
    await store.audit.record({
      at: '2024-05-01T12:00:00.000Z',
      actor: 'mallory\n2024-05-01 admin sign-in',
      action: 'sign-in-failed',
      ip: '',
      detail: 'x'.repeat(2000),
    });
    const [event] = await store.audit.list({ limit: 1 });
    expect(event?.actor).toBe('mallory 2024-05-01 admin sign-in');
    expect(event?.ip).toBe('unknown');
    expect(event?.detail).toHaveLength(500);
  });
});
