// Issue 22 end to end on a real dockerd (docs/design-gated-execution.md §6, tests 3 to 6):
// console processes (test/support/console-child.ts: the real runtime and route handlers) with
// EXECUTE=on run join, remove and emergency repair through the Engine API of one Swarm-harness
// manager, against a fake UCP and DTR whose replicas sit on the harness's nodes. The bootstrapper
// is the stand-in (test/swarm/standin.ts): it prints the arguments it received, checks the
// password it was handed on stdin, and succeeds, fails or runs slowly as its variant says.
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Agent, request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealSession } from '@/lib/auth/session';
import { SESSION_COOKIE } from '@/lib/auth/session-cookie';
import { startReadyChild } from '@/test/support/ready-child';
import { ROUTE_TEST_ID } from '@/test/support/routes';
import { sendJson, startServer, type TestServer } from '@/test/support/test-server';
import { canRunPostgres, startPostgres, type PostgresServer } from '@/test/postgres/server';
import { canRunSwarm, startSwarm, type Swarm } from './harness';
import {
  decodeStandinArgs,
  importStandin,
  standinPassword,
  standinUnavailableReason,
  type StandinVariant,
} from './standin';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CHILD = path.join(__dirname, '..', 'support', 'console-child.ts');
const PREFIX = 'exr';
const VERSION = '2.9.3';
/** DTR_IMAGE: the variant a test wants is tagged as this repository before it runs. */
const REPOSITORY = 'dhc/dtr';
const PASSWORD = standinPassword();
const SESSION_SECRET = randomBytes(32).toString('base64url');
const LABEL = 'com.dtr-ha-console.execution';
const R = { a: 'aaaaaaaaaaa1', b: 'bbbbbbbbbbb2', c: 'ccccccccccc3', n: 'ddddddddddd4' } as const;

const ID = ROUTE_TEST_ID;
const ROUTES = [
  'POST /api/wizards/runs',
  `GET /api/wizards/runs/${ID}`,
  `PATCH /api/wizards/runs/${ID}`,
  `POST /api/wizards/runs/${ID}/execute`,
  `GET /api/wizards/runs/${ID}/execution`,
  `GET /api/wizards/runs/${ID}/execution/events`,
  'GET /api/audit',
].join(',');

// ---------------------------------------------------------------------------------------------
// A fake UCP + DTR whose replicas sit on nodes named like the harness hosts.

interface FakeReplica {
  node: string;
  stopped: boolean;
}

interface Fake {
  ucp: TestServer;
  dtr: TestServer;
  servers: TestServer[];
  nodes: string[];
  replicas: Map<string, FakeReplica>;
  logins: { username: string; ok: boolean }[];
  /** The DTR version UCP's container list shows (the image tag of the dtr-* containers). */
  version: string;
  close(): Promise<void>;
}

/** Each node's address: a replica's /_ping answers there, on the port DTR's settings give. */
const NODE_HOSTS = ['127.0.3.1', '127.0.3.2', '127.0.3.3'];

