import { afterEach, describe, expect, it } from 'vitest';
import { createDtrClient } from './dtr';
import {
  closedPort,
  fixture,
  fixtureText,
  hang,
  sendJson,
  sourceFailure,
  startServer,
  type Handler,
  type TestServer,
} from '@/test/support/test-server';

const TIMEOUT = 200;
const PASSWORD = 'dtr-s3cret';
const BASIC = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Handler, host = '127.0.0.1', port = 0): Promise<TestServer> {
  const s = await startServer(handler, host, port);
  servers.push(s);
  return s;
}

/** `trusted`: the demo's setting, members asked with credentials whatever the scheme. */
function client(url: string, password = PASSWORD, trusted = false) {
  return createDtrClient({
    ...(trusted ? { trustMemberOrigins: true } : {}),
    dtr: { url, username: 'admin', password, insecureTls: false, probeScheme: 'http' },
    probeTimeoutMs: TIMEOUT,
  });
}

/** A DTR API answering the fixtures to basic-authenticated callers. */
const dtrApi: Handler = (req, res) => {
  if (req.headers.authorization !== BASIC)
    return sendJson(res, 401, { errors: [{ code: 'NOT_AUTHENTICATED' }] });
  if (req.url === '/api/v0/meta/settings')
    return sendJson(res, 200, fixtureText('dtr-settings.json'));
  if (req.url === '/api/v0/meta/cluster_status')
    return sendJson(res, 200, fixtureText('dtr-cluster-status-degraded.json'));
  sendJson(res, 404, {});
};

describe('DTR getReplicas', () => {
  it('lists replicas from replicaSettings, with basic auth', async () => {
    const dtr = await serve(dtrApi);
    expect(await client(dtr.url).getReplicas()).toEqual({
      replicas: [
        { id: '000000000003', node: 'dtr-node-3', httpPort: 8080, httpsPort: 8443 },
        { id: '5eb9459a7832', node: 'dtr-node-2', httpPort: 80, httpsPort: 443 },
        { id: 'a1640e1c15b6', node: 'dtr-node-1', httpPort: 80, httpsPort: 443 },
      ],
      reportedBy: 'a1640e1c15b6',
      // The fixture's storage fields are empty: the settings do not say where images live.
      storage: { kind: 'unknown' },
    });
  });

  it('reads the image storage: NFS before a storage volume, missing or odd fields as unknown', async () => {
    const settings = fixture<Record<string, unknown>>('dtr-settings.json');
    const storageOf = async (fields: Record<string, unknown>, drop: string[] = []) => {
      const body = { ...settings, ...fields };
      for (const key of drop) delete body[key];
      const dtr = await serve((_req, res) => sendJson(res, 200, body));
      return (await client(dtr.url).getReplicas()).storage;
    };
    expect(await storageOf({ nfsHost: 'nfs.example.com', nfsPath: '/exports/dtr' })).toEqual({
      kind: 'nfs',
      host: 'nfs.example.com',
      path: '/exports/dtr',
    });
    expect(
      await storageOf({ nfsHost: 'nfs.example.com', nfsPath: '', storageVolume: 'dtr-data' }),
    ).toEqual({ kind: 'nfs', host: 'nfs.example.com', path: '' });
    expect(await storageOf({ storageVolume: '/mnt/dtr-images' })).toEqual({
      kind: 'volume',
      volume: '/mnt/dtr-images',
    });
    expect(await storageOf({}, ['storageVolume', 'nfsHost', 'nfsPath'])).toEqual({
      kind: 'unknown',
    });
    // An older DTR may send null; a field of the wrong type must not cost the replica list.
    const odd = await serve((_req, res) =>
      sendJson(res, 200, { ...settings, nfsHost: 42, storageVolume: null }),
    );
    const read = await client(odd.url).getReplicas();
    expect(read.storage).toEqual({ kind: 'unknown' });
    expect(read.replicas).toHaveLength(3);
  });

  it('reports refused credentials without the password', async () => {
    const dtr = await serve(dtrApi);
    const err = await sourceFailure(client(dtr.url, 'wrong').getReplicas());
    expect(err).toMatchObject({ kind: 'auth', status: 401 });
    expect(err.message).not.toContain('wrong');
  });
});

