import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '@/lib/domain/alerts/incidents';
import { openStore, type Store } from './index';
import type { NewChannel } from './alerts';
import { storeBackends, type StoreBackend } from '@/test/support/store';

let backend: StoreBackend;
const NOW = Date.parse('2024-05-01T12:00:00.000Z');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(): Promise<{ url: string; open(): Promise<Store> }> {
  const t = await backend.temp();
  cleanups.push(() => t.remove());
  return {
    url: t.url,
    async open() {
      const s = await openStore(t.url, { clock: () => new Date(NOW) });
      cleanups.push(() => s.close());
      return s;
    },
  };
}

function incident(group: string, phase: Incident['phase'], sinceSec: number): Incident {
  const since = new Date(NOW + sinceSec * 1000).toISOString();
  return {
    id: `${group}@${sinceSec}`,
    group,
    phase,
    severity: 'critical',
    code: 'DTR_QUORUM_AT_RISK',
    title: 'DTR quorum at risk',
    detail: 'One more failure stops pushes.',
    nextStep: 'Bring the replica back.',
    codes: ['DTR_QUORUM_AT_RISK'],
    subjects: ['a1640e1c15b6'],
    since,
    firedAt: phase === 'pending' ? null : since,
    resolvedAt: phase === 'resolved' ? since : null,
    lastSeenAt: since,
    clearedSince: null,
    lastNotifiedAt: null,
    repeats: 0,
    firedSeverity: phase === 'pending' ? null : 'critical',
    firedCode: phase === 'pending' ? null : 'DTR_QUORUM_AT_RISK',
  };
}

const channel = (id: string, name: string, origin: 'ui' | 'file' = 'ui'): NewChannel => ({
  id,
  name,
  kind: 'webhook',
  url: `https://hooks.example.com/${name}`,
  minSeverity: 'warning',
  enabled: true,
  origin,
  encryptedSecret: 'v1.sealed',
});

describe.each(storeBackends())('alerts on $name', (b) => {
  beforeAll(() => {
    backend = b;
  });

  it('keeps open incidents across a reopen (a restart), and lists resolved ones too', async () => {
    const db = await database();
    const first = await db.open();
    await first.alerts.saveIncidents([
      incident('dtr-quorum', 'firing', 0),
      incident('node:worker-1', 'pending', 5),
    ]);
    await first.alerts.saveIncidents([
      { ...incident('node:worker-1', 'pending', 5), phase: 'resolved' },
    ]);
    await first.close();
    const again = await db.open();
    expect((await again.alerts.openIncidents()).map((i) => [i.id, i.phase])).toEqual([
      ['dtr-quorum@0', 'firing'],
    ]);
    expect((await again.alerts.listIncidents(10)).map((i) => i.id)).toEqual([
      'node:worker-1@5',
      'dtr-quorum@0',
    ]);
  });

  it('forgets never-announced incidents, and purges old resolved ones with their deliveries', async () => {
    const { alerts } = await (await database()).open();
    const old = {
      ...incident('dtr-quorum', 'resolved', -7200),
      resolvedAt: new Date(NOW - 3_600_000).toISOString(),
    };
    const recent = {
      ...incident('node:worker-2', 'resolved', -60),
      resolvedAt: new Date(NOW - 30_000).toISOString(),
    };
    await alerts.saveIncidents([old, recent, incident('node:worker-9', 'pending', 0)]);
    await alerts.claimDelivery({
      incidentId: old.id,
      transition: 'firing',
      channelId: 'c',
      channelName: 'c',
      instance: 'a',
      at: NOW,
    });
    await alerts.claimDelivery({
      incidentId: recent.id,
      transition: 'firing',
      channelId: 'c',
      channelName: 'c',
      instance: 'a',
      at: NOW,
    });
    await alerts.deleteIncidents(['node:worker-9@0']);
    expect(await alerts.purgeResolved(NOW - 60_000)).toBe(1);
    expect((await alerts.listIncidents(10)).map((i) => i.id)).toEqual([recent.id]);
    expect((await alerts.listDeliveries({ limit: 10 })).map((d) => d.incidentId)).toEqual([
      recent.id,
    ]);
  });

  it('claims a delivery once, even when two consoles race for it', async () => {
    const db = await database();
    const [a, b2] = [await db.open(), await db.open()];
    const claim = {
      incidentId: 'dtr-quorum@0',
      transition: 'firing',
      channelId: 'c1',
      channelName: 'ops',
      at: NOW,
    };
    const results = await Promise.all([
      a.alerts.claimDelivery({ ...claim, instance: 'a' }),
      b2.alerts.claimDelivery({ ...claim, instance: 'b' }),
      a.alerts.claimDelivery({ ...claim, instance: 'a' }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await a.alerts.claimDelivery({ ...claim, transition: 'resolved', instance: 'a' })).toBe(
      true,
    );
    await a.alerts.finishDelivery({ ...claim, ok: false, attempts: 3, error: 'HTTP 500', at: NOW });
    const log = await b2.alerts.listDeliveries({ limit: 10, incidentId: 'dtr-quorum@0' });
    expect(log.map((d) => [d.transition, d.status, d.attempts, d.error]).sort()).toEqual([
      ['firing', 'failed', 3, 'HTTP 500'],
      ['resolved', 'claimed', 0, null],
    ]);
  });

  it('creates, updates and deletes channels; file channels are replaced by the file', async () => {
    const { alerts } = await (await database()).open();
    await alerts.createChannel(channel('ui-1', 'ops'));
    await alerts.syncFileChannels([
      channel('file:pager', 'pager', 'file'),
      channel('file:old', 'old', 'file'),
    ]);
    await alerts.syncFileChannels([channel('file:pager', 'pager', 'file')]);
    expect((await alerts.listChannels()).map((c) => [c.id, c.origin])).toEqual([
      ['ui-1', 'ui'],
      ['file:pager', 'file'],
    ]);
    expect(
      await alerts.updateChannel('ui-1', { enabled: false, minSeverity: 'critical' }),
    ).toMatchObject({
      enabled: false,
      minSeverity: 'critical',
      encryptedSecret: 'v1.sealed',
    });
    await alerts.recordChannelResult('ui-1', {
      ok: false,
      error: 'HTTP 503 from hooks.example.com',
      at: NOW,
    });
    expect(await alerts.getChannel('ui-1')).toMatchObject({
      lastError: 'HTTP 503 from hooks.example.com',
      lastErrorAt: NOW,
    });
    await alerts.recordChannelResult('ui-1', { ok: true, at: NOW + 1000 });
    expect(await alerts.getChannel('ui-1')).toMatchObject({
      lastError: null,
      lastDeliveryAt: NOW + 1000,
    });
    await expect(alerts.createChannel(channel('ui-2', 'ops'))).rejects.toThrow();
    expect(await alerts.deleteChannel('ui-1')).toBe(true);
    expect(await alerts.deleteChannel('ui-1')).toBe(false);
    expect(await alerts.updateChannel('ui-1', { enabled: true })).toBeNull();
  });
});
