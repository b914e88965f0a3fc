// A signed webhook reaches a real local receiver: one firing message for a stopped replica (one
// incident, not one per warning code), retried after the receiver's 500, not sent again after a
// console restart (a new engine on the same SQLite store), and one resolved message after reset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signature, SIGNATURE_HEADER } from '@/lib/alerts/deliver';
import type { WebhookBody } from '@/lib/alerts/payloads';
import { startAlerting, type Alerting } from '@/lib/alerts/service';
import { openStore, type Store } from '@/lib/store';
import { tempDatabase } from '@/test/support/store';
import {
  assess,
  SESSION_SECRET,
  sleep,
  startReceiver,
  testAlertingConfig,
  waitFor,
  watchedDemo,
  type Receiver,
  type WatchedDemo,
} from './support';

const HOOK_SECRET = 'receiver-shared-secret-5a1f9c';
let cluster: WatchedDemo;
let receiver: Receiver;
const db = tempDatabase();
let store: Store;
let alerting: Alerting | null = null;

beforeAll(async () => {
  [cluster, receiver] = await Promise.all([watchedDemo('alerts-webhook'), startReceiver()]);
  store = await openStore(db.url);
}, 60_000);

afterAll(async () => {
  await alerting?.stop();
  await store?.close();
  await receiver?.close();
  await cluster?.close();
  db.remove();
});

const start = () =>
  startAlerting({
    alerts: store.alerts,
    feed: cluster.monitor,
    assess,
    config: testAlertingConfig([
      {
        name: 'pager',
        kind: 'webhook',
        url: `${receiver.url}/hook?token=t0k3n`,
        secret: HOOK_SECRET,
        minSeverity: 'warning',
        enabled: true,
      },
    ]),
    sessionSecret: SESSION_SECRET,
    log: () => undefined,
  });

/** Requests the receiver accepted, with a valid signature, parsed. */
function accepted(): WebhookBody[] {
  return receiver.seen
    .filter((r) => r.status === 200)
    .map((r) => {
      expect(r.headers[SIGNATURE_HEADER.toLowerCase()]).toBe(signature(r.body, HOOK_SECRET));
      return JSON.parse(r.body) as WebhookBody;
    });
}

describe('generic webhook, end to end', () => {
  it('one signed firing message per stopped replica, retried after a 500', async () => {
    receiver.answer = (n) => (n === 1 ? 500 : 200);
    alerting = await start();
    await sleep(1500);
    expect(receiver.seen).toEqual([]);

    const victim = cluster.replicaIds[2]!;
    await cluster.demo.setFault(victim, 'stop');
    await waitFor('an accepted firing message', () => accepted().length > 0, 20_000);
    await sleep(1500);

    expect(receiver.seen.map((r) => r.status)).toEqual([500, 200]);
    // The retry is the same signed body.
    expect(receiver.seen[1]?.body).toBe(receiver.seen[0]?.body);
    const [firing] = accepted();
    expect(firing).toMatchObject({
      version: 1,
      kind: 'firing',
      cluster: 'demo',
      incident: {
        status: 'firing',
        group: 'dtr-quorum',
        severity: 'critical',
        code: 'DTR_QUORUM_AT_RISK',
      },
    });
    expect(firing?.incident.subjects).toContain(victim);
    expect(firing?.incident.codes.length).toBeGreaterThan(1);
    const log = await store.alerts.listDeliveries({ limit: 10 });
    expect(log.map((d) => [d.transition, d.status, d.attempts, d.channelName])).toEqual([
      ['firing', 'sent', 2, 'pager'],
    ]);
    const [channel] = await store.alerts.listChannels();
    expect(channel).toMatchObject({ lastError: null, url: `${receiver.url}/hook?…` });
    expect(JSON.stringify(channel)).not.toContain('t0k3n');
  });

  it('a restart (new engine, same store) sends nothing again, and the resolve still comes once', async () => {
    await alerting?.stop();
    alerting = await start();
    await sleep(2000);
    expect(accepted().map((b) => b.kind)).toEqual(['firing']);

    await cluster.demo.reset();
    await waitFor(
      'a resolved message',
      () => accepted().some((b) => b.kind === 'resolved'),
      20_000,
    );
    await sleep(1500);
    const bodies = accepted();
    expect(bodies.map((b) => b.kind)).toEqual(['firing', 'resolved']);
    expect(bodies[1]?.incident.id).toBe(bodies[0]?.incident.id);
    expect(bodies[1]?.incident.resolvedAt).not.toBeNull();
    // The demo's standing design warnings stay pending (warning `for` is 60 s); the outage is closed.
    const open = await store.alerts.openIncidents();
    expect(open.map((i) => i.group)).not.toContain('dtr-quorum');
    expect(open.every((i) => i.phase === 'pending')).toBe(true);
  });
});
