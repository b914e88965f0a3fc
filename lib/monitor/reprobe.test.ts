// Stops seen at once: a member that closes the probe's kept connection is probed again between
// polls. Real sockets on loopback throughout (no mock of undici): the polls are 10 s apart, so
// anything seen within a second of a fault was seen by the re-probe, not by a poll.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { startDemoCluster, type DemoCluster } from '@/lib/demo';
import { REPLICA_IDS, startFakeCluster, type FakeCluster } from '@/test/support/monitor-cluster';
import { waitFor } from '@/test/support/net';
import { Monitor, REPROBE_GAP_MS } from './monitor';

const TIMEOUT = 600;
const INTERVAL = 10_000;
const ID = REPLICA_IDS[2];

/** A replica's /_ping server whose connections the test controls, on the fake replica's address. */
interface Member {
  server: Server;
  sockets: Set<Socket>;
  /** Connections accepted so far. */
  connections: number;
  pings: number;
  /** Each connection's fate: answer, reset at once (RST), or answer and reset 20 ms later. */
  mode: 'answer' | 'reset' | 'answer-then-reset';
  /** Closes an idle connection this long after its last answer (no Keep-Alive hint sent). */
  idleCloseMs: number | null;
  /** A killed process: the listening socket goes, then every connection gets a FIN. */
  stop(): Promise<void>;
}

