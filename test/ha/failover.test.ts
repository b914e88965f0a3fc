// Issue #9, part 4: console HA. Two console processes (test/support/console-child.ts: the real runtime
// and route handlers) share one real PostgreSQL database and watch one demo cluster. Exactly one
// polls; the other serves the poller's snapshot. The poller is killed with SIGKILL: the standby
// must take over within two poll intervals, history must carry on without a duplicated event, and
// a sign-out on one instance must hold on the other.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealSession } from '@/lib/auth/session';
import { startDemoCluster, type DemoCluster } from '@/lib/demo';
import type { ClusterStatus } from '@/lib/domain/types';
import { canRunPostgres, startPostgres, type PostgresServer } from '@/test/postgres/server';
import { startReadyChild } from '@/test/support/ready-child';

const POLL_MS = 1000;
const TIMEOUT_MS = 500;
const CHILD = path.join(__dirname, '..', 'support', 'console-child.ts');
const SERVICE_USER = 'console-service';
const SERVICE_PASSWORD = randomBytes(18).toString('base64url');
const SESSION_SECRET = randomBytes(32).toString('base64url');

interface Instance {
  name: string;
  child: ChildProcess;
  port: number;
  stderr(): string;
}

interface Health {
  lastPollAt: string | null;
  instance: { name: string; role: 'single' | 'poller' | 'standby'; poller: string | null };
}

let postgres: PostgresServer;
let databaseUrl: string;
let demo: DemoCluster;
const live = new Set<ChildProcess>();

async function startInstance(name: string): Promise<Instance> {
  const { child, ready, stderr } = await startReadyChild<{ port: number }>(
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
      PROBE_TIMEOUT_MS: String(TIMEOUT_MS),
      CONSOLE_CHILD_PORT: '0',
      CONSOLE_CHILD_ROUTES: 'GET /api/status,GET /api/healthz,POST /api/auth/logout',
    },
    { label: `console ${name}`, timeoutMs: 30_000, live },
  );
  return { name, child, port: ready.port, stderr };
}

async function health(instance: Instance): Promise<Health> {
  const response = await fetch(`http://127.0.0.1:${instance.port}/api/healthz`);
  return (await response.json()) as Health;
}

let signedIn: string;

/** GET /api/status as a signed-in admin (sessions are sealed with the instances' shared secret). */
async function status(instance: Instance, cookie = signedIn): Promise<Response> {
  return fetch(`http://127.0.0.1:${instance.port}/api/status`, { headers: { cookie } });
}

async function viewerCookie(): Promise<{ cookie: string; csrf: string }> {
  const sealed = await sealSession(
    { username: 'admin', roles: { default: 'admin' } },
    { secret: SESSION_SECRET, ttlMs: 3_600_000 },
  );
  return { cookie: `dtrc_session=${sealed.token}`, csrf: sealed.session.csrf };
}

