// Debian's prometheus-alertmanager on loopback, its webhook receiver a local server: the demo
// cluster loses a replica → the console posts one alert → it arrives through Alertmanager;
// reset → the console posts endsAt → Alertmanager sends the resolved notice.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlerting, type Alerting } from '@/lib/alerts/service';
import { openStore, type Store } from '@/lib/store';
import { tempDatabase } from '@/test/support/store';
import {
  assess,
  freePort,
  SESSION_SECRET,
  startReceiver,
  testAlertingConfig,
  waitFor,
  watchedDemo,
  type Receiver,
  type WatchedDemo,
} from './support';

const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

interface AmWebhook {
  status: 'firing' | 'resolved';
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
}

let cluster: WatchedDemo;
let receiver: Receiver;
let am: ChildProcess | null = null;
let amUrl = '';
let amLog = '';
const dir = mkdtempSync(path.join(tmpdir(), 'alertmanager-'));
const db = tempDatabase();
let store: Store;
let alerting: Alerting | null = null;

beforeAll(async () => {
  [cluster, receiver] = await Promise.all([watchedDemo('alerts-am'), startReceiver()]);
  const port = await freePort();
  amUrl = `http://127.0.0.1:${port}`;
  writeFileSync(
    path.join(dir, 'alertmanager.yml'),
    [
      'route:',
      '  receiver: console-test',
      "  group_by: ['alertname', 'cluster', 'incident']",
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: console-test',
      '    webhook_configs:',
      `      - url: ${receiver.url}/am`,
      '        send_resolved: true',
    ].join('\n'),
  );
  am = spawn(
    ALERTMANAGER,
    [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  am.stderr?.on('data', (c: Buffer) => (amLog += c.toString()));
  const until = Date.now() + 20_000;
  for (;;) {
    const ready = await fetch(`${amUrl}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > until || am.exitCode !== null)
      throw new Error(`alertmanager did not become ready: ${amLog.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  store = await openStore(db.url);
}, 60_000);

afterAll(async () => {
  await alerting?.stop();
  await store?.close();
  if (am && am.exitCode === null) {
    const exited = new Promise((r) => am?.once('exit', r));
    am.kill('SIGTERM');
    await exited;
  }
  await receiver?.close();
  await cluster?.close();
  db.remove();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

const notices = () =>
  receiver.seen.filter((r) => r.path === '/am').map((r) => JSON.parse(r.body) as AmWebhook);

describe.skipIf(!existsSync(ALERTMANAGER))(
  'Alertmanager channel (real prometheus-alertmanager)',
  () => {
    it('a lost replica arrives through Alertmanager as one alert; reset resolves it', async () => {
      alerting = await startAlerting({
        alerts: store.alerts,
        feed: cluster.monitor,
        assess,
        config: testAlertingConfig([
          {
            name: 'am',
            kind: 'alertmanager',
            url: amUrl,
            secret: null,
            minSeverity: 'critical',
            enabled: true,
          },
        ]),
        sessionSecret: SESSION_SECRET,
        log: () => undefined,
      });
      const victim = cluster.replicaIds[1]!;
      await cluster.demo.setFault(victim, 'stop');
      const firing = await waitFor(
        'a firing notice from Alertmanager',
        () => notices().find((n) => n.status === 'firing'),
        30_000,
      );
      expect(firing.alerts).toHaveLength(1);
      expect(firing.alerts[0]?.labels).toMatchObject({
        alertname: 'DTR_QUORUM_AT_RISK',
        severity: 'critical',
        cluster: 'demo',
        incident: 'dtr-quorum',
      });
      expect(firing.alerts[0]?.annotations).toMatchObject({
        console_url: expect.stringMatching(/^http:\/\/console\.test:3000\//),
        next_step: expect.any(String),
        consequence: expect.any(String),
      });
      // Alertmanager holds it as active while the console keeps re-posting.
      const active = (await (await fetch(`${amUrl}/api/v2/alerts?active=true`)).json()) as {
        labels: Record<string, string>;
      }[];
      expect(active.map((a) => a.labels.alertname)).toEqual(['DTR_QUORUM_AT_RISK']);

      await cluster.demo.reset();
      const resolved = await waitFor(
        'a resolved notice from Alertmanager',
        () => notices().find((n) => n.status === 'resolved'),
        30_000,
      );
      expect(resolved.alerts.map((a) => [a.labels.alertname, a.status])).toEqual([
        ['DTR_QUORUM_AT_RISK', 'resolved'],
      ]);
      const log = await store.alerts.listDeliveries({ limit: 10 });
      expect(log.map((d) => [d.transition, d.status]).sort()).toEqual([
        ['firing', 'sent'],
        ['resolved', 'sent'],
      ]);
    }, 90_000);
  },
);
