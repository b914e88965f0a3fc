import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditQuerySchema, type AuditLog, type AuditQuery } from '@/lib/auth/audit';
import { MemoryAuditLog } from '@/lib/auth/audit';
import { openDatabase } from './db';
import { openStore } from './index';
import { storeBackends, type StoreBackend } from '@/test/support/store';

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
        // Recorded through the default cluster's log (migration 0007).
        cluster: 'default',
      },
      {
        at: '2024-05-01T12:00:03.000Z',
        actor: 'admin',
        action: 'demo-fault',
        ip: '10.0.0.7',
        detail: 'event 3',
        // Recorded through the default cluster's log (migration 0007).
        cluster: 'default',
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

  it('answers filters by who, action, outcome and time, a page at a time both ways', async () => {
    const t = await backend.temp();
    const store = await openStore(t.url);
    cleanups.push(
      () => t.remove(),
      () => store.close(),
    );
    await seed(store.audit);
    await expectQueries(store.audit);
  });

  it('shows addresses written before normalisation one way: ::ffff:127.0.0.1 as 127.0.0.1', async () => {
    const t = await backend.temp();
    const store = await openStore(t.url);
    cleanups.push(
      () => t.remove(),
      () => store.close(),
    );
    // As an older console wrote them: straight into the table.
    const raw = openDatabase(t.url);
    cleanups.push(() => raw.db.destroy());
    await raw.db
      .insertInto('audit_log')
      .values([
        {
          at: '2024-05-01T12:00:00.000Z',
          actor: 'a',
          action: 'sign-in',
          ip: '::ffff:127.0.0.1',
          detail: '"x"',
        },
        { at: '2024-05-01T12:00:01.000Z', actor: 'b', action: 'sign-in', ip: '::1', detail: '"y"' },
      ])
      .execute();
    await store.audit.record({
      at: '2024-05-01T12:00:02.000Z',
      actor: 'c',
      action: 'sign-in',
      ip: '::ffff:10.0.0.9',
      detail: 'z',
    });
    const { events } = await store.audit.query({ limit: 10 });
    expect(events.map((e) => e.ip)).toEqual(['10.0.0.9', '::1', '127.0.0.1']);
    // Written normalised, too.
    const stored = await raw.db
      .selectFrom('audit_log')
      .select('ip')
      .where('actor', '=', 'c')
      .execute();
    expect(stored).toEqual([{ ip: '10.0.0.9' }]);
  });
});

describe('audit log in memory', () => {
  it('answers the same queries as the database', async () => {
    const log = new MemoryAuditLog();
    await seed(log);
    await expectQueries(log);
  });
});

const ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'demo-fault',
  'access-denied',
  'wizard-failed',
] as const;

/** 30 events, one a minute from 12:00, and three more in the same millisecond at 12:30. */
async function seed(log: AuditLog): Promise<void> {
  for (let i = 0; i < 30; i += 1) {
    await log.record({
      at: new Date(Date.UTC(2024, 4, 1, 12, i)).toISOString(),
      actor: i % 3 === 0 ? 'Ada' : i % 3 === 1 ? 'vic_tor' : 'victoria',
      action: ACTIONS[i % ACTIONS.length]!,
      ip: '10.0.0.1',
      detail: `event ${i}`,
    });
  }
  for (const n of [30, 31, 32]) {
    await log.record({
      at: '2024-05-01T12:30:00.000Z',
      actor: 'Ada',
      action: 'sign-out',
      ip: '10.0.0.1',
      detail: `event ${n}`,
    });
  }
}

const numbers = (page: { events: { detail: string }[] }) =>
  page.events.map((e) => Number(e.detail.replace('event ', '')));

/** The query as the /audit page reads it from its URL. */
const q = (params: Record<string, string>): AuditQuery => AuditQuerySchema.parse(params);

async function expectQueries(log: AuditLog): Promise<void> {
  // Newest first; events in one millisecond keep their order of writing.
  const first = await log.query(q({ limit: '5' }));
  expect(numbers(first)).toEqual([32, 31, 30, 29, 28]);
  expect(first.newer).toBeNull();
  expect(first.older).toBe(first.events.at(-1)?.cursor);

  // Paging back reaches every event exactly once, then stops.
  const seen: number[] = [];
  let page = first;
  let pages = 1;
  seen.push(...numbers(page));
  while (page.older) {
    page = await log.query(q({ limit: '5', before: page.older }));
    seen.push(...numbers(page));
    pages += 1;
  }
  expect(pages).toBe(7);
  expect(seen).toEqual(Array.from({ length: 33 }, (_, i) => 32 - i));

  // ... and forward again from a middle page.
  const second = await log.query(q({ limit: '5', before: first.older! }));
  expect(numbers(second)).toEqual([27, 26, 25, 24, 23]);
  expect(second.newer).toBe(second.events[0]?.cursor);
  const back = await log.query(q({ limit: '5', after: second.newer! }));
  expect(numbers(back)).toEqual([32, 31, 30, 29, 28]);
  expect(back.newer).toBeNull();
  // A cursor inside the same millisecond pages correctly both ways.
  const split = await log.query(q({ limit: '2' }));
  expect(numbers(split)).toEqual([32, 31]);
  expect(numbers(await log.query(q({ limit: '2', before: split.older! })))).toEqual([30, 29]);

  // Who: part of the name, any case; % and _ are plain characters.
  expect(numbers(await log.query(q({ actor: 'ada', limit: '3' })))).toEqual([32, 31, 30]);
  const vic = await log.query(q({ actor: 'VIC', limit: '100' }));
  expect(vic.events).toHaveLength(20);
  expect(new Set(vic.events.map((e) => e.actor))).toEqual(new Set(['vic_tor', 'victoria']));
  expect((await log.query(q({ actor: 'vic_', limit: '100' }))).events).toHaveLength(10);
  expect((await log.query(q({ actor: '%', limit: '100' }))).events).toHaveLength(0);

  // What, and the outcome it stands for.
  const faults = await log.query(q({ action: 'demo-fault', limit: '100' }));
  expect(numbers(faults)).toEqual([27, 22, 17, 12, 7, 2]);
  const refused = await log.query(q({ outcome: 'refused', limit: '100' }));
  expect(new Set(refused.events.map((e) => e.action))).toEqual(
    new Set(['sign-in-failed', 'access-denied']),
  );
  expect(refused.events).toHaveLength(12);
  const failed = await log.query(q({ outcome: 'failed', limit: '100' }));
  expect(numbers(failed)).toEqual([29, 24, 19, 14, 9, 4]);

  // Time: from inclusive, to exclusive, read as UTC when the URL gives no zone.
  const window = await log.query(
    q({ from: '2024-05-01T12:10', to: '2024-05-01T12:13', limit: '100' }),
  );
  expect(numbers(window)).toEqual([12, 11, 10]);

  // Filters combine, and paging keeps them.
  const combined = q({ actor: 'ada', outcome: 'succeeded', limit: '2' });
  const one = await log.query(combined);
  expect(numbers(one)).toEqual([32, 31]);
  const two = await log.query({
    ...combined,
    before: AuditQuerySchema.parse({ before: one.older! }).before,
  });
  expect(numbers(two)).toEqual([30, 27]);
}
