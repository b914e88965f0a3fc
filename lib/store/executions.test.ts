// The store of executions (issue 22): the one-at-a-time slot per cluster, the lease and its
// orphaning, the output lines, and migrations 0008/0009, on SQLite and on a real Postgres server.
// "Two consoles" are two store handles (two connections / pools) on one database.
import { Kysely, Migrator, sql } from 'kysely';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionLine } from '@/lib/domain/execution/types';
import { openDatabase } from './db';
import { MAX_EXECUTION_LINES, type NewExecution } from './executions';
import { openStore, type Store } from './index';
import { migrationProvider } from './migrations';
import { storeBackends, type StoreBackend } from '@/test/support/store';

const START = Date.parse('2024-05-01T12:00:00.000Z');
const LEASE = 30_000;
let clockMs = START;
const iso = (ms: number) => new Date(ms).toISOString();

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let backend: StoreBackend;

/** A new database, and `consoles` store handles on it (each its own connection or pool). */
async function consoles(count = 1): Promise<{ url: string; stores: Store[] }> {
  const t = await backend.temp();
  cleanups.push(() => t.remove());
  const stores: Store[] = [];
  // One after the other: the first migrates (db.test.ts covers concurrent start-up).
  for (let i = 0; i < count; i++) {
    const s = await openStore(t.url, { clock: () => new Date(clockMs) });
    cleanups.push(() => s.close());
    stores.push(s);
  }
  return { url: t.url, stores };
}

const execution = (over: Partial<NewExecution> = {}): NewExecution => ({
  runId: 'run-1',
  kind: 'remove',
  actor: 'alice',
  ip: '10.0.0.7',
  instance: 'console-1',
  imageRef: 'docker/dtr:2.9.3',
  node: 'node-2',
  argvPublic: [
    'remove',
    '--ucp-url',
    'https://ucp.example',
    '--existing-replica-id',
    'a1640e1c15b6',
  ],
  leaseMs: LEASE,
  ...over,
});

const line = (seq: number, over: Partial<ExecutionLine> = {}): ExecutionLine => ({
  seq,
  stream: 'stdout',
  at: iso(START + seq),
  text: `INFO[${String(seq).padStart(4, '0')}] line ${seq}`,
  level: 'info',
  ...over,
});

