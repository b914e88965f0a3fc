// The alerting loop against snapshots given by the test and real local receivers: the severity
// filter, a disabled channel, a hanging channel that holds up neither the steps nor the others,
// and flaps that leave no row behind.
import { afterEach, describe, expect, it } from 'vitest';
import { assessCluster } from '@/lib/domain/assess';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { openStore, type Store } from '@/lib/store';
import { buildSnapshot, type SnapshotSpec } from '@/test/support/snapshot';
import { tempDatabase } from '@/test/support/store';
import { TEST_UCP } from '@/test/support/assess';
import {
  SESSION_SECRET,
  startReceiver,
  testAlertingConfig,
  type Receiver,
} from '@/test/alerts/support';
import { startAlerting, type Alerting } from './service';
import type { FileChannel } from '@/lib/config/alerts';

const ONE_DOWN: SnapshotSpec = { replicas: ['healthy', 'healthy', 'unreachable'] };
// Stale UCP: the console's own blindness, a warning.
const BLIND: SnapshotSpec = {
  replicas: ['healthy', 'healthy', 'healthy'],
  sources: { ucp: { state: 'stale', lastError: 'connection refused' } },
};
const HEALTHY: SnapshotSpec = { replicas: ['healthy', 'healthy', 'healthy'] };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(channels: (r: Receiver[]) => FileChannel[], receivers = 2) {
  const db = tempDatabase();
  const store: Store = await openStore(db.url);
  const rs = await Promise.all(Array.from({ length: receivers }, () => startReceiver()));
  cleanups.push(
    () => db.remove(),
    () => store.close(),
    ...rs.map((r) => () => r.close()),
  );
  let snapshot: ClusterSnapshot = buildSnapshot(HEALTHY);
  let nowMs = Date.parse('2024-05-01T12:00:00.000Z');
  const config = {
    ...testAlertingConfig(channels(rs)),
    timeoutMs: 300,
    retries: 0,
    tickMs: 60_000,
  };
  const alerting: Alerting = await startAlerting({
    alerts: store.alerts,
    feed: { latest: () => snapshot },
    assess: (s) => assessCluster(s, TEST_UCP),
    config,
    sessionSecret: SESSION_SECRET,
    clock: () => new Date(nowMs),
    log: () => undefined,
  });
  cleanups.push(() => alerting.stop());
  return {
    store,
    receivers: rs,
    async at(seconds: number, spec: SnapshotSpec) {
      nowMs = Date.parse('2024-05-01T12:00:00.000Z') + seconds * 1000;
      snapshot = buildSnapshot(spec);
      await alerting.tick();
    },
  };
}

const hook = (name: string, r: Receiver, extra: Partial<FileChannel> = {}): FileChannel => ({
  name,
  kind: 'webhook',
  url: `${r.url}/${name}`,
  secret: 'service-test-secret-0123',
  minSeverity: 'warning',
  enabled: true,
  ...extra,
});

describe('the alerting loop', () => {
  it('sends each channel what its filter wants; a disabled channel gets nothing', async () => {
    const t = await setup(([a, b]) => [
      hook('critical-only', a!, { minSeverity: 'critical' }),
      hook('everything', b!),
      hook('off', b!, { enabled: false }),
    ]);
    await t.at(0, BLIND);
    await t.at(61, BLIND);
    await t.at(70, ONE_DOWN);
    await t.at(81, ONE_DOWN);
    const kinds = (r: Receiver) =>
      r.seen.map((x) => {
        const body = JSON.parse(x.body) as { kind: string; incident: { code: string } };
        return `${x.path} ${body.kind} ${body.incident.code}`;
      });
    expect(kinds(t.receivers[0]!)).toEqual(['/critical-only firing DTR_QUORUM_AT_RISK']);
    expect(kinds(t.receivers[1]!).sort()).toEqual([
      '/everything firing DTR_QUORUM_AT_RISK',
      '/everything firing SOURCE_UNREACHABLE',
      '/everything resolved SOURCE_UNREACHABLE',
    ]);
  });

  it('a channel that does not answer is recorded as failing and holds up no one else', async () => {
    const t = await setup(
      ([a]) => [hook('fast', a!), hook('black-hole', a!, { url: 'http://10.255.255.1:9/hook' })],
      1,
    );
    t.receivers[0]!.answer = () => 200;
    await t.at(0, ONE_DOWN);
    const started = Date.now();
    await t.at(11, ONE_DOWN);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(t.receivers[0]!.seen).toHaveLength(1);
    const channels = await t.store.alerts.listChannels();
    expect(channels.find((c) => c.name === 'black-hole')?.lastError).toMatch(
      /^(no answer from 10\.255\.255\.1:9 within 300 ms|cannot reach 10\.255\.255\.1:9.*)$/,
    );
    expect(channels.find((c) => c.name === 'fast')).toMatchObject({
      lastError: null,
      lastDeliveryAt: expect.any(Number),
    });
    const log = await t.store.alerts.listDeliveries({ limit: 10 });
    expect(log.map((d) => [d.channelName, d.status]).sort()).toEqual([
      ['black-hole', 'failed'],
      ['fast', 'sent'],
    ]);
  });

  it('a cause gone within `for` leaves no incident behind', async () => {
    const t = await setup(([a]) => [hook('pager', a!)], 1);
    await t.at(0, ONE_DOWN);
    expect((await t.store.alerts.openIncidents()).map((i) => i.group)).toEqual(['dtr-quorum']);
    await t.at(5, HEALTHY);
    expect(await t.store.alerts.listIncidents(10)).toEqual([]);
    expect(t.receivers[0]!.seen).toEqual([]);
  });
});
