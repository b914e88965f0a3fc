// The acceptance's hard cases with the real runtime in child processes (test/support/console-child.ts,
// booted from the environment as in production, channels from ALERT_CHANNELS_FILE):
// - one console on SQLite, killed with SIGKILL while an incident fires, started again: no
//   duplicate firing message, and the resolve still comes, once;
// - two consoles on one Postgres: only the poller sends; SIGKILL it while the incident fires, the
//   standby takes over and sends nothing twice, and the resolve comes once.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signature, SIGNATURE_HEADER } from '@/lib/alerts/deliver';
import type { WebhookBody } from '@/lib/alerts/payloads';
import { startDemoCluster, type DemoCluster } from '@/lib/demo';
import { canRunPostgres, startPostgres, type PostgresServer } from '@/test/postgres/server';
import { startReadyChild } from '@/test/support/ready-child';
import { sleep, startReceiver, waitFor, type Receiver } from './support';

const CHILD = path.join(__dirname, '..', 'support', 'console-child.ts');
const SERVICE_USER = 'console-service';
const SERVICE_PASSWORD = randomBytes(18).toString('base64url');
const SESSION_SECRET = randomBytes(32).toString('base64url');
const HOOK_SECRET = randomBytes(24).toString('base64url');
const POLL_MS = 500;

const live = new Set<ChildProcess>();
const dir = mkdtempSync(path.join(tmpdir(), 'alerts-restart-'));
let demo: DemoCluster;
let receiver: Receiver;
let postgres: PostgresServer | null = null;

beforeAll(async () => {
  [demo, receiver] = await Promise.all([
    startDemoCluster({
      seed: 'alerts-restart',
      extraUsers: [{ username: SERVICE_USER, password: SERVICE_PASSWORD, isAdmin: true }],
    }),
    startReceiver(),
  ]);
  writeFileSync(
    path.join(dir, 'channels.json'),
    JSON.stringify({
      channels: [
        {
          name: 'pager',
          kind: 'webhook',
          url: `${receiver.url}/hook`,
          secretEnv: 'PAGER_HOOK_SECRET',
          minSeverity: 'critical',
        },
      ],
    }),
  );
}, 60_000);

afterEach(async () => {
  for (const child of live) child.kill('SIGKILL');
  await demo.reset();
  receiver.seen.length = 0;
});

afterAll(async () => {
  for (const child of live) child.kill('SIGKILL');
  await receiver?.close();
  await demo?.close();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

async function startConsole(name: string, databaseUrl: string) {
  const { child, ready } = await startReadyChild<{ port: number }>(
    CHILD,
    {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      UCP_URL: demo.ucpUrl,
      UCP_USERNAME: SERVICE_USER,
      UCP_PASSWORD: SERVICE_PASSWORD,
      DTR_URL: demo.dtrUrl,
      DTR_PROBE_SCHEME: 'http',
      SESSION_SECRET,
      POLL_INTERVAL_MS: String(POLL_MS),
      PROBE_TIMEOUT_MS: '400',
      CONSOLE_CHILD_PORT: '0',
      CONSOLE_CHILD_ROUTES: 'GET /api/status,GET /api/healthz,POST /api/auth/logout',
      ALERT_CHANNELS_FILE: path.join(dir, 'channels.json'),
      PAGER_HOOK_SECRET: HOOK_SECRET,
      ALERT_FOR_CRITICAL_MS: '1000',
      ALERT_BACKOFF_MS: '100',
      CONSOLE_URL: 'https://console.example.com',
    },
    { label: `console ${name}`, timeoutMs: 40_000, live },
  );
  return { child, port: ready.port };
}

async function roleOf(port: number): Promise<string | undefined> {
  const response = await fetch(`http://127.0.0.1:${port}/api/healthz`).catch(() => null);
  if (!response?.ok) return undefined;
  return ((await response.json()) as { instance: { role: string } }).instance.role;
}

/** Webhook bodies that reached the receiver with a valid signature. */
function messages(): WebhookBody[] {
  return receiver.seen.map((r) => {
    expect(r.headers[SIGNATURE_HEADER.toLowerCase()]).toBe(signature(r.body, HOOK_SECRET));
    return JSON.parse(r.body) as WebhookBody;
  });
}
const kinds = () => messages().map((m) => `${m.kind}:${m.incident.group}`);

async function outageFires(): Promise<WebhookBody> {
  // Not the first replica: the console reads the DTR API through it (DTR_URL).
  const victim = demo.describe().replicas[2]!.id;
  await demo.setFault(victim, 'stop');
  await waitFor('the firing message', () => messages().find((m) => m.kind === 'firing'), 30_000);
  return messages()[0]!;
}

describe('a console killed while an incident fires', () => {
  it('SQLite: restarted, it sends no duplicate firing message and still sends the resolve', async () => {
    const databaseUrl = `file:${path.join(dir, 'console.db')}`;
    const first = await startConsole('first', databaseUrl);
    const firing = await outageFires();
    expect(firing.incident).toMatchObject({ group: 'dtr-quorum', severity: 'critical' });
    expect(firing.incident.url).toMatch(/^https:\/\/console\.example\.com\//);
    first.child.kill('SIGKILL');

    await startConsole('second', databaseUrl);
    await sleep(4 * POLL_MS + 1500);
    expect(kinds()).toEqual(['firing:dtr-quorum']);

    await demo.reset();
    await waitFor('the resolved message', () => kinds().includes('resolved:dtr-quorum'), 30_000);
    await sleep(1500);
    expect(kinds()).toEqual(['firing:dtr-quorum', 'resolved:dtr-quorum']);
    expect(messages()[1]?.incident.id).toBe(firing.incident.id);
  }, 120_000);
});

describe.skipIf(!canRunPostgres())('two consoles on one Postgres', () => {
  it('only the poller sends; after SIGKILL of the poller the standby sends nothing twice, and resolves once', async () => {
    postgres = await startPostgres();
    const databaseUrl = await postgres.createDatabase('alerts_ha');
    const a = await startConsole('A', databaseUrl);
    for (let i = 0; i < 100 && (await roleOf(a.port)) !== 'poller'; i++) await sleep(100);
    expect(await roleOf(a.port)).toBe('poller');
    const b = await startConsole('B', databaseUrl);
    expect(await roleOf(b.port)).toBe('standby');

    const firing = await outageFires();
    await sleep(1500);
    expect(kinds()).toEqual(['firing:dtr-quorum']);

    a.child.kill('SIGKILL');
    for (let i = 0; i < 150 && (await roleOf(b.port)) !== 'poller'; i++) await sleep(100);
    expect(await roleOf(b.port)).toBe('poller');
    await sleep(4 * POLL_MS + 1500);
    expect(kinds()).toEqual(['firing:dtr-quorum']);

    await demo.reset();
    await waitFor('the resolved message', () => kinds().includes('resolved:dtr-quorum'), 30_000);
    await sleep(1500);
    expect(kinds()).toEqual(['firing:dtr-quorum', 'resolved:dtr-quorum']);
    expect(messages()[1]?.incident.id).toBe(firing.incident.id);
  }, 150_000);
});
