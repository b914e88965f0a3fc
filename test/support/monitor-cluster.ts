// Test support: a small fake UCP + DTR cluster of real HTTP servers on loopback addresses.
import type { ClusterTarget } from '@/lib/config';
import { sendJson, startServer, type Handler, type TestServer } from '@/test/support/test-server';

export const REPLICA_IDS = ['000000000003', '5eb9459a7832', 'a1640e1c15b6'] as const;
const MANAGER_HOSTS = ['127.0.1.1', '127.0.1.2', '127.0.1.3'];
const REPLICA_HOSTS = ['127.0.2.1', '127.0.2.2', '127.0.2.3'];
const TOKEN = 'fake-token';

export const healthyPing: Handler = (_req, res) => sendJson(res, 200, { Error: '', Healthy: true });

export interface FakeCluster {
  target: ClusterTarget;
  ucp: TestServer;
  dtrApi: TestServer;
  managers: TestServer[];
  replicas: Record<string, TestServer>;
  /** replica_health as the DTR API will report it. */
  replicaHealth: Record<string, string>;
  /** Replicas the DTR API's RethinkDB tables show disconnected (tables stay writable). */
  disconnected: Set<string>;
  /** Replicas whose dtr-* containers UCP lists as exited. */
  stopped: Set<string>;
  /** While true, UCP's container list answers 500. */
  containersFail: boolean;
  /** Container list requests UCP has received. */
  containerReads(): number;
  /** What `/api/v0/content_caches` answers: the list, or an HTTP status to fail with. */
  contentCaches: { id: string; name: string; host: string }[] | number;
  setReplica(id: string, handler: Handler): void;
  /** /_ping requests a replica has received. */
  pings(id: string): number;
  close(): Promise<void>;
}

function swarmNode(
  id: string,
  hostname: string,
  role: 'manager' | 'worker',
  addr: string,
  leader = false,
) {
  return {
    ID: id,
    Spec: { Role: role, Availability: 'active', Labels: { zone: hostname.slice(-1) } },
    Description: {
      Hostname: hostname,
      Platform: { OS: 'linux', Architecture: 'x86_64' },
      Engine: { EngineVersion: '20.10.13' },
    },
    Status: {
      State: 'ready',
      Message: `Healthy UCP ${role}`,
      Addr: role === 'manager' ? '0.0.0.0' : addr,
    },
    ...(role === 'manager'
      ? { ManagerStatus: { Leader: leader, Reachability: 'reachable', Addr: `${addr}:2377` } }
      : {}),
  };
}

export async function startFakeCluster(timeoutMs: number): Promise<FakeCluster> {
  const nodes = [
    ...MANAGER_HOSTS.map((addr, i) =>
      swarmNode(`mgr${i + 1}`, `ucp-manager-${i + 1}`, 'manager', addr, i === 0),
    ),
    ...REPLICA_HOSTS.map((addr, i) =>
      swarmNode(`dtr${i + 1}`, `dtr-node-${i + 1}`, 'worker', addr),
    ),
  ];
  const ucpHandler: Handler = (req, res) => {
    if (req.url === '/auth/login') return sendJson(res, 200, { auth_token: TOKEN });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return sendJson(res, 401, {});
    if (req.url === '/nodes') return sendJson(res, 200, nodes);
    if (req.url?.startsWith('/containers/json')) {
      if (fake.containersFail) return sendJson(res, 500, { message: 'engine busy' });
      return sendJson(
        res,
        200,
        REPLICA_IDS.flatMap((id, i) =>
          ['nginx', 'registry'].map((component) => ({
            Names: [`/dtr-node-${i + 1}/dtr-${component}-${id}`],
            Image: `docker/dtr-${component}:2.7.8`,
            State: fake.stopped.has(id) ? 'exited' : 'running',
          })),
        ),
      );
    }
    sendJson(res, 404, {});
  };
  const ucp = await startServer(ucpHandler);
  // Managers answer only /_ping: when the UCP URL dies, the UCP source really is gone.
  const managers = await Promise.all(
    MANAGER_HOSTS.map((host) => startServer(healthyPing, host, ucp.port)),
  );

  const replicaHandlers: Record<string, Handler> = {};
  const replicas: Record<string, TestServer> = {};
  await Promise.all(
    REPLICA_IDS.map(async (id, i) => {
      replicaHandlers[id] = healthyPing;
      replicas[id] = await startServer((req, res, body) => {
        if (req.url === '/_ping') return (replicaHandlers[id] ?? healthyPing)(req, res, body);
        sendJson(res, 404, {});
      }, REPLICA_HOSTS[i]);
    }),
  );

  const replicaHealth: Record<string, string> = Object.fromEntries(
    REPLICA_IDS.map((id) => [id, 'OK']),
  );
  const disconnected = new Set<string>();
  const dtrApi = await startServer((req, res) => {
    if (req.url === '/api/v0/content_caches') {
      const caches = fake.contentCaches;
      return typeof caches === 'number' ? sendJson(res, caches, {}) : sendJson(res, 200, caches);
    }
    if (req.url === '/api/v0/meta/settings') {
      const replicaSettings = Object.fromEntries(
        REPLICA_IDS.map((id, i) => [
          id,
          { HTTPPort: replicas[id]?.port, HTTPSPort: 443, node: `dtr-node-${i + 1}` },
        ]),
      );
      return sendJson(res, 200, { replicaID: REPLICA_IDS[0], replicaSettings });
    }
    if (req.url === '/api/v0/meta/cluster_status') {
      const replicas = REPLICA_IDS.map((id) => ({
        server: `dtr_rethinkdb_${id}`,
        state: disconnected.has(id) ? 'disconnected' : 'ready',
      }));
      const table = {
        db: 'dtr2',
        name: 'tags',
        shards: [{ replicas }],
        status: { ready_for_writes: true },
      };
      return sendJson(res, 200, {
        replica_health: replicaHealth,
        replica_timestamp: {},
        rethink_system_tables: { table_status: [table], current_issues: [] },
      });
    }
    sendJson(res, 404, {});
  });

  const target: ClusterTarget = {
    ucp: { url: ucp.url, username: 'admin', password: 'pw', insecureTls: false },
    dtr: {
      url: dtrApi.url,
      username: 'admin',
      password: 'pw',
      insecureTls: false,
      probeScheme: 'http',
    },
    pollIntervalMs: 50,
    probeTimeoutMs: timeoutMs,
    dtrVersion: null,
  };
  const fake: FakeCluster = {
    target,
    ucp,
    dtrApi,
    managers,
    replicas,
    replicaHealth,
    disconnected,
    stopped: new Set(),
    containersFail: false,
    containerReads: () => ucp.requests.filter((r) => r.path.startsWith('/containers/json')).length,
    contentCaches: [],
    setReplica(id, handler) {
      replicaHandlers[id] = handler;
    },
    pings: (id) => replicas[id]?.requests.filter((r) => r.path === '/_ping').length ?? 0,
    close: async () => {
      await Promise.all(
        [ucp, dtrApi, ...managers, ...Object.values(replicas)].map((s) => s.close()),
      );
    },
  };
  return fake;
}
