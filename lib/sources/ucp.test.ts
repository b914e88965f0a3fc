import { afterEach, describe, expect, it } from 'vitest';
import {
  fixture,
  hang,
  sendJson,
  sourceFailure,
  startServer,
  type Handler,
  type TestServer,
} from '@/test/support/test-server';
import { createUcpClient } from './ucp';

const TIMEOUT = 200;
const PASSWORD = 'ucp-s3cret';
const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface FakeUcp {
  logins: number;
  validToken: string;
  nodes: unknown;
  containers: unknown;
}

/** A fake UCP: login hands out the current token; /nodes and /containers/json need it. */
function ucpHandler(state: FakeUcp): Handler {
  return (req, res, body) => {
    if (req.method === 'POST' && req.url === '/auth/login') {
      const { username, password } = JSON.parse(body) as { username: string; password: string };
      if (username !== 'admin' || password !== PASSWORD)
        return sendJson(res, 401, { message: 'invalid credentials' });
      state.logins++;
      return sendJson(res, 200, { auth_token: state.validToken });
    }
    if (req.headers.authorization !== `Bearer ${state.validToken}`)
      return sendJson(res, 401, { message: 'unauthorized' });
    if (req.url === '/nodes') return sendJson(res, 200, state.nodes);
    if (req.url?.startsWith('/containers/json')) return sendJson(res, 200, state.containers);
    sendJson(res, 404, {});
  };
}

async function serve(handler: Handler, host = '127.0.0.1', port = 0): Promise<TestServer> {
  const s = await startServer(handler, host, port);
  servers.push(s);
  return s;
}

/** `trusted`: the demo's setting, members asked with credentials whatever the scheme. */
function client(url: string, password = PASSWORD, trusted = false) {
  return createUcpClient({
    ...(trusted ? { trustMemberOrigins: true } : {}),
    ucp: { url, username: 'admin', password, insecureTls: false },
    probeTimeoutMs: TIMEOUT,
  });
}

const fakeState = (): FakeUcp => ({
  logins: 0,
  validToken: 'tok-1',
  nodes: fixture('ucp-nodes.json'),
  containers: [],
});

