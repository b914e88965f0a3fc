// A fleet console keeps several clusters in one database (migration 0007): each cluster's
// repositories see only its rows, the default cluster is what a single-cluster console had, and
// a database from before the migration keeps its data as the default cluster's.
import { Kysely, Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '@/lib/domain/alerts/incidents';
import { DEFAULT_RETENTION, type HistoryEvent } from '@/lib/domain/history';
import { openCoordination, pollerLockId } from './coordination';
import { openDatabase } from './db';
import { openStore, type Store } from './index';
import { migrationProvider } from './migrations';
import { parseSnapshotPayload, snapshotPayload } from './snapshots';
import { storeBackends, type StoreBackend } from '@/test/support/store';
import { healthySample } from '@/test/support/samples';

const NOW = Date.parse('2024-05-01T12:00:00.000Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();
const REPLICA = 'a1640e1c15b6';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempStore(backend: StoreBackend, now = NOW): Promise<Store> {
  const t = await backend.temp();
  const s = await openStore(t.url, { clock: () => new Date(now) });
  cleanups.push(
    () => t.remove(),
    () => s.close(),
  );
  return s;
}

const down = (at: number, subject = REPLICA): HistoryEvent => ({
  at: iso(at),
  kind: 'replica',
  subject,
  from: 'healthy',
  to: 'unreachable',
  detail: {},
});

function incident(id: string, phase: Incident['phase'], since: number): Incident {
  return {
    id,
    group: 'quorum',
    phase,
    severity: 'critical',
    code: 'DTR_QUORUM_AT_RISK',
    title: 'DTR quorum at risk',
    detail: 'One more failure stops pushes.',
    nextStep: 'Bring the replica back.',
    codes: ['DTR_QUORUM_AT_RISK'],
    subjects: [REPLICA],
    since: iso(since),
    firedAt: phase === 'pending' ? null : iso(since),
    resolvedAt: phase === 'resolved' ? iso(since) : null,
    lastSeenAt: iso(since),
    clearedSince: null,
    lastNotifiedAt: null,
    repeats: 0,
    firedSeverity: phase === 'pending' ? null : 'critical',
    firedCode: phase === 'pending' ? null : 'DTR_QUORUM_AT_RISK',
  };
}

describe.each(storeBackends())('clusters in one database on $name', (backend) => {
  it('gives each name one cluster store, and the store itself is the default cluster', async () => {
    const store = await tempStore(backend);
    const east = store.forCluster('east');
    expect(store.forCluster('east')).toBe(east);
    expect(east.cluster).toBe('east');
    const fallback = store.forCluster('default');
    expect(store.history).toBe(fallback.history);
    expect(store.wizardRuns).toBe(fallback.wizardRuns);
    expect(store.audit).toBe(fallback.audit);
    expect(store.snapshots).toBe(fallback.snapshots);
    expect(store.alerts).toBe(fallback.alerts);
    expect(() => store.forCluster('')).toThrow(/cluster's name/);
  });

  it("keeps each cluster's history apart, retention included", async () => {
    const store = await tempStore(backend);
    const east = store.forCluster('east').history;
    const west = store.forCluster('west').history;
    // The same replica ID and sample times in both clusters: neither overwrites the other.
    await east.recordEvents([down(NOW - 10 * MINUTE)]);
    await east.recordSamples([healthySample(NOW - 2 * MINUTE, [REPLICA])]);
    await west.recordSamples([
      { ...healthySample(NOW - 2 * MINUTE, [REPLICA]), dtrHealthy: 2 },
      healthySample(NOW - MINUTE, [REPLICA]),
    ]);

    expect(await east.offlineSince(REPLICA)).toBe(iso(NOW - 10 * MINUTE));
    expect(await west.offlineSince(REPLICA)).toBeNull();
    expect(await store.history.offlineSince(REPLICA)).toBeNull();
    expect((await east.lastKnownStates()).map((s) => s.subject)).toEqual([REPLICA]);
    expect(await west.lastKnownStates()).toEqual([]);

    const range = { from: NOW - 60 * MINUTE, to: NOW, resolutionMs: 0 } as const;
    const eastData = await east.query({ ...range, series: ['healthy', 'events'] });
    const westData = await west.query({ ...range, series: ['healthy', 'events'] });
    expect(eastData.samples.map((s) => [s.at, s.dtrHealthy])).toEqual([[NOW - 2 * MINUTE, 3]]);
    expect(westData.samples.map((s) => [s.at, s.dtrHealthy])).toEqual([
      [NOW - 2 * MINUTE, 2],
      [NOW - MINUTE, 3],
    ]);
    expect(eastData.events).toHaveLength(1);
    expect(eastData.outages).toHaveLength(1);
    expect(westData.events).toEqual([]);
    expect(westData.outages).toEqual([]);
    // An outage that began before the range comes from the cluster's own earlier events only.
    const recent = { from: NOW - 5 * MINUTE, to: NOW, series: ['events'] as const };
    expect((await east.query({ ...recent, series: [...recent.series] })).outages).toHaveLength(1);
    expect((await west.query({ ...recent, series: [...recent.series] })).outages).toEqual([]);

    // Retention long after: east's rows go, west's are untouched until west's own pass.
    const later = NOW + 400 * DAY;
    const purged = await east.applyRetention(later);
    expect(purged.purgedEvents).toBe(1);
    expect((await east.counts()).events).toBe(0);
    expect([...(await east.counts()).samples.values()].reduce((a, b) => a + b, 0)).toBe(0);
    expect([...(await west.counts()).samples.values()].reduce((a, b) => a + b, 0)).toBe(2);
  });

  it("caps each cluster's events on its own", async () => {
    const t = await backend.temp();
    const store = await openStore(t.url, {
      clock: () => new Date(NOW),
      retention: { ...DEFAULT_RETENTION, maxEvents: 3 },
    });
    cleanups.push(
      () => t.remove(),
      () => store.close(),
    );
    const east = store.forCluster('east').history;
    const west = store.forCluster('west').history;
    await east.recordEvents(
      Array.from({ length: 5 }, (_, i) => down(NOW - (5 - i) * MINUTE, `e${i}`)),
    );
    // Recorded after east's: the newest rows overall are west's, which must not count for east.
    await west.recordEvents([down(NOW - 9 * MINUTE, 'w1'), down(NOW - 8 * MINUTE, 'w2')]);
    expect((await east.applyRetention(NOW)).purgedEvents).toBe(2);
    expect((await east.counts()).events).toBe(3);
    expect((await west.counts()).events).toBe(2);
    expect((await west.applyRetention(NOW)).purgedEvents).toBe(0);
  });

  it('shows each cluster only its wizard runs, with IDs unique across the fleet', async () => {
    const store = await tempStore(backend);
    const east = store.forCluster('east').wizardRuns;
    const west = store.forCluster('west').wizardRuns;
    const run = await east.create({ kind: 'join', step: 'plan', createdBy: 'ada' });
    await west.create({ kind: 'remove', step: 'plan', createdBy: 'bob' });

    expect(await east.get(run.id)).toMatchObject({ id: run.id, kind: 'join' });
    expect(await west.get(run.id)).toBeNull();
    expect(await store.wizardRuns.get(run.id)).toBeNull();
    expect(await west.update(run.id, { status: 'cancelled' })).toBeNull();
    expect((await east.get(run.id))?.status).toBe('open');
    expect((await east.list({ limit: 10 })).map((r) => r.kind)).toEqual(['join']);
    expect((await west.list({ limit: 10 })).map((r) => r.kind)).toEqual(['remove']);
    expect(await store.wizardRuns.list({ limit: 10 })).toEqual([]);
    await expect(
      west.create({ id: run.id, kind: 'join', step: 'plan', createdBy: 'bob' }),
    ).rejects.toThrow();
  });

  it('shows each cluster its audit entries and the fleet-wide ones, tagged', async () => {
    const store = await tempStore(backend);
    const east = store.forCluster('east').audit;
    const west = store.forCluster('west').audit;
    const event = (second: number, detail: string) => ({
      at: iso(NOW + second * 1000),
      actor: 'ada',
      action: 'demo-fault' as const,
      ip: '10.0.0.7',
      detail,
    });
    await store.fleetAudit.record({ ...event(1, 'signed in'), action: 'sign-in' });
    await east.record(event(2, 'east fault'));
    await west.record(event(3, 'west fault'));
    // A cluster's log can still record a fleet-wide entry when the event says so.
    await east.record({ ...event(4, 'signed out'), action: 'sign-out', cluster: null });

    const seen = async (log: typeof east) =>
      (await log.list({ limit: 10 })).map((e) => [e.detail, e.cluster]);
    expect(await seen(east)).toEqual([
      ['signed out', null],
      ['east fault', 'east'],
      ['signed in', null],
    ]);
    expect(await seen(west)).toEqual([
      ['signed out', null],
      ['west fault', 'west'],
      ['signed in', null],
    ]);
    expect(await seen(store.fleetAudit)).toEqual([
      ['signed out', null],
      ['west fault', 'west'],
      ['east fault', 'east'],
      ['signed in', null],
    ]);
    const page = await east.query({ limit: 10, action: 'demo-fault' });
    expect(page.events.map((e) => [e.detail, e.cluster])).toEqual([['east fault', 'east']]);
  });

  it("keeps each cluster's snapshot under its name", async () => {
    const store = await tempStore(backend);
    const east = store.forCluster('east').snapshots;
    const west = store.forCluster('west').snapshots;
    await east.publish({
      instance: 'a:1',
      generatedAt: iso(NOW),
      json: '{"c":"east"}',
      updatedAt: 1,
    });
    expect(await west.read()).toBeNull();
    expect(await store.snapshots.read()).toBeNull();
    await west.publish({
      instance: 'b:1',
      generatedAt: iso(NOW),
      json: '{"c":"west"}',
      updatedAt: 2,
    });
    expect(await east.read()).toMatchObject({ json: '{"c":"east"}', instance: 'a:1' });
    expect(await west.read()).toMatchObject({ json: '{"c":"west"}', instance: 'b:1' });
    expect(await west.read(iso(NOW))).toBe('unchanged');
  });

  it("keeps each cluster's incidents and deliveries apart, sharing the channels", async () => {
    const store = await tempStore(backend);
    const east = store.forCluster('east').alerts;
    const west = store.forCluster('west').alerts;
    // Incident IDs are the group and its start: two clusters can have the same one.
    await east.saveIncidents([incident('quorum@0', 'firing', NOW)]);
    await west.saveIncidents([incident('quorum@0', 'pending', NOW)]);
    expect((await east.openIncidents()).map((i) => i.phase)).toEqual(['firing']);
    expect((await west.openIncidents()).map((i) => i.phase)).toEqual(['pending']);
    expect(await store.alerts.openIncidents()).toEqual([]);

    await east.createChannel({
      id: 'c1',
      name: 'ops',
      kind: 'webhook',
      url: 'https://hooks.example.com/ops',
      minSeverity: 'warning',
      enabled: true,
      origin: 'ui',
      encryptedSecret: null,
    });
    expect((await west.listChannels()).map((c) => c.name)).toEqual(['ops']);

    const claim = {
      incidentId: 'quorum@0',
      transition: 'firing',
      channelId: 'c1',
      channelName: 'ops',
      instance: 'a:1',
      at: NOW,
    };
    expect(await east.claimDelivery(claim)).toBe(true);
    expect(await east.claimDelivery(claim)).toBe(false);
    expect(await west.claimDelivery(claim)).toBe(true);
    await east.finishDelivery({ ...claim, ok: false, attempts: 3, error: 'HTTP 500' });
    expect((await east.listDeliveries({ limit: 10 })).map((d) => d.status)).toEqual(['failed']);
    expect((await west.listDeliveries({ limit: 10 })).map((d) => d.status)).toEqual(['claimed']);

    await west.deleteIncidents(['quorum@0']);
    expect(await west.listIncidents(10)).toEqual([]);
    expect((await east.listIncidents(10)).map((i) => i.id)).toEqual(['quorum@0']);

    await east.saveIncidents([incident('quorum@0', 'resolved', NOW)]);
    await west.saveIncidents([incident('quorum@0', 'resolved', NOW)]);
    expect(await east.purgeResolved(NOW + 1)).toBe(1);
    expect(await east.listDeliveries({ limit: 10 })).toEqual([]);
    expect((await west.listIncidents(10)).map((i) => i.phase)).toEqual(['resolved']);
    expect(await west.listDeliveries({ limit: 10 })).toHaveLength(1);
  });

  it('leads the indexes the queries use with the cluster', async () => {
    const t = await backend.temp();
    cleanups.push(() => t.remove());
    await (await openStore(t.url)).close();
    const opened = openDatabase(t.url);
    cleanups.push(() => opened.db.destroy());
    const names = [
      'history_events_at',
      'history_events_subject',
      'wizard_runs_created',
      'wizard_runs_status',
      'audit_log_cluster',
      'alert_incidents_phase',
      'alert_deliveries_claimed',
    ];
    const leading =
      opened.dialect === 'sqlite'
        ? await sql<{ index_name: string; first: string }>`
            select m.name as index_name, i.name as first
            from sqlite_master m, pragma_index_info(m.name) i
            where m.type = 'index' and i.seqno = 0`.execute(opened.db)
        : await sql<{ index_name: string; first: string }>`
            select indexname as index_name,
              substring(indexdef from '[(]([a-z_]+)') as first
            from pg_indexes where schemaname = current_schema()`.execute(opened.db);
    const first = new Map(leading.rows.map((r) => [r.index_name, r.first]));
    for (const name of names) expect(first.get(name), name).toBe('cluster');
  });

  it('keeps the data of a database from before clusters as the default cluster, and migrates back', async () => {
    const t = await backend.temp();
    cleanups.push(() => t.remove());
    // A database as the console before fleets left it: migrated to 0006, with data in every table.
    const opened = openDatabase(t.url);
    const db = opened.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const migrator = new Migrator({ db: opened.db, provider: migrationProvider(opened.dialect) });
    expect((await migrator.migrateTo('0006-alerts')).error).toBeUndefined();
    await db
      .insertInto('history_events')
      .values({
        at: NOW - MINUTE,
        kind: 'replica',
        subject: REPLICA,
        from_state: 'healthy',
        to_state: 'unreachable',
        detail: '{}',
      })
      .execute();
    const sample = healthySample(NOW - MINUTE, [REPLICA]);
    await db
      .insertInto('history_samples')
      .values({
        resolution_ms: 0,
        at: sample.at,
        count: 1,
        dtr_replicas: 3,
        dtr_majority: 2,
        dtr_healthy: 3,
        dtr_healthy_min: 3,
        dtr_margin: 1,
        dtr_margin_min: 1,
        ucp_managers: 3,
        ucp_majority: 2,
        ucp_reachable: 3,
        ucp_reachable_min: 3,
        ucp_margin: 1,
        ucp_margin_min: 1,
        latency: '{}',
      })
      .execute();
    await db
      .insertInto('member_states')
      .values({
        kind: 'replica',
        subject: REPLICA,
        state: 'unreachable',
        since: NOW - MINUTE,
        detail: '{}',
        updated_at: NOW,
      })
      .execute();
    await db
      .insertInto('wizard_runs')
      .values({
        id: 'run-1',
        kind: 'join',
        status: 'open',
        step: 'plan',
        state: '{}',
        created_by: 'ada',
        created_at: iso(NOW),
        updated_at: iso(NOW),
      })
      .execute();
    await db
      .insertInto('audit_log')
      .values({
        at: iso(NOW),
        actor: 'ada',
        action: 'sign-in',
        ip: '10.0.0.7',
        detail: '"signed in"',
      })
      .execute();
    await db
      .insertInto('cluster_snapshots')
      .values({
        name: 'cluster',
        instance: 'a:1',
        generated_at: iso(NOW),
        snapshot: '{"old":true}',
        updated_at: NOW,
      })
      .execute();
    const stored = incident('quorum@0', 'firing', NOW);
    await db
      .insertInto('alert_incidents')
      .values({
        id: stored.id,
        grp: 'quorum',
        phase: 'firing',
        severity: 'critical',
        since: NOW,
        resolved_at: null,
        updated_at: NOW,
        data: JSON.stringify(stored),
      })
      .execute();
    await db
      .insertInto('alert_deliveries')
      .values({
        incident_id: stored.id,
        transition: 'firing',
        channel_id: 'c1',
        channel_name: 'ops',
        instance: 'a:1',
        status: 'sent',
        attempts: 1,
        error: null,
        claimed_at: NOW,
        finished_at: NOW,
      })
      .execute();
    await opened.db.destroy();

    const check = async () => {
      const store = await openStore(t.url, { clock: () => new Date(NOW) });
      try {
        expect(await store.history.offlineSince(REPLICA)).toBe(iso(NOW - MINUTE));
        const data = await store.history.query({
          from: NOW - DAY,
          to: NOW,
          series: ['healthy', 'events'],
          resolutionMs: 0,
        });
        expect(data.samples.map((s) => s.at)).toEqual([sample.at]);
        expect(data.events.map((e) => e.subject)).toEqual([REPLICA]);
        expect((await store.wizardRuns.get('run-1'))?.createdBy).toBe('ada');
        expect((await store.audit.list({ limit: 10 })).map((e) => [e.detail, e.cluster])).toEqual([
          ['signed in', 'default'],
        ]);
        expect(await store.snapshots.read()).toMatchObject({ json: '{"old":true}' });
        expect((await store.alerts.openIncidents()).map((i) => i.id)).toEqual(['quorum@0']);
        expect((await store.alerts.listDeliveries({ limit: 10 })).map((d) => d.status)).toEqual([
          'sent',
        ]);
        // The migrated keys take a second cluster with the same subject, time and incident.
        const other = store.forCluster('other');
        await other.history.recordSamples([sample]);
        await other.history.recordEvents([down(NOW - MINUTE)]);
        await other.alerts.saveIncidents([stored]);
        await other.wizardRuns.create({
          id: 'run-2',
          kind: 'repair',
          step: 'plan',
          createdBy: 'bob',
        });
        await other.audit.record({
          at: iso(NOW + 1000),
          actor: 'bob',
          action: 'demo-fault',
          ip: '::1',
          detail: 'other fault',
        });
        expect((await store.history.counts()).events).toBe(1);
        expect((await store.wizardRuns.list({ limit: 10 })).map((r) => r.id)).toEqual(['run-1']);
      } finally {
        await store.close();
      }
    };
    await check();

    // Down to 0006: the default cluster's rows stay in the old shape, the other cluster's go.
    const again = openDatabase(t.url);
    const back = new Migrator({ db: again.db, provider: migrationProvider(again.dialect) });
    const result = await back.migrateTo('0006-alerts');
    expect(result.error).toBeUndefined();
    const rows = async (table: string) =>
      (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(again.db))
        .rows;
    for (const table of [
      'history_events',
      'history_samples',
      'member_states',
      'wizard_runs',
      'alert_incidents',
      'alert_deliveries',
      'cluster_snapshots',
    ]) {
      const found = await rows(table);
      expect(found, table).toHaveLength(1);
      expect(found[0], table).not.toHaveProperty('cluster');
    }
    expect((await rows('cluster_snapshots'))[0]).toMatchObject({ name: 'cluster' });
    expect((await rows('audit_log')).map((r) => r.detail)).toEqual(['"signed in"']);
    // The old unique keys hold again.
    await expect(
      sql`insert into member_states (kind, subject, state, since, detail, updated_at) values ('replica', ${REPLICA}, 'healthy', 1, '{}', 1)`.execute(
        again.db,
      ),
    ).rejects.toThrow();
    await again.db.destroy();

    // And up once more: nothing lost on the way.
    await check();
  });
});

describe('the snapshot announcement', () => {
  it("names the cluster and the snapshot's time, and reads an older console's as the default cluster's", () => {
    const payload = snapshotPayload('east dc', '2024-05-01T00:00:04.000Z');
    expect(parseSnapshotPayload(payload)).toEqual({
      cluster: 'east dc',
      generatedAt: '2024-05-01T00:00:04.000Z',
    });
    expect(parseSnapshotPayload('2024-05-01T00:00:04.000Z')).toEqual({
      cluster: 'default',
      generatedAt: '2024-05-01T00:00:04.000Z',
    });
  });

  it('gives the default cluster the lock id older consoles take, and others stable distinct ids', () => {
    expect(pollerLockId()).toBe(1);
    expect(pollerLockId('default')).toBe(1);
    expect(pollerLockId('east')).toBe(pollerLockId('east'));
    expect(pollerLockId('east')).not.toBe(pollerLockId('west'));
    for (const name of ['east', 'west', 'a', 'prod-eu-1'])
      expect(Math.abs(pollerLockId(name))).toBeLessThan(2 ** 31);
  });
});

const postgres = storeBackends().find((b) => b.name === 'Postgres');

describe.skipIf(!postgres)('one poller per cluster on Postgres', () => {
  it('locks each cluster separately across connections', async () => {
    const { url } = await postgres!.temp();
    const a = await openCoordination(url);
    const b = await openCoordination(url);
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    expect(await a.tryLock('east')).toBe(true);
    expect(await b.tryLock('east')).toBe(false);
    expect(await b.tryLock('west')).toBe(true);
    expect(await a.tryLock('west')).toBe(false);
    expect(await b.tryLock()).toBe(true);
    expect(await a.tryLock('default')).toBe(false);
    await b.close();
    expect(await a.tryLock('west')).toBe(true);
  });

  it('tells listeners which cluster a new snapshot is of', async () => {
    const { url } = await postgres!.temp();
    const store = await openStore(url);
    cleanups.push(() => store.close());
    const listener = await openCoordination(url);
    cleanups.push(() => listener.close());
    const heard = new Promise<[string, string]>((resolve) =>
      listener.onSnapshot((generatedAt, cluster) => resolve([generatedAt, cluster])),
    );
    await store.forCluster('east').snapshots.publish({
      instance: 'a:1',
      generatedAt: '2024-05-01T00:00:04.000Z',
      json: '{}',
      updatedAt: 4,
    });
    expect(await heard).toEqual(['2024-05-01T00:00:04.000Z', 'east']);
  });
});
