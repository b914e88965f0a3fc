import { afterEach, describe, expect, it } from 'vitest';
import type { EngineTarget } from '@/lib/config';
import { createTestCa } from '@/lib/demo/certificates';
import { createEngineClient } from './docker';
import { startFakeEngine, swarmPayload, type FakeEngine } from '@/test/support/test-engine';
import {
  closedPort,
  hang,
  sendJson,
  sourceFailure,
  swarmFixtureText,
} from '@/test/support/test-server';

// Generous where timing is not the point; the hang test checks its bound against HANG_TIMEOUT.
const TIMEOUT = 2000;
const HANG_TIMEOUT = 400;
const engines: FakeEngine[] = [];

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

async function engine(options?: Parameters<typeof startFakeEngine>[0]): Promise<FakeEngine> {
  const e = await startFakeEngine(options);
  engines.push(e);
  return e;
}

function overSocket(socketPath: string, probeTimeoutMs = TIMEOUT) {
  const target: EngineTarget = { kind: 'unix', host: `unix://${socketPath}`, socketPath };
  return createEngineClient({ engine: target, probeTimeoutMs });
}

describe('Engine adapter over a unix socket', () => {
  it('reads the node inventory, with no per-manager ping to offer', async () => {
    const e = await engine();
    const client = overSocket(e.socketPath as string);
    const nodes = await client.listNodes();
    expect(client).toMatchObject({ kind: 'engine', pingManager: null });
    expect(nodes.filter((n) => n.role === 'manager')).toHaveLength(3);
    expect(nodes.find((n) => n.manager?.leader)?.hostname).toBe('dhc-manager-1');
    expect(e.requests.map((r) => r.path)).toEqual(['/nodes']);
  });

  it('says in words that the Swarm has no leader when the manager answers 500', async () => {
    const e = await engine();
    e.nodes(swarmPayload('swarm-nodes-no-leader.json'));
    const err = await sourceFailure(overSocket(e.socketPath as string).listNodes());
    expect(err).toMatchObject({ kind: 'http', status: 500 });
    expect(err.message).toBe(
      `Swarm has no leader (manager quorum lost): unix://${e.socketPath} answered GET /nodes with HTTP 500: ` +
        "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.",
    );
  });

  it('says when DOCKER_HOST is not a Swarm manager', async () => {
    const e = await engine();
    e.nodes((_req, res) =>
      sendJson(res, 503, {
        message:
          'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.',
      }),
    );
    const err = await sourceFailure(overSocket(e.socketPath as string).listNodes());
    expect(err.message).toMatch(
      /^unix:\/\/\S+docker\.sock is not a Swarm manager: This node is not a swarm manager\./,
    );
  });

  it('times out a manager that stops answering /nodes, within the probe timeout', async () => {
    const e = await engine();
    e.nodes(hang);
    const started = performance.now();
    const err = await sourceFailure(overSocket(e.socketPath as string, HANG_TIMEOUT).listNodes());
    expect(performance.now() - started).toBeLessThan(HANG_TIMEOUT + 500);
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe(
      `no answer within ${HANG_TIMEOUT} ms from unix://${e.socketPath} (GET /nodes); a Swarm manager that cannot reach a Raft leader stops answering /nodes`,
    );
  });

  it('tells a dead daemon from a missing socket', async () => {
    const e = await engine();
    const socketPath = e.socketPath as string;
    const missing = await sourceFailure(overSocket(`${socketPath}.missing`).listNodes());
    expect(missing).toMatchObject({
      kind: 'refused',
      message: `no socket at unix://${socketPath}.missing: is the Docker daemon running?`,
    });
  });

  it('rejects a payload that is not a node list, naming the socket', async () => {
    const e = await engine();
    e.nodes((_req, res) => sendJson(res, 200, { nodes: [] }));
    const err = await sourceFailure(overSocket(e.socketPath as string).listNodes());
    expect(err.kind).toBe('malformed');
    expect(err.message).toContain(`GET /nodes at unix://${e.socketPath}`);
  });
});