describe('UCP listNodes', () => {
  it('reshapes the node list: manager address from ManagerStatus.Addr, leader with Status.Addr 0.0.0.0', async () => {
    const ucp = await serve(ucpHandler(fakeState()));
    const nodes = await client(ucp.url).listNodes();
    expect(nodes).toHaveLength(8);
    expect(nodes[0]).toEqual({
      id: '5tyus3fb156s24xtcis6m75m0',
      hostname: 'ucp-manager-1',
      role: 'manager',
      availability: 'active',
      state: 'ready',
      message: 'Healthy UCP manager',
      addr: '172.31.0.11',
      labels: {
        'com.docker.ucp.access.label': '/System',
        'com.docker.ucp.collection': 'system',
        'com.docker.ucp.orchestrator.swarm': 'true',
        'com.docker.ucp.orchestrator.kubernetes': 'false',
        zone: 'a',
      },
      engineVersion: '20.10.13',
      nanoCpus: 4000000000,
      memoryBytes: 17179869184,
      hosts: [],
      os: 'linux',
      architecture: 'x86_64',
      manager: {
        leader: true,
        reachability: 'reachable',
        raftAddr: '172.31.0.11:2377',
        ping: null,
      },
    });
    const byName = Object.fromEntries(nodes.map((n) => [n.hostname, n]));
    expect(byName['ucp-manager-3']).toMatchObject({
      state: 'down',
      addr: '172.31.0.13',
      manager: { reachability: 'unreachable', leader: false },
    });
    expect(byName['dtr-node-3']).toMatchObject({
      role: 'worker',
      state: 'down',
      message: 'heartbeat failure',
      addr: '172.31.1.13',
      manager: null,
    });
    expect(byName['app-node-1']?.availability).toBe('drain');
  });

  it('tolerates unknown fields and missing optional ones', async () => {
    const state = fakeState();
    state.nodes = [
      {
        ID: 'x1',
        Extra: { a: 1 },
        Spec: { Role: 'worker', Availability: 'paused-ish' },
        Status: { State: 'weird' },
      },
    ];
    const ucp = await serve(ucpHandler(state));
    const [only] = await client(ucp.url).listNodes();
    expect(only).toMatchObject({
      id: 'x1',
      hostname: 'x1',
      availability: 'unknown',
      state: 'unknown',
      addr: null,
      engineVersion: null,
      labels: {},
    });
  });

  it('logs in once and reuses the token', async () => {
    const state = fakeState();
    const ucp = await serve(ucpHandler(state));
    const c = client(ucp.url);
    await c.listNodes();
    await c.listNodes();
    expect(state.logins).toBe(1);
  });

  it('logs in again once when the token has expired', async () => {
    const state = fakeState();
    const ucp = await serve(ucpHandler(state));
    const c = client(ucp.url);
    await c.listNodes();
    state.validToken = 'tok-2';
    await expect(c.listNodes()).resolves.toHaveLength(8);
    expect(state.logins).toBe(2);
  });

  it('gives up after one re-login, without echoing the password', async () => {
    const ucp = await serve((req, res) =>
      req.url === '/auth/login'
        ? sendJson(res, 200, { auth_token: 'never-accepted' })
        : sendJson(res, 401, {}),
    );
    const err = await sourceFailure(client(ucp.url).listNodes());
    expect(err).toMatchObject({ kind: 'auth', status: 401 });
    expect(ucp.requests.filter((r) => r.path === '/auth/login')).toHaveLength(2);
    expect(ucp.requests.filter((r) => r.path === '/nodes')).toHaveLength(2);
  });

  it('reports rejected credentials clearly', async () => {
    const ucp = await serve(ucpHandler(fakeState()));
    const rejected = client(ucp.url, 'wrong-password');
    const err = await sourceFailure(rejected.login());
    expect(err).toMatchObject({ kind: 'auth', status: 401 });
    expect(err.message).toMatch(
      /^UCP rejected the console's credentials \(401\) at 127\.0\.0\.1:\d+: check UCP_USERNAME and UCP_PASSWORD/,
    );
    expect(err.message).not.toContain('wrong-password');
    // A rejected password is not sent again at every poll: that would lock the account (LDAP).
    const attempts = ucp.requests.filter((r) => r.path === '/auth/login').length;
    expect((await sourceFailure(rejected.listNodes())).message).toBe(err.message);
    expect(ucp.requests.filter((r) => r.path === '/auth/login')).toHaveLength(attempts);
  });
});

describe('UCP when its URL stops answering', () => {
  async function clusterWithManagers() {
    const state = fakeState();
    const primary = await serve(ucpHandler(state));
    const managerHosts = ['127.0.1.1', '127.0.1.2', '127.0.1.3'];
    const managers = await Promise.all(
      managerHosts.map((h) => serve(ucpHandler(state), h, primary.port)),
    );
    const nodes = fixture<{ ManagerStatus?: { Addr: string } }[]>('ucp-nodes.json');
    nodes.slice(0, 3).forEach((n, i) => {
      if (n.ManagerStatus) n.ManagerStatus.Addr = `${managerHosts[i]}:2377`;
    });
    state.nodes = nodes;
    return { state, primary, managers };
  }

  it('asks each known manager directly when the URL refuses', async () => {
    const { primary, managers } = await clusterWithManagers();
    const c = client(primary.url, PASSWORD, true);
    await c.listNodes();
    await primary.close();
    await managers[0]?.close();
    await expect(c.listNodes()).resolves.toHaveLength(8);
    expect(managers.slice(1).some((m) => m.requests.some((r) => r.path === '/nodes'))).toBe(true);
  });

  it('asks the managers when the URL hangs, within two timeouts', async () => {
    const { primary, managers } = await clusterWithManagers();
    const c = client(primary.url, PASSWORD, true);
    await c.listNodes();
    primary.handle(hang);
    const started = Date.now();
    await expect(c.listNodes()).resolves.toHaveLength(8);
    expect(Date.now() - started).toBeLessThan(2 * TIMEOUT + 300);
    expect(managers.some((m) => m.requests.length > 0)).toBe(true);
  });

  it('fails with the URL error when no manager answers either', async () => {
    const { primary, managers } = await clusterWithManagers();
    const c = client(primary.url, PASSWORD, true);
    await c.listNodes();
    await Promise.all([primary, ...managers].map((s) => s.close()));
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the client see its kept-alive sockets close
    const err = await sourceFailure(c.listNodes());
    expect(err.kind).toBe('refused');
    expect(err.message).toBe(
      `connection refused by 127.0.0.1:${primary.port}; 3 direct member addresses failed too`,
    );
  });
});