describe('DTR getClusterView', () => {
  it('reads the degraded fixture: replica 000000000003 not ready, tables still writable', async () => {
    const dtr = await serve(dtrApi);
    expect(await client(dtr.url).getClusterView()).toEqual({
      reportedBy: null,
      replicaHealth: {
        a1640e1c15b6: 'OK',
        '5eb9459a7832': 'OK',
        '000000000003': 'replica reported health too long ago: 2026-11-21T23:02:11Z',
      },
      replicaTimestamp: {
        a1640e1c15b6: '2026-11-22T00:10:41Z',
        '5eb9459a7832': '2026-11-22T00:10:40Z',
        '000000000003': '2026-11-21T23:02:11Z',
      },
      replicaReadonly: { a1640e1c15b6: false, '5eb9459a7832': false, '000000000003': false },
      tablesReadyForWrites: true,
      tablesNotWritable: [],
      replicasNotReady: ['000000000003'],
      replicasInTables: ['000000000003', '5eb9459a7832', 'a1640e1c15b6'],
      currentIssues: [
        {
          critical: false,
          description:
            'Table `dtr2.repositories` is available for outdated reads, reads and writes, but some replicas are not ready. The following servers are not reachable: dtr_rethinkdb_000000000003',
        },
      ],
      gcLockHolder: null,
    });
  });

  it('accepts replica_health null and tables that cannot take writes', async () => {
    const status = fixture<
      Record<string, unknown> & {
        rethink_system_tables: { table_status: { status: Record<string, boolean> }[] };
      }
    >('dtr-cluster-status-degraded.json');
    status.replica_health = null;
    const [table] = status.rethink_system_tables.table_status;
    if (table) table.status.ready_for_writes = false;
    const dtr = await serve((_req, res) => sendJson(res, 200, status));
    const view = await client(dtr.url).getClusterView();
    expect(view).toMatchObject({
      replicaHealth: null,
      tablesReadyForWrites: false,
      tablesNotWritable: ['dtr2.repositories'],
    });
  });
});

describe('DTR API when DTR_URL stops answering', () => {
  it('asks the known replicas directly and says which one answered', async () => {
    const port = await closedPort();
    const replica = await serve(dtrApi, '127.0.2.2');
    const c = client(`http://127.0.0.1:${port}`, PASSWORD, true);
    c.useReplicaEndpoints([
      {
        id: 'a1640e1c15b6',
        address: '127.0.2.1',
        httpPort: await closedPort('127.0.2.1'),
        httpsPort: 443,
      },
      { id: '5eb9459a7832', address: '127.0.2.2', httpPort: replica.port, httpsPort: 443 },
    ]);
    expect((await c.getReplicas()).replicas).toHaveLength(3);
    expect((await c.getClusterView()).reportedBy).toBe('5eb9459a7832');
  });
});