async function memberOn(host: string, port: number): Promise<Member> {
  const member: Member = {
    server: createServer((req, res) => {
      member.pings += 1;
      const text = JSON.stringify({ Error: '', Healthy: true });
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
      const socket = req.socket;
      if (member.mode === 'answer-then-reset') setTimeout(() => socket.resetAndDestroy(), 20);
      if (member.idleCloseMs !== null) {
        const timer = setTimeout(() => socket.end(), member.idleCloseMs);
        socket.once('data', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      }
    }),
    sockets: new Set(),
    connections: 0,
    pings: 0,
    mode: 'answer',
    idleCloseMs: null,
    stop: () =>
      new Promise<void>((resolve) => {
        member.server.close(() => resolve());
        member.server.closeAllConnections();
      }),
  };
  // Like nginx's keepalive_timeout: idle connections are closed without a Keep-Alive hint.
  member.server.keepAliveTimeout = 0;
  member.server.on('connection', (socket: Socket) => {
    member.connections += 1;
    if (member.mode === 'reset') {
      socket.resetAndDestroy();
      return;
    }
    member.sockets.add(socket);
    socket.once('close', () => member.sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    member.server.once('error', reject);
    member.server.listen(port, host, () => resolve());
  });
  return member;
}

let cluster: FakeCluster;
let member: Member;
let monitors: Monitor[];
let logs: string[];

beforeEach(async () => {
  cluster = await startFakeCluster(TIMEOUT);
  cluster.target.pollIntervalMs = INTERVAL;
  // The third replica's own server is swapped for one whose sockets the test can see.
  const fake = cluster.replicas[ID];
  if (!fake) throw new Error('no third replica');
  await fake.close();
  member = await memberOn(fake.host, fake.port);
  monitors = [];
  logs = [];
});

afterEach(async () => {
  for (const m of monitors) m.stop();
  await member.stop();
  await cluster.close();
});

/** A started monitor, its published snapshots, once its first poll shows every replica healthy. */
async function started(): Promise<{ monitor: Monitor; published: ClusterSnapshot[] }> {
  const monitor = new Monitor({ target: cluster.target, mode: 'live', log: (l) => logs.push(l) });
  monitors.push(monitor);
  const published: ClusterSnapshot[] = [];
  monitor.subscribe((s) => published.push(s));
  monitor.start();
  await waitFor('the first poll', async () => (published.length > 0 ? true : null), 5_000, 10);
  expect(statusOf(published[0], ID)).toBe('healthy');
  expect(member.sockets.size).toBe(1);
  return { monitor, published };
}

const statusOf = (s: ClusterSnapshot | undefined, id: string) =>
  s?.dtr.replicas.find((r) => r.id === id)?.status;

const polls = () => cluster.ucp.requests.filter((r) => r.path === '/nodes').length;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Monitor: a member that closes its kept connection', () => {
  it('publishes the stopped member as unreachable at once, not at the next poll', async () => {
    const { monitor, published } = await started();
    const t0 = performance.now();
    await member.stop();
    const seen = await waitFor(
      'the stop on the feed',
      async () => published.find((s) => statusOf(s, ID) !== 'healthy') ?? null,
      5_000,
      5,
    );
    const elapsed = performance.now() - t0;
    expect(statusOf(seen, ID)).toMatch(/^unreachable/);
    expect(seen.dtr.replicas.find((r) => r.id === ID)?.error).toMatch(/connection refused/);
    // Well inside the 10 s interval, and still one poll: the re-probe saw it.
    expect(elapsed).toBeLessThan(1_000);
    expect(polls()).toBe(1);
    expect(monitor.latest()).toBe(seen);
    // The others are untouched.
    expect(statusOf(seen, REPLICA_IDS[0])).toBe('healthy');
    expect(statusOf(seen, REPLICA_IDS[1])).toBe('healthy');
  });

  it('lets an idle-timeout close by a healthy member flip nothing, with bounded extra probes', async () => {
    member.idleCloseMs = 150;
    const { monitor, published } = await started();
    const first = monitor.latest();
    const windowMs = 3_000;
    await sleep(windowMs);
    // Each close was answered by a re-probe (the member answers: nothing changes) ...
    expect(member.pings).toBeGreaterThanOrEqual(2);
    // ... at most one per REPROBE_GAP_MS, on top of the one poll.
    expect(member.pings).toBeLessThanOrEqual(1 + Math.ceil(windowMs / REPROBE_GAP_MS) + 1);
    expect(polls()).toBe(1);
    expect(published).toHaveLength(1);
    expect(monitor.latest()).toBe(first);
    expect(logs).toEqual([]);
  });

  it('re-probes a member that keeps resetting its connections at most once per REPROBE_GAP_MS', async () => {
    const { monitor, published } = await started();
    const first = monitor.latest();
    member.mode = 'answer-then-reset';
    for (const socket of member.sockets) socket.resetAndDestroy();
    const windowMs = 3_000;
    await sleep(windowMs);
    // Every reset asks for a re-probe, which answers and is reset again: one a second at most.
    expect(member.pings).toBeGreaterThanOrEqual(1 + 2);
    expect(member.pings).toBeLessThanOrEqual(1 + Math.ceil(windowMs / REPROBE_GAP_MS) + 1);
    expect(polls()).toBe(1);
    expect(published).toHaveLength(1);
    expect(monitor.latest()).toBe(first);
    expect(logs).toEqual([]);
  });

  it('sees a member that resets every connection at once, and re-probes it no faster', async () => {
    const { published } = await started();
    member.mode = 'reset';
    const t0 = performance.now();
    for (const socket of member.sockets) socket.resetAndDestroy();
    const seen = await waitFor(
      'the resets on the feed',
      async () => published.find((s) => statusOf(s, ID) !== 'healthy') ?? null,
      5_000,
      5,
    );
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(statusOf(seen, ID)).toMatch(/^unreachable/);
    expect(seen.dtr.replicas.find((r) => r.id === ID)?.error).toMatch(/closed unexpectedly/);
    const before = member.connections;
    const windowMs = 3_000;
    await sleep(windowMs);
    // Whatever the member does to each new connection, the gap bounds the re-probes.
    expect(member.connections - before).toBeLessThanOrEqual(
      Math.ceil(windowMs / REPROBE_GAP_MS) + 1,
    );
    expect(polls()).toBe(1);
  });

  it('keeps the poll bound for a member that hangs: no close, no early verdict', async () => {
    cluster.target.pollIntervalMs = 1_000;
    const hanging = (fn: () => void) => (member.server.removeAllListeners('request'), fn());
    const { published } = await started();
    hanging(() =>
      member.server.on('request', () => {
        member.pings += 1; // accepted, never answered
      }),
    );
    const t0 = performance.now();
    const seen = await waitFor(
      'the hang on the feed',
      async () => published.find((s) => statusOf(s, ID) !== 'healthy') ?? null,
      6_000,
      5,
    );
    const elapsed = performance.now() - t0;
    expect(statusOf(seen, ID)).toMatch(/^unreachable/);
    expect(seen.dtr.replicas.find((r) => r.id === ID)?.error).toMatch(/no answer within 600 ms/);
    // Seen by a poll: at most one interval, the probe timeout and the quick confirming re-probe.
    expect(elapsed).toBeLessThan(1_000 + TIMEOUT + 200 + 500);
    expect(polls()).toBeGreaterThanOrEqual(2);
  });

  it('stops watching once stopped', async () => {
    const { monitor, published } = await started();
    monitor.stop();
    await member.stop();
    await sleep(REPROBE_GAP_MS / 2);
    expect(published).toHaveLength(1);
    expect(member.pings).toBe(1);
  });
});

