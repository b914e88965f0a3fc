// Real servers on loopback, real HTTP requests.
import { connect } from 'node:tls';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoCluster, type DemoCluster, type StartDemoClusterOptions } from './index';

let cluster: DemoCluster | null = null;

afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

async function start(options: StartDemoClusterOptions = {}): Promise<DemoCluster> {
  cluster = await startDemoCluster({
    seed: 'socket-test',
    applyDelayMs: 50,
    slowMs: 300,
    users: [
      { username: 'admin', password: 'admin-pw', isAdmin: true },
      { username: 'viewer', password: 'viewer-pw', isAdmin: false },
    ],
    ...options,
  });
  return cluster;
}

const ADMIN_BASIC = `Basic ${Buffer.from('admin:admin-pw').toString('base64')}`;

async function login(url: string, username = 'admin', password = 'admin-pw'): Promise<string> {
  const response = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { auth_token: string }).auth_token;
}

function bearer(token: string) {
  return { headers: { Authorization: `Bearer ${token}` } };
}

async function dtrJson(url: string, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}${path}`, { headers: { Authorization: ADMIN_BASIC } });
  return { status: response.status, body: await response.json() };
}

function replicaUrls(c: DemoCluster): string[] {
  return c.describe().replicas.map((replica) => replica.url);
}

async function connectionError(url: string): Promise<string | undefined> {
  const error = await fetch(url).then(
    () => null,
    (e: unknown) => e as { cause?: { code?: string } },
  );
  return error?.cause?.code;
}

interface ClusterStatusBody {
  rethink_system_tables: {
    table_status: {
      status: { ready_for_writes: boolean };
      shards: { replicas: { server: string; state: string }[] }[];
    }[];
    current_issues: { critical: boolean }[];
  };
}

function tablesWritable(body: unknown): boolean[] {
  return (body as ClusterStatusBody).rethink_system_tables.table_status.map(
    (t) => t.status.ready_for_writes,
  );
}

function stateOf(body: unknown, replicaId: string): string | undefined {
  const shard = (body as ClusterStatusBody).rethink_system_tables.table_status[0]?.shards[0];
  return shard?.replicas.find((r) => r.server === `dtr_rethinkdb_${replicaId}`)?.state;
}

describe('demo cluster over HTTP', () => {
  it('answers on every member with the default topology', async () => {
    const c = await start();
    expect(c.managerUrls).toHaveLength(3);
    expect(new Set(c.managerUrls.map((url) => new URL(url).port)).size).toBe(1);
    expect(c.managerUrls.map((url) => new URL(url).hostname)).toEqual([
      '127.0.1.1',
      '127.0.1.2',
      '127.0.1.3',
    ]);
    for (const url of c.managerUrls) {
      const ping = await fetch(`${url}/_ping`);
      expect([ping.status, await ping.text()]).toEqual([200, 'OK']);
    }
    const token = await login(c.ucpUrl);
    const nodes = (await (
      await fetch(`${c.managerUrls[1]}/nodes`, bearer(token))
    ).json()) as unknown[];
    expect(nodes).toHaveLength(14);
    for (const url of replicaUrls(c)) {
      const ping = await fetch(`${url}/_ping`);
      expect([ping.status, await ping.json()]).toEqual([200, { Error: '', Healthy: true }]);
      expect(await (await fetch(`${url}/health`)).json()).toEqual({ Error: '', Healthy: true });
    }
    const settings = await dtrJson(c.dtrUrl, '/api/v0/meta/settings');
    const { replicaID, replicaSettings } = settings.body as {
      replicaID: string;
      replicaSettings: Record<string, { HTTPPort: number }>;
    };
    expect(replicaID).toBe(c.describe().replicas[0]?.id);
    expect(Object.values(replicaSettings).map((s) => s.HTTPPort)).toEqual(
      [1, 2, 3].map(() => Number(new URL(c.dtrUrl).port)),
    );
    const caches = (await dtrJson(c.dtrUrl, '/api/v0/content_caches')).body as {
      name: string;
      host: string;
    }[];
    // The HA cache once, at its load balancer (an address that is no node's); the regional
    // cache at its node's own address.
    const port = c.options.cachePort;
    expect(caches.map((x) => [x.name, x.host])).toEqual([
      ['cache-ha', `http://127.0.254.1:${port}`],
      ['cache-region-1', `http://127.0.3.4:${port}`],
    ]);
    expect(c.probeAllowedHosts).toEqual(['127.0.254.1']);
    for (const host of [...caches.map((x) => x.host), `http://127.0.3.2:${port}`]) {
      const cache = await fetch(`${host}/v2/`);
      expect(cache.status).toBe(401);
      expect(cache.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    }
    const containers = (await (
      await fetch(`${c.ucpUrl}/containers/json`, bearer(token))
    ).json()) as { Image: string }[];
    expect(containers.map((x) => x.Image)).toContain('docker/dtr-registry:2.9.16');
    expect(await (await fetch(`${c.ucpUrl}/ca`)).text()).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it("the HA cache's load balancer answers while one replica serves, 503 once none does", async () => {
    const c = await start();
    const lb = `http://127.0.254.1:${c.options.cachePort}/v2/`;
    await c.setFault('cache-node-1', 'stop');
    await c.setFault('cache-node-2', 'error');
    expect((await fetch(lb)).status).toBe(401);
    // A stopped replica refuses connections on its own address, as a stopped task does.
    await expect(fetch(`http://127.0.3.1:${c.options.cachePort}/v2/`)).rejects.toThrow();
    await c.setFault('cache-node-3', 'stop');
    const none = await fetch(lb);
    expect([none.status, await none.text()]).toEqual([
      503,
      expect.stringContaining('No server is available to handle this request.'),
    ]);
    // The regional cache is not behind that load balancer and keeps answering.
    expect((await fetch(`http://127.0.3.4:${c.options.cachePort}/v2/`)).status).toBe(401);
  });

  it('requires a login token on UCP and basic auth on the DTR API', async () => {
    const c = await start();
    const wrong = await fetch(`${c.ucpUrl}/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: 'x' }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }],
    });
    expect((await fetch(`${c.ucpUrl}/nodes`)).status).toBe(401);
    const token = await login(c.ucpUrl);
    expect((await fetch(`${c.managerUrls[2]}/nodes`, bearer(token))).status).toBe(200);
    const account = await (await fetch(`${c.ucpUrl}/accounts/viewer`, bearer(token))).json();
    expect(account).toMatchObject({ name: 'viewer', isAdmin: false, isActive: true });
    expect((await fetch(`${c.ucpUrl}/accounts/ghost`, bearer(token))).status).toBe(404);
    c.expireTokens();
    expect((await fetch(`${c.ucpUrl}/nodes`, bearer(token))).status).toBe(401);
    expect((await fetch(`${c.dtrUrl}/api/v0/meta/settings`)).status).toBe(401);
    const viewer = `Basic ${Buffer.from('viewer:viewer-pw').toString('base64')}`;
    expect(
      (
        await fetch(`${c.dtrUrl}/api/v0/meta/cluster_status`, {
          headers: { Authorization: viewer },
        })
      ).status,
    ).toBe(403);
  });

  it('refuses connections to a stopped replica while the others stay healthy and writable', async () => {
    const c = await start();
    const [first, , third] = c.describe().replicas;
    await c.setFault(third!.id, 'stop');
    expect(await connectionError(`${third!.url}/_ping`)).toBe('ECONNREFUSED');
    expect((await fetch(`${first!.url}/_ping`)).status).toBe(200);
    const status = await dtrJson(first!.url, '/api/v0/meta/cluster_status');
    expect(stateOf(status.body, third!.id)).toBe('disconnected');
    expect(tablesWritable(status.body).every(Boolean)).toBe(true);
  });

  it('loses DTR quorum with two of three replicas stopped', async () => {
    const c = await start();
    const [first, second, third] = c.describe().replicas;
    await c.setFault(second!.id, 'stop');
    await c.setFault('dtr-node-3', 'stop');
    const ping = await fetch(`${first!.url}/_ping`);
    expect(ping.status).toBe(503);
    expect(await ping.json()).toEqual({
      Error: "rethinkdb: the primary replica isn't connected to a quorum of replicas",
      Healthy: false,
    });
    const status = await dtrJson(first!.url, '/api/v0/meta/cluster_status');
    expect(tablesWritable(status.body).some(Boolean)).toBe(false);
    expect(
      (status.body as ClusterStatusBody).rethink_system_tables.current_issues[0]?.critical,
    ).toBe(true);
    expect(await connectionError(`${third!.url}/_ping`)).toBe('ECONNREFUSED');
  });

  it('loses UCP quorum with two of three managers stopped', async () => {
    const c = await start();
    const token = await login(c.ucpUrl);
    await c.setFault('ucp-manager-1', 'stop');
    await c.setFault('ucp-manager-2', 'stop');
    const survivor = c.managerUrls[2]!;
    const nodes = await fetch(`${survivor}/nodes`, bearer(token));
    expect(nodes.status).toBe(500);
    expect(((await nodes.json()) as { message: string }).message).toMatch(
      /The swarm does not have a leader/,
    );
    expect((await fetch(`${survivor}/_ping`)).status).toBe(500);
    expect(await connectionError(`${c.ucpUrl}/_ping`)).toBe('ECONNREFUSED');
  });

  it('hangs one member while the others answer promptly', async () => {
    const c = await start();
    await c.setFault('ucp-manager-2', 'hang');
    const hung = fetch(`${c.managerUrls[1]}/_ping`, { signal: AbortSignal.timeout(300) });
    await expect(hung).rejects.toMatchObject({ name: 'TimeoutError' });
    const started = performance.now();
    expect(
      (await fetch(`${c.managerUrls[0]}/_ping`, { signal: AbortSignal.timeout(300) })).status,
    ).toBe(200);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('answers late when slow and with malformed JSON when garbage', async () => {
    const c = await start();
    const [first, second] = replicaUrls(c);
    await c.setFault(c.describe().replicas[0]!.id, 'slow');
    const started = performance.now();
    expect((await fetch(`${first}/_ping`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    await c.setFault('dtr-node-2', 'garbage');
    const garbage = await fetch(`${second}/_ping`);
    expect(garbage.status).toBe(200);
    const body = await garbage.text();
    expect(() => JSON.parse(body)).toThrow();
  });

  it('reset brings stopped members back and clears faults', async () => {
    const c = await start();
    const before = c.describe();
    await c.setFault('ucp-manager-1', 'stop');
    await c.setFault(before.replicas[0]!.id, 'stop');
    await c.setFault('cache-node-1', 'error');
    await c.reset();
    expect((await fetch(`${c.ucpUrl}/_ping`)).status).toBe(200);
    expect((await fetch(`${c.dtrUrl}/_ping`)).status).toBe(200);
    expect(c.describe()).toEqual(before);
  });

  it('applies join, remove and emergency-repair after the delay', async () => {
    const c = await start();
    const [first, , third] = c.describe().replicas;
    const join = c.joinReplica({ node: 'app-node-1' });
    expect(c.describe().replicas).toHaveLength(3);
    expect(() => c.removeReplicas([third!.id])).toThrow(/one member at a time/);
    await join.done;
    const joined = c.describe().replicas.find((r) => r.id === join.replicaIds[0]);
    expect(joined?.url).toMatch(/^http:\/\/127\.0\.4\.1:/);
    expect((await fetch(`${joined!.url}/_ping`)).status).toBe(200);

    await c.setFault(third!.id, 'stop');
    await c.removeReplicas([third!.id]).done;
    expect(c.describe().replicas.map((r) => r.id)).not.toContain(third!.id);

    await c.emergencyRepair(first!.id).done;
    expect(c.describe().replicas.map((r) => r.id)).toEqual([first!.id]);
    expect(await connectionError(`${joined!.url}/_ping`)).toBe('ECONNREFUSED');
    const settings = (await dtrJson(first!.url, '/api/v0/meta/settings')).body as {
      replicaSettings: object;
    };
    expect(Object.keys(settings.replicaSettings)).toEqual([first!.id]);
  });

  it('cancels a pending membership change on reset', async () => {
    const c = await start({ applyDelayMs: 5_000 });
    const join = c.joinReplica({ node: 'app-node-2' });
    await c.reset();
    await expect(join.done).rejects.toMatchObject({ code: 'OPERATION_CANCELLED' });
    expect(c.describe().replicas).toHaveLength(3);
  });

  it('counts requests per member and path', async () => {
    const c = await start();
    await fetch(`${c.dtrUrl}/_ping`);
    await fetch(`${c.dtrUrl}/_ping`);
    await fetch(`${c.managerUrls[1]}/_ping`);
    const counts = c.counters();
    expect(counts[c.describe().replicas[0]!.id]).toEqual({ '/_ping': 2 });
    expect(counts['ucp-manager-2']).toEqual({ '/_ping': 1 });
  });

  it('serves /nodes for 2,000 workers quickly', async () => {
    const c = await start({ workers: 2000 });
    const token = await login(c.ucpUrl);
    const started = performance.now();
    const nodes = (await (await fetch(`${c.ucpUrl}/nodes`, bearer(token))).json()) as unknown[];
    expect(nodes.length).toBeGreaterThanOrEqual(2000);
    for (let i = 0; i < 5; i++)
      await (await fetch(`${c.ucpUrl}/nodes`, bearer(token))).arrayBuffer();
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('stops answering once closed', async () => {
    const c = await start();
    const url = c.ucpUrl;
    await fetch(`${url}/_ping`);
    await c.close();
    expect(await connectionError(`${url}/_ping`)).toBe('ECONNREFUSED');
  });

  it('serves UCP over HTTPS with tls: true, for every manager address, with /ca its CA', async () => {
    const c = await start({ tls: true });
    expect(c.ucpCa).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(c.managerUrls.every((url) => url.startsWith('https://127.0.1.'))).toBe(true);
    expect(c.describe().members.find((m) => m.kind === 'manager')?.url).toMatch(/^https:/);
    // Every manager's certificate verifies against the CA for its own address.
    for (const url of c.managerUrls) {
      const { hostname, port } = new URL(url);
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const socket = connect({ host: hostname, port: Number(port), ca: c.ucpCa ?? '' }, () => {
          resolve(socket.authorized);
          socket.end();
        });
        socket.once('error', reject);
      });
      expect(authorized).toBe(true);
    }
    const res = await request(`${c.ucpUrl}/ca`, {
      dispatcher: new Agent({ connect: { ca: c.ucpCa ?? '' } }),
    });
    expect(await res.body.text()).toBe(c.ucpCa);
    expect(c.ucpCa).not.toContain('PRIVATE KEY');
  });
});