describe('Engine adapter over TCP with a client bundle', () => {
  const ca = createTestCa('bundle CA');
  const serverCert = ca.server({ ips: ['127.0.0.1', '127.0.1.2'], dns: ['localhost'] });
  const clientCert = ca.client('console-service');

  function overTcp(url: string, trust = ca.ca, client = clientCert) {
    const target: EngineTarget = {
      kind: 'tcp',
      host: url.replace('https://', 'tcp://'),
      url,
      ca: trust,
      cert: client.cert,
      key: client.key,
    };
    return createEngineClient({ engine: target, probeTimeoutMs: TIMEOUT });
  }

  it('verifies the daemon against ca.pem and presents cert.pem / key.pem', async () => {
    const e = await engine({ tls: { ...serverCert, clientCa: ca.ca } });
    const nodes = await overTcp(e.url as string).listNodes();
    expect(nodes).toHaveLength(4);
  });

  it('refuses a daemon whose certificate ca.pem does not vouch for', async () => {
    const e = await engine({ tls: { ...serverCert, clientCa: ca.ca } });
    const stranger = createTestCa('someone else');
    const err = await sourceFailure(overTcp(e.url as string, stranger.ca).listNodes());
    expect(err.kind).toBe('tls');
    expect(err.message).toMatch(/^TLS: certificate signed by unknown authority/);
  });

  it('fails readably when the daemon does not accept the client certificate', async () => {
    const e = await engine({ tls: { ...serverCert, clientCa: createTestCa('other clients').ca } });
    const err = await sourceFailure(overTcp(e.url as string).listNodes());
    expect(['tls', 'network']).toContain(err.kind);
    expect(err.message).toMatch(/client certificate in DOCKER_CERT_PATH|TLS:/);
  });

  it('asks another manager directly when DOCKER_HOST stops answering', async () => {
    const primary = await engine({ tls: { ...serverCert, clientCa: ca.ca } });
    const port = Number(new URL(primary.url as string).port);
    // The fixture's managers live on the test bridge; point one at a loopback stand-in.
    const other = await engine({
      tls: { ...serverCert, clientCa: ca.ca },
      host: '127.0.1.2',
      port,
    });
    const payload = JSON.parse(swarmFixtureText('swarm-nodes.json')) as {
      ManagerStatus?: { Addr: string };
    }[];
    const leader = payload.find((n) => n.ManagerStatus?.Addr === '10.69.190.11:2377');
    if (leader?.ManagerStatus) leader.ManagerStatus.Addr = '127.0.1.2:2377';
    primary.nodes((_req, res) => sendJson(res, 200, payload));
    other.nodes((_req, res) => sendJson(res, 200, payload));
    const client = overTcp(primary.url as string);
    await client.listNodes();
    await primary.close();
    const nodes = await client.listNodes();
    expect(nodes).toHaveLength(4);
    expect(other.requests.map((r) => r.path)).toEqual(['/nodes']);
  });

  it('says when UCP refuses the bundle’s certificate (HTTP 401), with UCP’s reason', async () => {
    const e = await engine({ tls: { ...serverCert, clientCa: ca.ca } });
    e.nodes((_req, res) => sendJson(res, 401, { message: 'access denied: certificate revoked' }));
    const err = await sourceFailure(overTcp(e.url as string).listNodes());
    expect(err).toMatchObject({ kind: 'auth', status: 401 });
    expect(err.message).toBe(
      `tcp://127.0.0.1:${new URL(e.url as string).port} refused the console's client certificate: HTTP 401 (GET /nodes): access denied: certificate revoked`,
    );
  });

  it('reports a refused TCP address as refused', async () => {
    const port = await closedPort();
    const err = await sourceFailure(overTcp(`https://127.0.0.1:${port}`).listNodes());
    expect(err).toMatchObject({
      kind: 'refused',
      message: `connection refused by 127.0.0.1:${port}`,
    });
  });
});