describe('UCP manager ping', () => {
  it('is healthy on 200, unhealthy with the reason otherwise, unreachable when it does not answer', async () => {
    const primary = await serve((_req, res) => sendJson(res, 200, 'OK'));
    await serve(
      (_req, res) => res.writeHead(500).end('unhealthy: etcd is not reachable\n'),
      '127.0.1.2',
      primary.port,
    );
    await serve(hang, '127.0.1.3', primary.port);
    const c = client(primary.url);
    expect(await c.pingManager('127.0.0.1')).toMatchObject({ status: 'healthy', error: null });
    expect(await c.pingManager('127.0.1.2')).toMatchObject({
      status: 'unhealthy',
      error: 'UCP /_ping answered HTTP 500: unhealthy: etcd is not reachable',
    });
    expect(await c.pingManager('127.0.1.3')).toMatchObject({
      status: 'unreachable',
      error: expect.stringMatching(/^no answer within 200 ms/),
    });
    expect(await c.pingManager('127.0.1.4')).toMatchObject({
      status: 'unreachable',
      error: `connection refused by 127.0.1.4:${primary.port}`,
    });
    expect(primary.requests[0]).toMatchObject({ method: 'GET', path: '/_ping' });
  });
});

describe('UCP dtrRuntimes', () => {
  it('groups dtr-* containers by replica: stopped components and the dtr-registry image', async () => {
    const state = fakeState();
    state.containers = [
      {
        Names: ['/dtr-node-1/dtr-nginx-a1640e1c15b6'],
        Image: 'docker/dtr-nginx:2.7.8',
        State: 'running',
      },
      {
        Names: ['/dtr-node-1/dtr-registry-a1640e1c15b6'],
        Image: 'docker/dtr-registry:2.7.8',
        State: 'running',
      },
      {
        Names: ['/dtr-node-2/dtr-registry-5eb9459a7832'],
        Image: 'docker/dtr-registry:2.7.8@sha256:abcd',
        State: 'running',
      },
      {
        Names: ['/dtr-node-2/dtr-notary-server-5eb9459a7832'],
        Image: 'docker/dtr-notary-server:2.7.8',
        State: 'exited',
      },
      {
        Names: ['/dtr-registry-000000000003'],
        Image: 'registry.mirantis.com/msr/dtr-registry:2.10.4',
        State: 'exited',
      },
      { Names: ['/dtr-node-3/dtr-rethinkdb-000000000003'], Image: 'x', State: 'exited' },
      // Not DTR's, and names that only look alike.
      {
        Names: ['/ucp-node/ucp-controller'],
        Image: 'docker/ucp-controller:3.3.16',
        State: 'running',
      },
      { Names: ['/dtr-registry-NOTHEX'], Image: 'docker/dtr-registry:1', State: 'running' },
    ];
    const ucp = await serve(ucpHandler(state));
    expect(await client(ucp.url).dtrRuntimes()).toEqual([
      {
        replicaId: '000000000003',
        node: null,
        containers: 2,
        stopped: ['registry', 'rethinkdb'],
        image: { repository: 'registry.mirantis.com/msr/dtr-registry', tag: '2.10.4' },
      },
      {
        replicaId: '5eb9459a7832',
        node: 'dtr-node-2',
        containers: 2,
        stopped: ['notary-server'],
        image: { repository: 'docker/dtr-registry', tag: '2.7.8' },
      },
      {
        replicaId: 'a1640e1c15b6',
        node: 'dtr-node-1',
        containers: 2,
        stopped: [],
        image: { repository: 'docker/dtr-registry', tag: '2.7.8' },
      },
    ]);
    // Stopped containers are asked for too.
    expect(ucp.requests.at(-1)?.path).toMatch(/^\/containers\/json\?all=1&filters=/);
    state.containers = [];
    expect(await client(ucp.url).dtrRuntimes()).toEqual([]);
  });
});