/** Polls `check` every 50 ms until it returns a value; the time it took. */
async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return { value, ms: Date.now() - start };
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function query<R extends pg.QueryResultRow>(text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!canRunPostgres())('two console instances on one Postgres', () => {
  beforeAll(async () => {
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase('ha');
    demo = await startDemoCluster({
      seed: 'console-ha',
      extraUsers: [{ username: SERVICE_USER, password: SERVICE_PASSWORD, isAdmin: true }],
    });
    signedIn = (await viewerCookie()).cookie;
  }, 60_000);

  afterAll(async () => {
    for (const child of live) child.kill('SIGKILL');
    await demo?.close();
    await postgres?.stop();
  }, 30_000);

  it('polls from one instance only, serves it from both, and fails over within two intervals', async () => {
    const a = await startInstance('A');
    await until('A to poll', async () =>
      (await health(a)).instance.role === 'poller' ? true : undefined,
    );
    // Fan-in: upstream probes per replica per interval, with A alone and with A and B up.
    const replicaIds = demo.describe().replicas.map((r) => r.id);
    const probesOf = () =>
      replicaIds.reduce(
        (sum, id) => sum + Object.values(demo.counters()[id] ?? {}).reduce((s, n) => s + n, 0),
        0,
      );
    const probeRate = async () => {
      const before = probesOf();
      await sleep(5 * POLL_MS);
      return (probesOf() - before) / replicaIds.length / 5;
    };
    const alone = await probeRate();
    expect(alone).toBeGreaterThan(0.5);
    const b = await startInstance('B');
    const bHealth = await until('B to serve a snapshot', async () => {
      const h = await health(b);
      return h.lastPollAt ? h : undefined;
    });
    expect(bHealth.value.instance).toMatchObject({
      role: 'standby',
      poller: `${(await health(a)).instance.name}`,
    });

    const together = await probeRate();
    // One instance's probes, not two (±1 poll of the 5 for timing).
    expect(Math.abs(together - alone)).toBeLessThanOrEqual(alone / 5 + 0.01);

    // Exactly one poller lock is held.
    const locks = await query<{ n: string }>(
      "select count(*)::text as n from pg_locks where locktype = 'advisory' and granted",
    );
    expect(locks[0]?.n).toBe('1');

    // A fault seen by the poller reaches the standby's /api/status.
    const victim = replicaIds[1]!;
    await demo.setFault(victim, 'stop');
    const seen = await until('B to show the stopped replica', async () => {
      const body = (await (await status(b)).json()) as ClusterStatus;
      const replica = body.dtr.replicas.find((r) => r.id === victim);
      // Down on two witnesses' word (the console's probe and RethinkDB); a poll that read the
      // view just before the stop may first say unreachable-from-console.
      return replica?.status === 'unreachable' ? body : undefined;
    });
    expect(seen.ms).toBeLessThan(3 * POLL_MS + 2 * TIMEOUT_MS);
    expect(seen.value.warnings.map((w) => w.code)).toContain('DTR_REPLICA_UNHEALTHY');

    // Kill the poller: B must poll within two intervals and serve fresh snapshots.
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    const takeover = await until('B to take over', async () => {
      const h = await health(b);
      return h.instance.role === 'poller' ? h : undefined;
    });
    expect(takeover.ms).toBeLessThanOrEqual(2 * POLL_MS);
    await until('a snapshot polled after the kill', async () => {
      const h = await health(b);
      return h.lastPollAt && Date.parse(h.lastPollAt) > killedAt ? h : undefined;
    });
    const freshMs = Date.now() - killedAt;
    expect(freshMs).toBeLessThanOrEqual(2 * POLL_MS);
    console.log(
      `console HA: standby polling ${takeover.ms} ms after SIGKILL of the poller, its first snapshot served ${freshMs} ms after (interval ${POLL_MS} ms)`,
    );

    // History continues under the new poller without inventing a second "went down".
    await demo.setFault(victim, 'none');
    await until('B to record the recovery', async () => {
      const rows = await query<{ to_state: string }>(
        `select to_state from history_events where subject = '${victim}' order by id`,
      );
      return rows.at(-1)?.to_state === 'healthy' ? rows : undefined;
    });
    const transitions = await query<{ to_state: string }>(
      `select to_state from history_events where subject = '${victim}' order by id`,
    );
    // One outage: down once (a stop may first read unreachable-from-console, published by the
    // re-probe before the next poll reads the cluster's view), never down again after the kill.
    const down = transitions.map((t) => t.to_state).filter((s) => s !== 'healthy');
    expect(down.filter((s) => s === 'unreachable')).toHaveLength(1);
    expect(down.length).toBeLessThanOrEqual(2);
    expect(new Set(down).size).toBe(down.length);

    // A restarted A comes back as standby: still one poller.
    const a2 = await startInstance('A2');
    await until('A2 to serve', async () => ((await health(a2)).lastPollAt ? true : undefined));
    const roles = [(await health(a2)).instance.role, (await health(b)).instance.role].sort();
    expect(roles).toEqual(['poller', 'standby']);

    // The poller losing its database connection stops polling at once (another instance may
    // already hold the lock); within two intervals one instance polls again.
    const poller = (await health(b)).instance.role === 'poller' ? b : a2;
    const cutAt = Date.now();
    await query(
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name like 'dtr-ha-console coordination %' and pid in (select pid from pg_locks where locktype = 'advisory' and granted)`,
    );
    const resumed = await until('one instance polling after the cut', async () => {
      const both = await Promise.all([health(b), health(a2)]);
      const polling = both.filter((h) => h.instance.role === 'poller');
      return polling.length === 1 && Date.parse(polling[0]?.lastPollAt ?? '') > cutAt
        ? polling[0]
        : undefined;
    });
    expect(resumed.ms).toBeLessThanOrEqual(2 * POLL_MS + 2 * TIMEOUT_MS);
    expect(poller.stderr()).toMatch(/stopped polling \(lost its database connection\)/);
    const heldAfter = await query<{ n: string }>(
      "select count(*)::text as n from pg_locks where locktype = 'advisory' and granted",
    );
    expect(heldAfter[0]?.n).toBe('1');

    for (const instance of [a, b, a2])
      expect(instance.stderr()).not.toMatch(/UNHANDLED REJECTION|TypeError|ReferenceError/);
  }, 120_000);

  it('honours a sign-out made on one instance on every other', async () => {
    const [one, two] = await Promise.all([startInstance('one'), startInstance('two')]);
    const { cookie, csrf } = await viewerCookie();
    expect((await status(two, cookie)).status).toBe(200);
    const out = await fetch(`http://127.0.0.1:${one.port}/api/auth/logout`, {
      method: 'POST',
      headers: {
        cookie,
        'x-csrf-token': csrf,
        origin: `http://127.0.0.1:${one.port}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(out.status).toBe(200);
    expect((await status(one, cookie)).status).toBe(401);
    // The other instance trusts its last "not revoked" answer for up to a second.
    const refused = await until('the other instance to refuse the cookie', async () =>
      (await status(two, cookie)).status === 401 ? true : undefined,
    );
    expect(refused.ms).toBeLessThanOrEqual(1500);
  }, 60_000);
});