describe.each(storeBackends())('executions on $name', (b) => {
  beforeAll(() => {
    backend = b;
  });
  beforeEach(() => {
    clockMs = START;
  });

  it('records an execution as it goes, and reads it back by id, run and recency', async () => {
    const {
      stores: [store],
    } = await consoles();
    const { executions } = store!;
    const taken = await executions.acquire(execution({ ip: null }));
    expect(taken).toEqual({
      ok: true,
      record: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        cluster: 'default',
        runId: 'run-1',
        kind: 'remove',
        actor: 'alice',
        ip: null,
        instance: 'console-1',
        status: 'starting',
        node: 'node-2',
        imageRef: 'docker/dtr:2.9.3',
        imageId: null,
        repoDigest: null,
        containerId: null,
        argvPublic: execution().argvPublic,
        exitCode: null,
        refusal: null,
        leaseUntil: iso(START + LEASE),
        createdAt: iso(START),
        startedAt: null,
        finishedAt: null,
        logTail: '',
      },
    });
    if (!taken.ok) throw new Error('not taken');
    const id = taken.record.id;
    expect(await executions.active()).toEqual(taken.record);

    const running = await executions.update(id, {
      status: 'running',
      imageId: 'sha256:' + 'a'.repeat(64),
      repoDigest: 'docker/dtr@sha256:' + 'b'.repeat(64),
      containerId: 'c'.repeat(64),
      startedAt: iso(START + 2000),
    });
    expect(running).toMatchObject({
      status: 'running',
      imageId: 'sha256:' + 'a'.repeat(64),
      repoDigest: 'docker/dtr@sha256:' + 'b'.repeat(64),
      containerId: 'c'.repeat(64),
      startedAt: iso(START + 2000),
      finishedAt: null,
    });
    const exited = await executions.update(id, {
      status: 'exited',
      exitCode: 1,
      finishedAt: iso(START + 60_000),
      logTail: 'FATA[0042] replica a1640e1c15b6 not found',
      leaseUntil: null,
    });
    expect(exited).toMatchObject({
      status: 'exited',
      exitCode: 1,
      finishedAt: iso(START + 60_000),
      logTail: 'FATA[0042] replica a1640e1c15b6 not found',
      leaseUntil: null,
      startedAt: iso(START + 2000),
    });
    expect(await executions.get(id)).toEqual(exited);
    expect(await executions.active()).toBeNull();
    expect(await executions.update('no-such-execution', { status: 'exited' })).toBeNull();
    expect(await executions.get('no-such-execution')).toBeNull();

    // A second attempt of the same run, and one of another run.
    clockMs += 120_000;
    const again = await executions.acquire(execution());
    clockMs += 1000;
    if (!again.ok) throw new Error('not taken');
    await executions.update(again.record.id, {
      status: 'refused',
      refusal: 'The replica is gone.',
    });
    const other = await executions.acquire(execution({ runId: 'run-2', kind: 'join' }));
    if (!other.ok) throw new Error('not taken');
    expect((await executions.forRun('run-1')).map((e) => e.id)).toEqual([again.record.id, id]);
    expect((await executions.forRun('run-2')).map((e) => e.id)).toEqual([other.record.id]);
    expect(await executions.forRun('run-3')).toEqual([]);
    expect((await executions.list({ limit: 10 })).map((e) => e.id)).toEqual([
      other.record.id,
      again.record.id,
      id,
    ]);
    expect((await executions.list({ limit: 1 })).map((e) => e.id)).toEqual([other.record.id]);
  });

  it('lets exactly one of several concurrent acquires from two consoles take the slot; the others see the holder', async () => {
    const { stores } = await consoles(2);
    const [a, b] = stores as [Store, Store];
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 === 0 ? a : b).executions.acquire(
            execution({ instance: `console-${(i % 2) + 1}`, actor: `user-${i}` }),
          ),
        ),
      );
      const winners = results.filter((r) => r.ok);
      expect(winners, `round ${round}`).toHaveLength(1);
      const winner = winners[0]!.ok ? winners[0]!.record : null;
      for (const r of results.filter((r) => !r.ok))
        expect(r.ok ? null : r.holder, `round ${round}`).toEqual(winner);
      expect(await b.executions.active()).toEqual(winner);
      // Still held: a later attempt is refused too, naming who holds it.
      const late = await a.executions.acquire(execution({ actor: 'late' }));
      expect(late).toMatchObject({ ok: false, holder: { id: winner!.id } });
      // The holder's container exits: the slot is free for the next round.
      await (round % 2 === 0 ? a : b).executions.update(winner!.id, {
        status: 'exited',
        exitCode: 0,
      });
      expect(await a.executions.active()).toBeNull();
    }
    expect(await a.executions.list({ limit: 100 })).toHaveLength(3);
  });

  it('keeps one slot per cluster: clusters do not block each other, and see only their executions', async () => {
    const { stores } = await consoles(2);
    const [a, b] = stores as [Store, Store];
    const [east, west, eastAgain] = await Promise.all([
      a.forCluster('east').executions.acquire(execution()),
      b.forCluster('west').executions.acquire(execution()),
      b.forCluster('east').executions.acquire(execution({ instance: 'console-2' })),
    ]);
    expect([east!.ok, eastAgain!.ok].filter(Boolean)).toHaveLength(1);
    expect(west).toMatchObject({ ok: true, record: { cluster: 'west' } });
    const eastRecord = east!.ok ? east!.record : eastAgain!.ok ? eastAgain!.record : null;
    expect(eastRecord?.cluster).toBe('east');
    const westRecord = west!.ok ? west!.record : null;

    const westRepo = a.forCluster('west').executions;
    expect(await westRepo.active()).toEqual(westRecord);
    expect(await westRepo.get(eastRecord!.id)).toBeNull();
    expect(await westRepo.update(eastRecord!.id, { status: 'exited' })).toBeNull();
    expect(await westRepo.renew(eastRecord!.id, eastRecord!.instance, LEASE)).toBe(false);
    expect(await westRepo.forRun('run-1')).toEqual([westRecord]);
    expect((await westRepo.list({ limit: 10 })).map((e) => e.id)).toEqual([westRecord!.id]);
    await expect(westRepo.appendLines(eastRecord!.id, [line(1)])).rejects.toThrow(
      /no execution .* on cluster "west"/,
    );
    await a.forCluster('east').executions.appendLines(eastRecord!.id, [line(1)]);
    expect(await westRepo.lines(eastRecord!.id)).toEqual([]);
    expect(await a.forCluster('east').executions.lines(eastRecord!.id)).toEqual([line(1)]);
    expect(await a.forCluster('east').executions.active()).toEqual(
      await a.forCluster('east').executions.get(eastRecord!.id),
    );
    // The default cluster is a cluster of its own.
    expect(await a.executions.active()).toBeNull();
    expect(await a.executions.list({ limit: 10 })).toEqual([]);
    expect((await a.executions.acquire(execution())).ok).toBe(true);
    // West's lease expiring does not touch east's.
    expect(await westRepo.orphanExpired(new Date(START + LEASE + 1))).toHaveLength(1);
    expect((await a.forCluster('east').executions.get(eastRecord!.id))?.status).toBe('starting');
  });

  it('lets one of several concurrent bring-backs hold a cluster, until given back or expired (0010)', async () => {
    const { stores } = await consoles(2);
    const [a, b] = stores as [Store, Store];
    const hold = (actor: string, ttlMs = 60_000) => ({
      kind: 'bring-back',
      actor,
      instance: `console-${actor}`,
      subject: `bringing back replica 0123456789ab`,
      ttlMs,
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 === 0 ? a : b).executions.takeHold(hold(`user-${i}`)),
      ),
    );
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const won = winners[0]!.ok ? winners[0]!.hold : null;
    expect(won).toMatchObject({
      cluster: 'default',
      kind: 'bring-back',
      expiresAt: iso(START + 60_000),
    });
    for (const r of results.filter((r) => !r.ok)) expect(r.ok ? null : r.holder).toEqual(won);
    expect(await b.executions.currentHold()).toEqual(won);
    // Another cluster is not held; releasing someone else's id leaves the hold alone.
    expect(await a.forCluster('east').executions.currentHold()).toBeNull();
    expect((await a.forCluster('east').executions.takeHold(hold('east'))).ok).toBe(true);
    await b.executions.releaseHold('not-the-holder');
    expect(await a.executions.currentHold()).toEqual(won);
    // Given back: the next one takes it.
    await b.executions.releaseHold(won!.id);
    expect(await a.executions.currentHold()).toBeNull();
    const next = await a.executions.takeHold(hold('next', 5_000));
    expect(next.ok).toBe(true);
    // Renewed while it works, it lasts past its first expiry; a renewal after expiry fails.
    clockMs = START + 4_000;
    expect(await a.executions.renewHold(next.ok ? next.hold.id : '', 5_000)).toBe(true);
    clockMs = START + 8_000;
    expect((await b.executions.currentHold())?.actor).toBe('next');
    // Its console stopped without giving it back: past its expiry it is no hold, and is taken over.
    clockMs = START + 9_000;
    expect(await a.executions.renewHold(next.ok ? next.hold.id : '', 5_000)).toBe(false);
    expect(await b.executions.currentHold()).toBeNull();
    const after = await b.executions.takeHold(hold('after'));
    expect(after).toMatchObject({ ok: true, hold: { actor: 'after' } });
    // The execution slot is a separate lock: the store does not refuse one for the other.
    expect((await a.executions.acquire(execution())).ok).toBe(true);
  });

  it('renews the lease only for the console that owns the execution while it runs', async () => {
    const {
      stores: [store],
    } = await consoles();
    const { executions } = store!;
    const taken = await executions.acquire(execution());
    if (!taken.ok) throw new Error('not taken');
    const id = taken.record.id;

    clockMs += 5000;
    expect(await executions.renew(id, 'console-2', LEASE)).toBe(false);
    expect((await executions.get(id))?.leaseUntil).toBe(iso(START + LEASE));
    expect(await executions.renew(id, 'console-1', LEASE)).toBe(true);
    expect((await executions.get(id))?.leaseUntil).toBe(iso(START + 5000 + LEASE));
    await executions.update(id, { status: 'running' });
    clockMs += 5000;
    expect(await executions.renew(id, 'console-1', LEASE)).toBe(true);
    expect((await executions.get(id))?.leaseUntil).toBe(iso(START + 10_000 + LEASE));
    expect(await executions.renew('no-such-execution', 'console-1', LEASE)).toBe(false);
    await expect(executions.renew(id, 'console-1', 0)).rejects.toThrow(/positive number/);

    // Not yet expired: nothing to orphan.
    expect(await executions.orphanExpired(new Date(START + 10_000 + LEASE - 1))).toEqual([]);
    expect((await executions.get(id))?.status).toBe('running');

    await executions.update(id, { status: 'exited', exitCode: 0 });
    expect(await executions.renew(id, 'console-1', LEASE)).toBe(false);
    // An ended execution is not orphaned, whatever its lease says.
    expect(await executions.orphanExpired(new Date(START + 10 * LEASE))).toEqual([]);
  });

  it('moves an expired lease to orphaned exactly once, however many consoles look at once', async () => {
    const { stores } = await consoles(2);
    const [a, b] = stores as [Store, Store];
    for (const [round, status] of (['starting', 'running', 'running'] as const).entries()) {
      const taken = await a.executions.acquire(execution());
      if (!taken.ok) throw new Error(`round ${round}: not taken`);
      const id = taken.record.id;
      if (status === 'running') await a.executions.update(id, { status });
      const expiry = clockMs + LEASE;
      const later = new Date(expiry + 1);
      const moved = await Promise.all([
        a.executions.orphanExpired(later),
        b.executions.orphanExpired(later),
        b.executions.orphanExpired(later),
        a.executions.orphanExpired(later),
      ]);
      expect(
        moved.flat().map((e) => [e.id, e.status]),
        `round ${round}`,
      ).toEqual([[id, 'orphaned']]);
      expect(
        moved.filter((m) => m.length > 0),
        `round ${round}`,
      ).toHaveLength(1);

      // Orphaned still holds the slot (recovery is looking); its console cannot renew it back.
      expect(await b.executions.active()).toMatchObject({ id, status: 'orphaned' });
      expect(await a.executions.renew(id, 'console-1', LEASE)).toBe(false);
      expect(await a.executions.acquire(execution({ actor: 'bob' }))).toMatchObject({
        ok: false,
        holder: { id, status: 'orphaned' },
      });
      expect(await b.executions.orphanExpired(new Date(expiry + LEASE))).toEqual([]);
      // Recovery records how it ended (here: it could not tell): the slot is free.
      await b.executions.update(id, { status: 'unknown', logTail: 'evidence' });
      expect(await a.executions.active()).toBeNull();
      clockMs = expiry + 2;
    }
  });

  it('keeps the last 2,000 lines of an execution, in order, and reads them after a seq', async () => {
    const {
      stores: [store],
    } = await consoles();
    const { executions } = store!;
    const taken = await executions.acquire(execution());
    if (!taken.ok) throw new Error('not taken');
    const id = taken.record.id;
    const other = await executions.acquire(execution());
    expect(other.ok).toBe(false);
    await executions.update(id, { status: 'exited' });
    const second = await executions.acquire(execution());
    if (!second.ok) throw new Error('not taken');

    // Batches may arrive out of order; reads are by seq.
    await executions.appendLines(id, [
      line(3, { stream: 'stderr', level: 'warn', text: 'WARN[0003] slow' }),
    ]);
    await executions.appendLines(id, [line(1), line(2, { level: null, text: 'plain' })]);
    await executions.appendLines(second.record.id, [line(1, { text: 'the other one' })]);
    expect(await executions.lines(id)).toEqual([
      line(1),
      line(2, { level: null, text: 'plain' }),
      line(3, { stream: 'stderr', level: 'warn', text: 'WARN[0003] slow' }),
    ]);
    expect((await executions.lines(id, 1)).map((l) => l.seq)).toEqual([2, 3]);
    expect((await executions.lines(id, 0, 2)).map((l) => l.seq)).toEqual([1, 2]);
    expect(await executions.lines(id, 3)).toEqual([]);
    expect(await executions.lines(second.record.id)).toEqual([line(1, { text: 'the other one' })]);
    // A batch sent twice keeps the first copy.
    await executions.appendLines(id, [line(3, { text: 'again' }), line(4)]);
    expect((await executions.lines(id, 2)).map((l) => l.text)).toEqual([
      'WARN[0003] slow',
      line(4).text,
    ]);
    await expect(executions.appendLines(id, [line(0)])).rejects.toThrow(/whole number from 1/);
    await expect(executions.appendLines('no-such-execution', [line(1)])).rejects.toThrow(
      /no execution no-such-execution on cluster "default"/,
    );
    await expect(
      executions.appendLines(id, [line(5, { stream: 'stdin' as 'stdout' })]),
    ).rejects.toThrow(/check constraint/i);

    // 2,100 lines in batches as the tail sends them: the oldest 100 go.
    const total = MAX_EXECUTION_LINES + 100;
    for (let from = 5; from <= total; from += 700) {
      const batch: ExecutionLine[] = [];
      for (let seq = from; seq < Math.min(from + 700, total + 1); seq++) batch.push(line(seq));
      await executions.appendLines(id, batch);
    }
    const first = await executions.lines(id);
    expect(first).toHaveLength(500);
    expect(first[0]).toEqual(line(101));
    expect(first.at(-1)?.seq).toBe(600);
    const all = await executions.lines(id, 0, MAX_EXECUTION_LINES);
    expect(all.map((l) => l.seq)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 101));
    expect((await executions.lines(id, total - 2)).map((l) => l.seq)).toEqual([total - 1, total]);
    // Asking for more than the cap answers the cap.
    expect(await executions.lines(id, 0, 10_000)).toHaveLength(MAX_EXECUTION_LINES);
    // The other execution's lines are its own.
    expect(await executions.lines(second.record.id)).toHaveLength(1);
  });

  it('refuses a status outside the table, and a second active row even by update', async () => {
    const {
      stores: [store],
    } = await consoles();
    const { executions } = store!;
    const first = await executions.acquire(execution());
    if (!first.ok) throw new Error('not taken');
    await expect(
      executions.update(first.record.id, { status: 'gone' as 'exited' }),
    ).rejects.toThrow(/check constraint/i);
    await executions.update(first.record.id, { status: 'exited' });
    const second = await executions.acquire(execution());
    if (!second.ok) throw new Error('not taken');
    // The index, not the code, holds the line: reviving the first while the second runs fails.
    await expect(executions.update(first.record.id, { status: 'running' })).rejects.toThrow(
      /unique|duplicate/i,
    );
    // While the slot is held, an attempt is refused by naming the holder, whatever its id.
    expect(await executions.acquire(execution({ id: first.record.id }))).toMatchObject({
      ok: false,
      holder: { id: second.record.id },
    });
    await executions.update(second.record.id, { status: 'exited' });
    // With the slot free, an id used before is still an error, not a second record.
    await expect(executions.acquire(execution({ id: first.record.id }))).rejects.toThrow(
      /unique|duplicate/i,
    );
    await expect(executions.acquire(execution({ kind: 'destroy' as 'join' }))).rejects.toThrow(
      /check constraint/i,
    );
    expect(await executions.active()).toBeNull();
  });

  it('migrations 0008 and 0009 keep the runs of a database at 0007 and take the new statuses; down and up again', async () => {
    const t = await backend.temp();
    cleanups.push(() => t.remove());
    const opened = openDatabase(t.url);
    const db = opened.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const migrator = new Migrator({ db: opened.db, provider: migrationProvider(opened.dialect) });
    expect((await migrator.migrateTo('0007-cluster')).error).toBeUndefined();
    const run = (id: string, cluster: string, status: string) => ({
      cluster,
      id,
      kind: 'remove',
      status,
      step: 'command',
      state: `{"id":"${id}"}`,
      created_by: 'ada',
      created_at: iso(START - 60_000),
      updated_at: iso(START - 30_000),
    });
    await db
      .insertInto('wizard_runs')
      .values([run('run-a', 'default', 'open'), run('run-b', 'east', 'stale')])
      .execute();
    // What 0009 is for: the older table has no room for an executing run.
    await expect(
      db
        .insertInto('wizard_runs')
        .values(run('run-x', 'default', 'executing'))
        .execute(),
    ).rejects.toThrow(/check constraint/i);
    await opened.db.destroy();

    const indexes = async (database: Kysely<unknown>, dialect: string) =>
      (dialect === 'postgres'
        ? await sql<{ name: string; def: string }>`
            select indexname as name, indexdef as def from pg_indexes
            where tablename in ('wizard_runs', 'executions') and indexname not like '%_pkey'
            order by 1`.execute(database)
        : await sql<{ name: string; def: string }>`
            select name, sql as def from sqlite_master
            where type = 'index' and tbl_name in ('wizard_runs', 'executions') and sql is not null
            order by 1`.execute(database)
      ).rows;

    const check = async () => {
      const store = await openStore(t.url, { clock: () => new Date(clockMs) });
      try {
        const east = store.forCluster('east').wizardRuns;
        expect(await store.wizardRuns.get('run-a')).toMatchObject({
          status: 'open',
          state: { id: 'run-a' },
          createdBy: 'ada',
          createdAt: iso(START - 60_000),
          updatedAt: iso(START - 30_000),
        });
        expect(await east.get('run-b')).toMatchObject({ status: 'stale' });
        expect(await store.wizardRuns.get('run-b')).toBeNull();
        // The primary key holds across clusters.
        await expect(
          east.create({ id: 'run-a', kind: 'join', step: 'plan', createdBy: 'bob' }),
        ).rejects.toThrow(/unique|duplicate/i);
        expect((await store.wizardRuns.update('run-a', { status: 'executing' }))?.status).toBe(
          'executing',
        );
        expect((await east.update('run-b', { status: 'unknown' }))?.status).toBe('unknown');
        expect((await east.list({ limit: 10, status: 'unknown' })).map((r) => r.id)).toEqual([
          'run-b',
        ]);
        await expect(
          store.wizardRuns.update('run-a', { status: 'gone' as 'open' }),
        ).rejects.toThrow(/check constraint/i);
        const taken = await store.executions.acquire(execution({ runId: 'run-a' }));
        expect(taken.ok).toBe(true);
      } finally {
        await store.close();
      }
      const after = openDatabase(t.url);
      try {
        const found = await indexes(after.db as Kysely<unknown>, after.dialect);
        expect(found.map((i) => i.name)).toEqual([
          'executions_active',
          'executions_created',
          'executions_run',
          'wizard_runs_created',
          'wizard_runs_status',
        ]);
        const def = (name: string) => found.find((i) => i.name === name)!.def.toLowerCase();
        expect(def('executions_active')).toMatch(/unique index/);
        expect(def('executions_active')).toMatch(/where .*starting.*running.*orphaned/);
        expect(def('wizard_runs_created')).toMatch(/\(cluster, created_at, id\)/);
        expect(def('wizard_runs_status')).toMatch(/\(cluster, status, created_at\)/);
      } finally {
        await after.db.destroy();
      }
    };
    await check();

    // Down to 0007: executing and unknown runs read as failed; the executions tables go.
    const again = openDatabase(t.url);
    const back = new Migrator({ db: again.db, provider: migrationProvider(again.dialect) });
    expect((await back.migrateTo('0008-executions')).error).toBeUndefined();
    expect((await back.migrateTo('0007-cluster')).error).toBeUndefined();
    const downDb = again.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    expect(
      await downDb
        .selectFrom('wizard_runs')
        .select(['id', 'cluster', 'status', 'state'])
        .orderBy('id')
        .execute(),
    ).toEqual([
      { id: 'run-a', cluster: 'default', status: 'failed', state: '{"id":"run-a"}' },
      { id: 'run-b', cluster: 'east', status: 'failed', state: '{"id":"run-b"}' },
    ]);
    await expect(
      downDb
        .insertInto('wizard_runs')
        .values(run('run-y', 'default', 'unknown'))
        .execute(),
    ).rejects.toThrow(/check constraint/i);
    await expect(sql`select count(*) from executions`.execute(again.db)).rejects.toThrow(
      /executions/,
    );
    expect((await indexes(again.db as Kysely<unknown>, again.dialect)).map((i) => i.name)).toEqual([
      'wizard_runs_created',
      'wizard_runs_status',
    ]);
    await again.db.destroy();

    // Up once more: nothing lost on the way (the runs the down set to failed stay failed).
    const up = await openStore(t.url, { clock: () => new Date(clockMs) });
    try {
      expect((await up.wizardRuns.get('run-a'))?.status).toBe('failed');
      expect((await up.forCluster('east').wizardRuns.get('run-b'))?.status).toBe('failed');
      expect(await up.executions.list({ limit: 10 })).toEqual([]);
      expect((await up.wizardRuns.update('run-a', { status: 'executing' }))?.status).toBe(
        'executing',
      );
    } finally {
      await up.close();
    }

    // 0007's own down still works on the table 0009 rebuilt.
    const last = openDatabase(t.url);
    try {
      const result = await new Migrator({
        db: last.db,
        provider: migrationProvider(last.dialect),
      }).migrateTo('0006-alerts');
      expect(result.error).toBeUndefined();
      const rows = (await sql<Record<string, unknown>>`select * from wizard_runs`.execute(last.db))
        .rows;
      expect(rows.map((r) => [r.id, r.status])).toEqual([['run-a', 'failed']]);
      expect(rows[0]).not.toHaveProperty('cluster');
    } finally {
      await last.db.destroy();
    }
  });
});