describe('DTR getClusterView from a replica cut off from the others', () => {
  it("prefers another replica's writable view", async () => {
    const status = fixture<Record<string, unknown>>('dtr-cluster-status-degraded.json');
    const minority = {
      ...status,
      rethink_system_tables: {
        table_status: [
          {
            db: 'dtr2',
            name: 'tags',
            shards: [
              { replicas: [{ server: 'dtr_rethinkdb_000000000003', state: 'waiting_for_quorum' }] },
            ],
            status: { ready_for_writes: false },
          },
        ],
      },
    };
    const cutOff = await serve((_req, res) => sendJson(res, 200, minority));
    const healthy = await serve(dtrApi, '127.0.2.2');
    const c = client(cutOff.url, PASSWORD, true);
    c.useReplicaEndpoints([
      { id: '5eb9459a7832', address: '127.0.2.2', httpPort: healthy.port, httpsPort: 443 },
    ]);
    const view = await c.getClusterView();
    expect(view).toMatchObject({
      reportedBy: '5eb9459a7832',
      tablesReadyForWrites: true,
      replicasNotReady: ['000000000003'],
    });
  });

  it('keeps the view when no replica has a writable one (quorum really lost)', async () => {
    const lost = {
      replica_health: null,
      rethink_system_tables: {
        table_status: [{ db: 'dtr2', name: 'tags', status: { ready_for_writes: false } }],
      },
    };
    const first = await serve((_req, res) => sendJson(res, 200, lost));
    const other = await serve((_req, res) => sendJson(res, 200, lost), '127.0.2.2');
    const c = client(first.url, PASSWORD, true);
    c.useReplicaEndpoints([
      { id: '5eb9459a7832', address: '127.0.2.2', httpPort: other.port, httpsPort: 443 },
    ]);
    expect(await c.getClusterView()).toMatchObject({
      reportedBy: null,
      tablesReadyForWrites: false,
    });
  });
});

describe('DTR probeReplica', () => {
  async function probe(handler: Handler) {
    const replica = await serve(handler, '127.0.2.1');
    return client('http://127.0.0.1:1').probeReplica(replica.host, replica.port);
  }

  it('is healthy on 200 with Healthy true', async () => {
    const result = await probe((req, res) =>
      sendJson(res, req.url === '/_ping' ? 200 : 404, fixtureText('dtr-ping-healthy.json')),
    );
    expect(result).toMatchObject({ status: 'healthy', error: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('is unhealthy on 503 with the Error text', async () => {
    expect(
      await probe((_req, res) => sendJson(res, 503, fixtureText('dtr-ping-unhealthy.json'))),
    ).toMatchObject({
      status: 'unhealthy',
      error: "rethinkdb: the primary replica isn't connected to a quorum of replicas",
    });
  });

  it('accepts the legacy Health key', async () => {
    expect(
      await probe((_req, res) => sendJson(res, 200, { Error: '', Health: true })),
    ).toMatchObject({ status: 'healthy' });
    expect(
      await probe((_req, res) => sendJson(res, 200, { Error: 'garant: down', Health: false })),
    ).toMatchObject({
      status: 'unhealthy',
      error: 'garant: down',
    });
  });

  it('falls back to /health when /_ping is not found', async () => {
    const result = await probe((req, res) =>
      req.url === '/health'
        ? sendJson(res, 200, { Error: '', Healthy: true })
        : sendJson(res, 404, '404 page not found'),
    );
    expect(result.status).toBe('healthy');
  });

  it('is unhealthy with a clear reason on garbage', async () => {
    expect(
      await probe((_req, res) => sendJson(res, 200, '<html>bad gateway</html>')),
    ).toMatchObject({
      status: 'unhealthy',
      error: 'malformed /_ping response',
    });
    expect(await probe((_req, res) => sendJson(res, 200, { Healthy: 'yes' }))).toMatchObject({
      error: 'malformed /_ping response',
    });
    expect(await probe((_req, res) => res.writeHead(502).end('Bad Gateway'))).toMatchObject({
      status: 'unhealthy',
      error: '/_ping answered HTTP 502: Bad Gateway',
    });
  });

  it('is unreachable when the replica hangs, within the probe timeout', async () => {
    const started = Date.now();
    const result = await probe(hang);
    expect(Date.now() - started).toBeLessThan(TIMEOUT + 400);
    expect(result).toMatchObject({
      status: 'unreachable',
      error: expect.stringMatching(/^no answer within 200 ms from 127\.0\.2\.1:\d+/),
      latencyMs: null,
    });
  });

  it('is unreachable when the connection is refused', async () => {
    const port = await closedPort('127.0.2.3');
    expect(await client('http://127.0.0.1:1').probeReplica('127.0.2.3', port)).toMatchObject({
      status: 'unreachable',
      error: `connection refused by 127.0.2.3:${port}`,
    });
  });
});