describe('demo cluster: a stopped member is a killed process', () => {
  let demo: DemoCluster | null = null;
  afterEach(async () => {
    await demo?.close();
    demo = null;
  });

  const startDemo = async () =>
    (demo = await startDemoCluster({
      seed: 'reprobe-test',
      applyDelayMs: 50,
      users: [{ username: 'admin', password: 'admin-pw', isAdmin: true }],
    }));

  it('closes kept connections on stop, refuses new ones, and answers again on reset', async () => {
    const d = await startDemo();
    const replica = d.describe().replicas.at(-1);
    if (!replica) throw new Error('no replica');
    // As the console's probe pool: one connection per origin, kept.
    const agent = new Agent({ keepAliveTimeout: 60_000, connections: 1 });
    const closes: string[] = [];
    agent.on('disconnect', (_origin, _targets, err) => closes.push(String(err.message)));
    try {
      const ping = async () => {
        const res = await request(`${replica.url}/_ping`, { dispatcher: agent });
        await res.body.text();
        return res.statusCode;
      };
      expect(await ping()).toBe(200);
      expect(await ping()).toBe(200);
      expect(closes).toEqual([]); // one kept connection for both
      await d.setFault(replica.id, 'stop');
      await waitFor('the close', async () => (closes.length > 0 ? true : null), 2_000, 5);
      expect(closes).toEqual(['other side closed']);
      const refused = await ping().catch((e: unknown) => (e as { code?: string }).code);
      expect(refused).toBe('ECONNREFUSED');
      await d.reset();
      expect(await ping()).toBe(200);
    } finally {
      await agent.close();
    }
  });

  it('keeps a hung member’s connection open without answering', async () => {
    const d = await startDemo();
    const replica = d.describe().replicas.at(-1);
    if (!replica) throw new Error('no replica');
    // As the console's probe pool: one connection per origin, kept.
    const agent = new Agent({ keepAliveTimeout: 60_000, connections: 1 });
    const closes: string[] = [];
    agent.on('disconnect', (_origin, _targets, err) => closes.push(String(err.message)));
    try {
      await d.setFault(replica.id, 'hang');
      const answer = await request(`${replica.url}/_ping`, {
        dispatcher: agent,
        headersTimeout: 400,
      }).catch((e: unknown) => (e as { code?: string }).code);
      expect(answer).toBe('UND_ERR_HEADERS_TIMEOUT');
      // The only close is the client's own, when it gave up.
      expect(closes).toEqual(['Headers Timeout Error']);
    } finally {
      await agent.close();
    }
  });

  it('lets a monitor see a replica stop within a second, polls 10 s apart', async () => {
    const d = await startDemo();
    const replica = d.describe().replicas.at(-1);
    if (!replica) throw new Error('no replica');
    const monitor = new Monitor({
      target: {
        ucp: { url: d.ucpUrl, username: 'admin', password: 'admin-pw', insecureTls: false },
        dtr: {
          url: d.dtrUrl,
          username: 'admin',
          password: 'admin-pw',
          insecureTls: false,
          probeScheme: 'http',
        },
        pollIntervalMs: INTERVAL,
        probeTimeoutMs: 1_500,
        dtrVersion: null,
      },
      mode: 'live',
      log: (l) => logs.push(l),
    });
    monitors.push(monitor);
    const published: ClusterSnapshot[] = [];
    monitor.subscribe((s) => published.push(s));
    monitor.start();
    await waitFor(
      'every replica healthy',
      async () =>
        published.at(-1)?.dtr.replicas.every((r) => r.status === 'healthy') ? true : null,
      10_000,
      10,
    );
    const count = published.length;
    const t0 = performance.now();
    await d.setFault(replica.id, 'stop');
    const seen = await waitFor(
      'the stop on the feed',
      async () => published.slice(count).find((s) => statusOf(s, replica.id) !== 'healthy') ?? null,
      5_000,
      5,
    );
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(statusOf(seen, replica.id)).toMatch(/^unreachable/);
  });
});