async function startFake(nodes: string[]): Promise<Fake> {
  const token = `t-${randomBytes(8).toString('hex')}`;
  const replicas = new Map<string, FakeReplica>();
  const logins: Fake['logins'] = [];
  const ucp = await startServer((req, res, body) => {
    if (req.method === 'POST' && req.url === '/auth/login') {
      const { username, password } = JSON.parse(body) as { username?: string; password?: string };
      const ok = username === 'admin' && password === PASSWORD;
      logins.push({ username: username ?? '', ok });
      if (!ok) return sendJson(res, 401, { message: 'invalid username or password' });
      return sendJson(res, 200, { auth_token: token });
    }
    if (req.headers.authorization !== `Bearer ${token}`) return sendJson(res, 401, {});
    if (req.url === '/accounts/admin') return sendJson(res, 200, { name: 'admin', isAdmin: true });
    if (req.url === '/nodes') {
      return sendJson(
        res,
        200,
        nodes.map((hostname, i) => ({
          ID: `node${i + 1}`,
          Spec: { Role: 'worker', Availability: 'active', Labels: { dtr: 'true' } },
          Description: {
            Hostname: hostname,
            Platform: { OS: 'linux', Architecture: 'x86_64' },
            Engine: { EngineVersion: '20.10.13' },
          },
          Status: { State: 'ready', Message: 'Healthy UCP worker', Addr: NODE_HOSTS[i] },
        })),
      );
    }
    if (req.url?.startsWith('/containers/json')) {
      return sendJson(
        res,
        200,
        [...replicas].flatMap(([id, replica]) =>
          ['nginx', 'registry', 'rethinkdb'].map((component) => ({
            Names: [`/${replica.node}/dtr-${component}-${id}`],
            Image: `docker/dtr-${component}:${fake.version}`,
            State: replica.stopped ? 'exited' : 'running',
          })),
        ),
      );
    }
    sendJson(res, 404, {});
  });
  const pingers = await Promise.all(
    nodes.map((node, i) =>
      startServer((req, res) => {
        const up = [...replicas.values()].some((r) => r.node === node && !r.stopped);
        if (req.url === '/_ping' && up) return sendJson(res, 200, { Error: '', Healthy: true });
        sendJson(res, 503, { Error: 'down', Healthy: false });
      }, NODE_HOSTS[i]),
    ),
  );
  const hostOf = (id: string) => nodes.indexOf(replicas.get(id)?.node ?? '');
  const dtr = await startServer((req, res) => {
    if (req.url === '/api/v0/content_caches') return sendJson(res, 200, []);
    if (req.url === '/api/v0/meta/settings') {
      const replicaSettings = Object.fromEntries(
        [...replicas].map(([id, replica]) => [
          id,
          { HTTPPort: pingers[hostOf(id)]?.port, HTTPSPort: 443, node: replica.node },
        ]),
      );
      return sendJson(res, 200, { replicaID: [...replicas.keys()][0], replicaSettings });
    }
    if (req.url === '/api/v0/meta/cluster_status') {
      const servers = [...replicas].map(([id, replica]) => ({
        server: `dtr_rethinkdb_${id}`,
        state: replica.stopped ? 'disconnected' : 'ready',
      }));
      return sendJson(res, 200, {
        replica_health: Object.fromEntries(
          [...replicas].map(([id, replica]) => [id, replica.stopped ? 'down' : 'OK']),
        ),
        replica_timestamp: {},
        rethink_system_tables: {
          table_status: [
            {
              db: 'dtr2',
              name: 'tags',
              shards: [{ replicas: servers }],
              // RethinkDB takes writes while a majority of its servers are up.
              status: {
                ready_for_writes:
                  2 * servers.filter((server) => server.state === 'ready').length > servers.length,
              },
            },
          ],
          current_issues: [],
        },
      });
    }
    sendJson(res, 404, {});
  });
  const servers = [ucp, dtr, ...pingers];
  const fake: Fake = {
    ucp,
    dtr,
    servers,
    nodes,
    replicas,
    logins,
    version: VERSION,
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
  return fake;
}

/** Replaces the fake's replicas (their order decides which loopback address answers for each). */
function layout(fake: Fake, replicas: Record<string, string>, stopped: string[] = []): void {
  fake.replicas.clear();
  for (const [id, node] of Object.entries(replicas))
    fake.replicas.set(id, { node, stopped: stopped.includes(id) });
}

// ---------------------------------------------------------------------------------------------
// The console children.

interface Console {
  child: ChildProcess;
  port: number;
  output(): string;
}

const live = new Set<ChildProcess>();

async function startConsole(env: Record<string, string>, label: string): Promise<Console> {
  const { child, ready, stderr, stdout } = await startReadyChild<{ port: number }>(
    CHILD,
    { CONSOLE_CHILD_PORT: '0', CONSOLE_CHILD_ROUTES: ROUTES, ...env },
    { label, timeoutMs: 60_000, live },
  );
  return { child, port: ready.port, output: () => `${stdout()}\n${stderr()}` };
}

let headers: Record<string, string>;

async function call(
  at: Console,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; json: Json; text: string }> {
  const origin = `http://127.0.0.1:${at.port}`;
  const response = await fetch(`${origin}${urlPath}`, {
    method,
    headers: {
      ...headers,
      origin,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    // not JSON (the event stream)
  }
  return { status: response.status, json, text };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined>,
  ms = 30_000,
  every = 200,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(every);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// The Engine API of the manager the console runs steps on, for what the test itself looks at.

function engine(socketPath: string) {
  const agent = new Agent({ connect: { socketPath }, pipelining: 0 });
  const get = async (p: string, method: 'GET' | 'POST' | 'DELETE' = 'GET') => {
    const res = await undiciRequest(`http://docker${p}`, {
      method,
      dispatcher: agent,
      signal: AbortSignal.timeout(10_000),
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, body };
  };
  return {
    async labelled(all = true): Promise<Json[]> {
      const filters = encodeURIComponent(JSON.stringify({ label: [LABEL] }));
      const res = await get(`/containers/json?all=${all ? 1 : 0}&filters=${filters}`);
      return JSON.parse(res.body.toString()) as Json[];
    },
    /** Containers created with a label between two times (the daemon's events). */
    async created(label: string, sinceMs: number, untilMs: number): Promise<Json[]> {
      const filters = encodeURIComponent(
        JSON.stringify({ type: ['container'], event: ['create'], label: [label] }),
      );
      const since = (sinceMs / 1000).toFixed(3);
      const until = (untilMs / 1000).toFixed(3);
      const res = await get(`/events?since=${since}&until=${until}&filters=${filters}`);
      return res.body
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Json);
    },
    async inspect(id: string): Promise<string> {
      return (await get(`/containers/${id}/json`)).body.toString();
    },
    async logs(id: string): Promise<Buffer> {
      return (await get(`/containers/${id}/logs?stdout=1&stderr=1&timestamps=1`)).body;
    },
    async tag(source: string, ref: string): Promise<void> {
      const [repo, tag] = ref.split(':') as [string, string];
      const res = await get(
        `/images/${source}/tag?repo=${encodeURIComponent(repo)}&tag=${tag}`,
        'POST',
      );
      if (res.status !== 201) throw new Error(`tag ${source} → ${ref}: ${res.status}`);
    },
    async remove(id: string): Promise<void> {
      await get(`/containers/${id}?force=1`, 'DELETE');
    },
    close: () => agent.destroy(),
  };
}

/**
 * The arguments the printed command hands the bootstrapper: its `docker run -it --rm <image> …`
 * line as a shell reads it, minus those four words and the image, with the CA file's contents
 * where it says `"$(cat ucp-ca.pem)"`.
 */
function plannedArgs(command: string, image: string, ca: string): string[] {
  const line = command.slice(command.indexOf('docker run ')).replace(/\\\n\s*/g, ' ');
  const words = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  expect(words.slice(0, 5)).toEqual(['docker', 'run', '-it', '--rm', image]);
  return words.slice(5).map((word) => (word === '$(cat ucp-ca.pem)' ? ca : word));
}

/** The text of every `line` event of an execution's event stream. */
function eventLines(events: string): string[] {
  return [...events.matchAll(/^data: (.*)$/gm)]
    .map((m) => {
      try {
        return JSON.parse(m[1]!) as Json;
      } catch {
        return null;
      }
    })
    .filter((d): d is Json => d !== null && typeof d.text === 'string')
    .map((d) => d.text as string);
}

/** The lines of a `GET /containers/<id>/logs` answer (TTY off: 8-byte frame headers). */
function logLines(bytes: Buffer): string[] {
  let text = '';
  for (let at = 0; at + 8 <= bytes.length;) {
    const size = bytes.readUInt32BE(at + 4);
    text += bytes.subarray(at + 8, at + 8 + size).toString('utf8');
    at += 8 + size;
  }
  return text.split('\n').map((line) => line.replace(/^\S+Z /, ''));
}

const timings: string[] = [];

describe.skipIf(!canRunSwarm() || standinUnavailableReason() !== undefined)(
  'EXECUTE=on against a real dockerd: the console runs the step itself',
  () => {
    let swarm: Swarm;
    let fake: Fake;
    let dir: string;
    let ca: string;
    let socket: string;
    let host: string;
    let docker: ReturnType<typeof engine>;
    let consoleA: Console;
    let env: Record<string, string>;
    /** Image IDs of the stand-in variants; `outlives-lease` sleeps 9 s per line, past a lease. */
    const images = {} as Record<StandinVariant | 'outlives-lease', string>;
    const fileStarted = Date.now();

    /** The stand-in variant the next step runs: tagged as the repository DTR_IMAGE names. */
    const use = (variant: keyof typeof images) =>
      docker.tag(images[variant], `${REPOSITORY}:${VERSION}`);

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'dhc-execute-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          'ucp-ca.key',
          '-out',
          'ucp-ca.pem',
          '-days',
          '2',
          '-subj',
          '/CN=UCP test CA',
        ],
        { cwd: dir, stdio: 'pipe' },
      );
      ca = readFileSync(path.join(dir, 'ucp-ca.pem'), 'utf8').trim();
      swarm = await startSwarm({ managers: 2, namePrefix: PREFIX });
      socket = swarm.managerSocket(1);
      host = `${PREFIX}-manager-2`;
      docker = engine(socket);
      const variants = [
        ['outlives-lease', 'slow', 9],
        ['ok', 'ok', 0],
        ['fail', 'fail', 0],
        ['slow', 'slow', 2],
      ] as const;
      for (const [name, variant, delaySeconds] of variants) {
        // By ID: a later import of the same variant takes over its repository's tag.
        images[name] = (
          await importStandin(socket, { password: PASSWORD, variant, tag: VERSION, delaySeconds })
        ).imageId;
      }
      fake = await startFake([`${PREFIX}-manager-1`, host, `${PREFIX}-node-3`]);
      const sealed = await sealSession(
        { username: 'admin', roles: { default: 'admin' } },
        { secret: SESSION_SECRET, ttlMs: 3_600_000 },
      );
      headers = {
        cookie: `${SESSION_COOKIE}=${sealed.token}`,
        'x-csrf-token': sealed.session.csrf,
      };
      env = {
        NODE_ENV: 'production',
        DATABASE_URL: `file:${path.join(dir, 'console.db')}`,
        AUTH: 'on',
        SESSION_SECRET,
        UCP_URL: fake.ucp.url,
        UCP_USERNAME: 'admin',
        UCP_PASSWORD: PASSWORD,
        UCP_CA_FILE: path.join(dir, 'ucp-ca.pem'),
        DTR_URL: fake.dtr.url,
        DTR_PROBE_SCHEME: 'http',
        DTR_IMAGE: REPOSITORY,
        POLL_INTERVAL_MS: '500',
        PROBE_TIMEOUT_MS: '1000',
        EXECUTE: 'on',
        EXECUTE_DOCKER_HOST: `unix://${socket}`,
      };
      layout(fake, { [R.a]: host, [R.b]: `${PREFIX}-manager-1`, [R.c]: `${PREFIX}-node-3` });
      consoleA = await startConsole(env, 'console A');
      timings.push(`swarm, images, fake and console up: ${Date.now() - fileStarted} ms`);
    }, 240_000);

    afterAll(async () => {
      for (const child of live) child.kill('SIGKILL');
      await docker?.close();
      await fake?.close();
      await swarm?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
      timings.push(`file total: ${Date.now() - fileStarted} ms`);
      console.log(`execute.test.ts timings:\n  ${timings.join('\n  ')}`);
    }, 60_000);

    /** The executions, their lines and the audit log, as the console's SQLite file holds them. */
    function databaseRows(): string {
      const db = new Database(path.join(dir, 'console.db'), { readonly: true });
      try {
        return JSON.stringify([
          db.prepare('select * from executions').all(),
          db.prepare('select * from execution_lines').all(),
          db.prepare('select * from audit_log').all(),
        ]);
      } finally {
        db.close();
      }
    }

    /** Waits until the console reads the fake as it now is (a replica down, or gone). */
    const seen = async (
      at: Console,
      what: string,
      ok: (run: Json) => boolean,
      runId: string,
      ms = 30_000,
    ) =>
      until(
        what,
        async () => {
          const { json } = await call(at, 'GET', `/api/wizards/runs/${runId}`);
          if (ok(json.run)) return json.run as Json;
          throw new Error(
            `${json.run?.status}: ${JSON.stringify(json.run?.verification ?? json.run?.state?.lastVerification)}`,
          );
        },
        ms,
      );

    async function plan(at: Console, body: Json): Promise<Json> {
      // The console polls every 500 ms: plan once it has read the layout the test just set.
      return until(
        `a plan of ${JSON.stringify(body)}`,
        async () => {
          const { status, json, text } = await call(at, 'POST', '/api/wizards/runs', body);
          if (status !== 201) throw new Error(`${status}: ${text}`);
          const blocks = (json.run.gates as Json[] | undefined)?.filter(
            (g) => g.severity === 'block' && !g.acknowledged,
          );
          if (blocks?.length) throw new Error(`blocked: ${JSON.stringify(blocks)}`);
          return json.run as Json;
        },
        15_000,
        600,
      );
    }

    async function readEvents(at: Console, runId: string): Promise<string> {
      const { status, text } = await call(at, 'GET', `/api/wizards/runs/${runId}/execution/events`);
      expect(status).toBe(200);
      return text;
    }

    /** POST execute, then the stream to its end: the execution as it ended and its lines. */
    async function executeToEnd(
      at: Console,
      run: Json,
      body: Json,
    ): Promise<{ execution: Json; lines: string[]; events: string; ms: number }> {
      const t0 = Date.now();
      const started = await call(at, 'POST', `/api/wizards/runs/${run.id}/execute`, {
        password: PASSWORD,
        ...body,
      });
      expect(started.status, started.text).toBe(202);
      expect(started.json.run.status).toBe('executing');
      const events = await readEvents(at, run.id);
      const ms = Date.now() - t0;
      expect(events).toMatch(/event: end/);
      const record = await call(at, 'GET', `/api/wizards/runs/${run.id}/execution`);
      expect(record.json.execution.id).toBe(started.json.execution.id);
      return { execution: record.json.execution as Json, lines: eventLines(events), events, ms };
    }

    it('removes a stopped replica: gates, container by label, password nowhere, argv as printed, done', async () => {
      const since = new Date().toISOString();
      layout(fake, { [R.a]: host, [R.b]: `${PREFIX}-manager-1`, [R.c]: `${PREFIX}-node-3` }, [R.b]);
      await use('slow');
      const run = await plan(consoleA, {
        kind: 'remove',
        replicaId: R.b,
        existingReplicaId: R.a,
        acknowledge: ['bring-back-first'],
      });
      const t0 = Date.now();
      const started = await call(consoleA, 'POST', `/api/wizards/runs/${run.id}/execute`, {
        password: PASSWORD,
        confirm: R.b,
      });
      expect(started.status, started.text).toBe(202);
      expect(started.json.run.status).toBe('executing');
      const executionId = started.json.execution.id as string;

      // While it runs: the container on manager 2, found by its label; the password not in it.
      const container = await until('the labelled container running', async () => {
        const list = await docker.labelled(false);
        return list.find((c) => c.Labels?.[LABEL] === executionId) ?? null;
      });
      const inspected = await docker.inspect(container.Id as string);
      // The stand-in prints its arguments first, then sleeps between progress lines.
      const logsWhileRunning = await until('the arguments in the log', async () => {
        const logs = await docker.logs(container.Id as string);
        return logs.includes('Validating UCP cert') ? logs : null;
      });
      expect(JSON.parse(inspected).State.Running).toBe(true);
      expect(inspected).not.toContain(PASSWORD);
      expect(logsWhileRunning.includes(PASSWORD)).toBe(false);

      const events = await readEvents(consoleA, run.id);
      expect(events).toMatch(/event: end/);
      const exitMs = Date.now() - t0;
      const lines = eventLines(events);
      // What the container received is what the run page printed, the CA file's PEM inlined.
      const planned = plannedArgs(run.state.command as string, `${REPOSITORY}:${VERSION}`, ca);
      expect(decodeStandinArgs(logLines(logsWhileRunning))).toEqual(planned);
      // The stream carries the same lines, each cut at 1,024 characters (the hex of the PEM is).
      expect(decodeStandinArgs(lines)).toEqual(planned.filter((arg) => arg !== ca));
      expect(
        lines.some((l) => l.startsWith('STANDIN-ARG 2d2d2d2d2d424547494e') && l.endsWith('…')),
      ).toBe(true);
      expect(lines.at(-1)).toMatch(/remove complete$/);

      const record = await call(consoleA, 'GET', `/api/wizards/runs/${run.id}/execution`);
      expect(record.json.execution).toMatchObject({ status: 'exited', exitCode: 0, node: host });
      const verifying = await seen(consoleA, 'verifying', (r) => r.status === 'verifying', run.id);
      expect(verifying.status).toBe('verifying');
      // The tool "did" it: the replica leaves the fake DTR, and the console verifies.
      fake.replicas.delete(R.b);
      const done = await seen(consoleA, 'the run done', (r) => r.status === 'done', run.id);
      timings.push(`remove (slow, 4 × 2 s): plan→exit ${exitMs} ms, →done ${Date.now() - t0} ms`);

      // Secret scan: the run, the stream, the audit, the database, the console's output.
      const audit = await call(consoleA, 'GET', '/api/audit');
      const actions = (audit.json.events as Json[])
        .filter((e) => e.at >= since)
        .map((e) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining(['wizard-execution-started', 'wizard-executed']),
      );
      const rows = databaseRows();
      expect(rows).toContain(executionId);
      // What the console printed (its banner says where steps run), and no error.
      expect(consoleA.output()).toContain(
        `run join, remove and emergency repair through the Docker API at unix://${socket}`,
      );
      expect(consoleA.output()).not.toMatch(/ended badly|could not store|UNHANDLED|request failed/);
      for (const [where, text] of Object.entries({
        run: JSON.stringify(done),
        events,
        audit: audit.text,
        rows,
        inspected,
        logsWhileRunning: logsWhileRunning.toString('latin1'),
        console: consoleA.output(),
      }))
        expect(text.includes(PASSWORD), where).toBe(false);
      // Removed once it ended.
      expect((await docker.labelled()).find((c) => c.Labels?.[LABEL] === executionId)).toBe(
        undefined,
      );
    }, 90_000);

    it('joins a replica on the node the console runs on: argv as printed, exit 0, verified', async () => {
      layout(fake, { [R.a]: `${PREFIX}-manager-1`, [R.c]: `${PREFIX}-node-3` });
      await use('ok');
      const run = await plan(consoleA, {
        kind: 'join',
        node: host,
        existingReplicaId: R.a,
        replicaId: R.n,
      });
      const { execution, lines, ms } = await executeToEnd(consoleA, run, {});
      expect(execution).toMatchObject({ status: 'exited', exitCode: 0, node: host, kind: 'join' });
      const planned = plannedArgs(run.state.command as string, `${REPOSITORY}:${VERSION}`, ca);
      expect(planned.slice(0, 1)).toEqual(['join']);
      expect(planned).toEqual(expect.arrayContaining(['--ucp-node', host, '--replica-id', R.n]));
      expect(decodeStandinArgs(lines)).toEqual(planned.filter((arg) => arg !== ca));
      expect(lines.at(-1)).toMatch(/join complete$/);
      await seen(consoleA, 'verifying', (r) => r.status === 'verifying', run.id);
      fake.replicas.set(R.n, { node: host, stopped: false });
      await seen(consoleA, 'the join done', (r) => r.status === 'done', run.id);
      timings.push(`join (ok): plan→exit ${ms} ms`);
    }, 60_000);

    it('runs an emergency repair with --yes after the typed kept ID, and verifies it', async () => {
      layout(fake, { [R.a]: host, [R.b]: `${PREFIX}-manager-1`, [R.c]: `${PREFIX}-node-3` }, [
        R.b,
        R.c,
      ]);
      await use('ok');
      const run = await plan(consoleA, {
        kind: 'repair',
        keepReplicaId: R.a,
        acknowledge: ['bring-back-first', 'repair-consequence'],
      });
      const typo = await call(consoleA, 'POST', `/api/wizards/runs/${run.id}/execute`, {
        password: PASSWORD,
        confirm: R.b,
      });
      expect(typo.status).toBe(422);
      expect(typo.json.error.message).toContain(R.a);
      // UCP itself checks the password before anything runs.
      const logins = fake.logins.length;
      const wrong = await call(consoleA, 'POST', `/api/wizards/runs/${run.id}/execute`, {
        password: `${PASSWORD}x`,
        confirm: R.a,
      });
      expect(wrong.status).toBe(422);
      expect(wrong.json.error.message).toBe(
        'UCP refused the password for admin, so the step was not run.',
      );
      // (The console's own polls log in too, with the right password.)
      expect(fake.logins.slice(logins).filter((login) => !login.ok)).toEqual([
        { username: 'admin', ok: false },
      ]);
      expect(await docker.labelled()).toEqual([]);
      const { execution, lines, ms } = await executeToEnd(consoleA, run, { confirm: R.a });
      expect(execution).toMatchObject({ status: 'exited', exitCode: 0, node: host });
      // The printed command asks for confirmation at the prompt; the executed one says --yes.
      const planned = plannedArgs(run.state.command as string, `${REPOSITORY}:${VERSION}`, ca);
      expect(planned).not.toContain('--yes');
      const received = decodeStandinArgs(lines);
      expect(received).toEqual([...planned.filter((arg) => arg !== ca), '--yes']);
      expect(execution.argvPublic).toContain('--yes');
      await seen(consoleA, 'verifying', (r) => r.status === 'verifying', run.id);
      fake.replicas.delete(R.b);
      fake.replicas.delete(R.c);
      await seen(consoleA, 'the repair done', (r) => r.status === 'done', run.id);
      timings.push(`emergency repair (ok): plan→exit ${ms} ms`);
    }, 60_000);

    it('the fail variant: exit 1, the run failed with the tool’s FATA line, audited', async () => {
      const since = new Date().toISOString();
      layout(fake, { [R.a]: host, [R.b]: `${PREFIX}-manager-1`, [R.c]: `${PREFIX}-node-3` }, [R.b]);
      await use('fail');
      const run = await plan(consoleA, {
        kind: 'remove',
        replicaId: R.b,
        existingReplicaId: R.a,
        acknowledge: ['bring-back-first'],
      });
      const { execution, lines, ms } = await executeToEnd(consoleA, run, { confirm: R.b });
      expect(execution).toMatchObject({ status: 'exited', exitCode: 1 });
      expect(lines.at(-1)).toMatch(/^FATA\[\d{4}\] remove failed \(stand-in\)$/);
      const failed = await seen(consoleA, 'failed', (r) => r.status === 'failed', run.id);
      expect(failed.state.lastVerification.message).toMatch(/exited 1.*remove failed \(stand-in\)/);
      const audit = await call(consoleA, 'GET', '/api/audit');
      const entry = (audit.json.events as Json[]).find(
        (e) => e.at >= since && e.action === 'wizard-execution-failed',
      );
      expect(entry?.detail ?? JSON.stringify(entry)).toMatch(/remove failed \(stand-in\)/);
      expect(audit.text).not.toContain(PASSWORD);
      timings.push(`remove (fail): plan→exit ${ms} ms`);
    }, 60_000);

    it('a second replica lost after planning: the gates, checked again on a fresh reading, refuse', async () => {
      const since = new Date().toISOString();
      layout(fake, { [R.a]: host, [R.b]: `${PREFIX}-manager-1`, [R.c]: `${PREFIX}-node-3` }, [R.b]);
      await use('ok');
      const run = await plan(consoleA, {
        kind: 'remove',
        replicaId: R.b,
        existingReplicaId: R.a,
        acknowledge: ['bring-back-first'],
      });
      fake.replicas.get(R.c)!.stopped = true;
      const refused = await call(consoleA, 'POST', `/api/wizards/runs/${run.id}/execute`, {
        password: PASSWORD,
        confirm: R.b,
      });
      expect(refused.status).toBe(409);
      const message = refused.json.error.message as string;
      console.log(`gate on a fresh reading: ${message}`);
      expect(message).toMatch(/^The wizard would not plan this step today: DTR has lost quorum/);
      expect(message).toMatch(/Nothing was run\.$/);
      expect(await docker.labelled()).toEqual([]);
      const audit = await call(consoleA, 'GET', '/api/audit');
      expect(
        (audit.json.events as Json[]).filter(
          (e) => e.at >= since && e.action === 'wizard-execution-refused',
        ),
      ).toHaveLength(1);
      fake.replicas.get(R.c)!.stopped = false;
    }, 60_000);

    it('an image the engine lacks and cannot pull: refused (502) in a sentence, audited, nothing run, the slot free', async () => {
      const since = new Date().toISOString();
      layout(fake, { [R.a]: host, [R.b]: `${PREFIX}-manager-1`, [R.c]: `${PREFIX}-node-3` }, [R.b]);
      fake.version = '2.9.4';
      try {
        const run = await until('a plan with DTR 2.9.4', async () => {
          const planned = await plan(consoleA, {
            kind: 'remove',
            replicaId: R.b,
            existingReplicaId: R.a,
            acknowledge: ['bring-back-first'],
          });
          return (planned.state.command as string).includes(`${REPOSITORY}:2.9.4 `)
            ? planned
            : null;
        });
        const refused = await call(consoleA, 'POST', `/api/wizards/runs/${run.id}/execute`, {
          password: PASSWORD,
          confirm: R.b,
        });
        expect(refused.status).toBe(502);
        expect(refused.json.error.message).toMatch(
          new RegExp(
            `^The bootstrapper image ${REPOSITORY}:2\\.9\\.4 is not on the Docker API at unix://${socket.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} and could not be pulled: .+`,
          ),
        );
        console.log(`missing image: HTTP ${refused.status}: ${refused.json.error.message}`);
        expect(await docker.labelled()).toEqual([]);
        expect((await call(consoleA, 'GET', `/api/wizards/runs/${run.id}`)).json.run.status).toBe(
          'open',
        );
        const doc = await call(consoleA, 'GET', `/api/wizards/runs/${run.id}/execution`);
        expect(doc.json.execution).toMatchObject({ status: 'refused' });
        const audit = await call(consoleA, 'GET', '/api/audit');
        const refusals = (audit.json.events as Json[]).filter(
          (e) => e.at >= since && e.action === 'wizard-execution-refused',
        );
        expect(refusals).toHaveLength(1);
        expect(JSON.stringify(refusals)).toContain('could not be pulled');
      } finally {
        fake.version = VERSION;
      }
    }, 60_000);

    it('a console killed mid-step: the next one says "outcome unknown", keeps the evidence, never re-runs; verify settles it', async () => {
      const since = new Date().toISOString();
      const sinceMs = Date.now() - 1000;
      layout(fake, { [R.a]: host, [R.b]: `${PREFIX}-manager-1`, [R.c]: `${PREFIX}-node-3` }, [R.b]);
      // 4 progress lines 9 s apart: it outlives console A's lease (30 s).
      await use('outlives-lease');
      // The console reads the version from UCP's container list, re-read each poll while a
      // replica is down: plan once it shows this test's version (an earlier test changed it),
      // or the re-plan at execution would see the change and (rightly) refuse the drift.
      const run = await until('a plan at the fake DTR version', async () => {
        const planned = await plan(consoleA, {
          kind: 'remove',
          replicaId: R.b,
          existingReplicaId: R.a,
          acknowledge: ['bring-back-first'],
        });
        return (planned.state.command as string).includes(`${REPOSITORY}:${VERSION} `)
          ? planned
          : null;
      });
      const started = await call(consoleA, 'POST', `/api/wizards/runs/${run.id}/execute`, {
        password: PASSWORD,
        confirm: R.b,
      });
      expect(started.status, started.text).toBe(202);
      const executionId = started.json.execution.id as string;
      const container = await until('the labelled container running', async () => {
        const list = await docker.labelled(false);
        return list.find((c) => c.Labels?.[LABEL] === executionId) ?? null;
      });
      // Console A has streamed part of the log when it dies.
      await until('the first progress line stored', async () => {
        const { json } = await call(consoleA, 'GET', `/api/wizards/runs/${run.id}/execution`);
        return (json.lines as Json[]).some((l) => /Validating UCP cert$/.test(l.text)) || null;
      });
      const killedAt = Date.now();
      consoleA.child.kill('SIGKILL');
      await until(
        'console A gone',
        async () => (consoleA.child.exitCode ?? consoleA.child.signalCode) !== null || null,
      );

      const consoleB = await startConsole(env, 'console B');
      // Until console A's lease runs out, B cannot tell A from a slow console: still executing.
      const first = await call(consoleB, 'GET', `/api/wizards/runs/${run.id}`);
      expect(first.json.run.status).toBe('executing');
      const unknown = await seen(
        consoleB,
        'outcome unknown',
        (r) => r.status === 'unknown',
        run.id,
        60_000,
      );
      const unknownMs = Date.now() - killedAt;
      expect(unknown.state.lastVerification.message).toMatch(/Outcome unknown — verify/);
      // The stand-in still runs: the slot stays held, nothing is removed or started.
      const looking = await call(consoleB, 'GET', `/api/wizards/runs/${run.id}/execution`);
      expect(looking.json.execution).toMatchObject({ id: executionId, status: 'orphaned' });
      expect(looking.json.execution.outcome).toMatch(/stopped renewing its lease/);
      expect((await docker.labelled(false)).map((c) => c.Id)).toEqual([container.Id]);
      // It runs to its end unwatched; recovery then keeps its exit code and log, and removes it.
      const execution = await until(
        'the evidence recorded',
        async () => {
          const { json } = await call(consoleB, 'GET', `/api/wizards/runs/${run.id}/execution`);
          return json.execution?.status === 'unknown' ? (json as Json) : null;
        },
        40_000,
        500,
      );
      const evidenceMs = Date.now() - killedAt;
      expect(execution.execution).toMatchObject({ id: executionId, exitCode: 0 });
      // Its log reads as one run: what console A streamed, then what it missed, each line once.
      const texts = (execution.lines as Json[]).map((l) => l.text as string);
      const planned = plannedArgs(run.state.command as string, `${REPOSITORY}:${VERSION}`, ca);
      expect(decodeStandinArgs(texts)).toEqual(planned.filter((arg) => arg !== ca));
      expect(
        texts.filter((t) => /^INFO/.test(t)).map((t) => t.replace(/^INFO\[\d+\] /, '')),
      ).toEqual([
        'Validating UCP cert',
        'Connecting to UCP',
        'Searching containers in UCP for DTR replicas',
        'remove in progress',
        'remove complete',
      ]);
      expect((execution.lines as Json[]).map((l) => l.seq)).toEqual(texts.map((_, i) => i + 1));
      expect(await docker.labelled()).toEqual([]);
      // Every container ever created for this run: the one console A started, nothing after.
      const creations = await docker.created(
        `com.dtr-ha-console.run=${run.id}`,
        sinceMs,
        Date.now(),
      );
      expect(creations.map((e) => e.Actor?.Attributes?.[LABEL])).toEqual([executionId]);
      expect(creations[0]?.id ?? creations[0]?.Actor?.ID).toBe(container.Id);

      // The operator checks, then asks for verification: done once the fake shows the change.
      const verify = await call(consoleB, 'PATCH', `/api/wizards/runs/${run.id}`, {
        action: 'verify',
      });
      expect(verify.status, verify.text).toBe(200);
      fake.replicas.delete(R.b);
      await seen(consoleB, 'the run done', (r) => r.status === 'done', run.id);
      const audit = await call(consoleB, 'GET', '/api/audit');
      const actions = (audit.json.events as Json[])
        .filter((e) => e.at >= since)
        .map((e) => e.action);
      expect(actions.filter((a) => a === 'wizard-execution-unknown').length).toBeGreaterThanOrEqual(
        1,
      );
      expect(actions).not.toContain('wizard-executed');
      const rows = databaseRows();
      expect(rows).toContain('remove complete');
      for (const [where, text] of Object.entries({
        audit: audit.text,
        execution: JSON.stringify(execution),
        rows,
        consoleA: consoleA.output(),
        consoleB: consoleB.output(),
      }))
        expect(text.includes(PASSWORD), where).toBe(false);
      timings.push(
        `restart: console A killed → B reads "unknown" after ${unknownMs} ms (lease 30 s), evidence after ${evidenceMs} ms, → done ${Date.now() - killedAt} ms`,
      );
      consoleB.child.kill('SIGKILL');
    }, 120_000);

    describe.skipIf(!canRunPostgres())('two consoles on one Postgres', () => {
      let postgres: PostgresServer;
      beforeAll(async () => {
        postgres = await startPostgres();
      }, 60_000);
      afterAll(async () => {
        await postgres?.stop();
      }, 30_000);

      it('both execute the same run at the same moment: one 202, one 409 with a sentence, one refusal audited', async () => {
        const since = new Date().toISOString();
        const shared = { ...env, DATABASE_URL: await postgres.createDatabase('exec') };
        const [c, d] = await Promise.all([
          startConsole(shared, 'console C'),
          startConsole(shared, 'console D'),
        ]);
        layout(fake, { [R.a]: host, [R.b]: `${PREFIX}-manager-1`, [R.c]: `${PREFIX}-node-3` }, [
          R.b,
        ]);
        await use('ok');
        const run = await plan(c, {
          kind: 'remove',
          replicaId: R.b,
          existingReplicaId: R.a,
          acknowledge: ['bring-back-first'],
        });
        // Both have read the run (warm), then both press the button at once.
        for (const at of [c, d]) {
          expect((await call(at, 'GET', `/api/wizards/runs/${run.id}`)).json.run.status).toBe(
            'open',
          );
          await call(at, 'GET', `/api/wizards/runs/${run.id}/execution`);
        }
        const body = { password: PASSWORD, confirm: R.b };
        const t0 = Date.now();
        const answers = await Promise.all(
          [c, d].map((at) => call(at, 'POST', `/api/wizards/runs/${run.id}/execute`, body)),
        );
        timings.push(`two consoles: both answered in ${Date.now() - t0} ms`);
        expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
        const refused = answers.find((a) => a.status === 409)!;
        // Which sentence depends on how far the winner got: the slot in the store is taken
        // ("Another execution is in progress …"), or the run already shows it is executing.
        expect(refused.json.error.message).toMatch(
          /^(Another execution is in progress on cluster "default": remove \(run [\w-]+\) by admin at [\d:]+ UTC, on console \S+(, node \S+)?\. One execution runs at a time per cluster: wait for it to end \(its log is on its run’s page\)\.|The run is executing; only an open or failed run can be run\.)$/,
        );
        console.log(`the second console's refusal: ${refused.json.error.message}`);
        await readEvents(c, run.id);
        const audit = await call(d, 'GET', '/api/audit');
        const entries = (audit.json.events as Json[]).filter((e) => e.at >= since);
        expect(entries.filter((e) => e.action === 'wizard-execution-refused')).toHaveLength(1);
        expect(entries.filter((e) => e.action === 'wizard-execution-started')).toHaveLength(1);
        expect(audit.text).not.toContain(PASSWORD);
        const client = new pg.Client({ connectionString: shared.DATABASE_URL });
        await client.connect();
        const tables: unknown[] = [];
        for (const table of ['executions', 'execution_lines', 'audit_log'])
          tables.push((await client.query(`select * from ${table}`)).rows);
        const rows = JSON.stringify(tables);
        await client.end();
        expect(rows).toContain('remove complete');
        for (const text of [rows, c.output(), d.output()]) expect(text).not.toContain(PASSWORD);
        c.child.kill('SIGKILL');
        d.child.kill('SIGKILL');
      }, 90_000);
    });
  },
);
