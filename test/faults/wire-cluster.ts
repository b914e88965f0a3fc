// An upstream UCP + DTR built from the documented wire formats (DESIGN.md §2) and the shared
// reference payloads (test/support/fixtures, copies of shared/fixtures), NOT from the demo: the
// demo was written with the monitor's assumptions, so a verdict proven only on it proves little.
//
// Real HTTP servers on loopback: a UCP load balancer and one server per manager (all on one
// port, as UCP serves), a DTR load balancer and one server per replica. Each scenario says what
// each of them answers — or that it is not listening at all (connection refused) — and what the
// cluster's own documents (/nodes, settings, cluster_status, /containers/json) contain.
import type { ClusterTarget } from '@/lib/config';
import {
  fixture,
  hang,
  sendJson,
  type SeenRequest,
  startServer,
  type Handler,
  type TestServer,
} from '@/test/support/test-server';

export const TOKEN = 'wire-token';
export const IDS = ['a1640e1c15b6', '5eb9459a7832', '000000000003'] as const;
const MANAGER_ADDRS = ['127.0.61.1', '127.0.61.2', '127.0.61.3'];
const DTR_NODE_ADDRS = ['127.0.62.1', '127.0.62.2', '127.0.62.3'];
export const UCP_LB = '127.0.60.1';
export const DTR_LB = '127.0.60.2';
/** The load balancer in front of the cache replicas (the cache HA document's layout). */
export const CACHE_LB = '127.0.60.3';
const CACHE_NODE_ADDR = (i: number) => `127.0.63.${i + 1}`;

/** How one member answers the console: its health endpoint's behaviour. */
export type Answer = 'ok' | 'refuse' | 'hang' | 'unhealthy' | 'garbage';

type RawNode = Record<string, unknown> & {
  ID: string;
  Spec: Record<string, unknown>;
  Description: { Hostname: string } & Record<string, unknown>;
  Status: Record<string, unknown>;
  ManagerStatus?: Record<string, unknown>;
};

export interface WireState {
  /** GET /nodes: the fixture, readdressed to loopback; edit per scenario. */
  nodes: RawNode[];
  /** When set, /nodes answers this instead (e.g. 500 "The swarm does not have a leader"). */
  nodesError: { status: number; message: string } | null;
  /** Per manager hostname: its /_ping. */
  managerPing: Record<string, Answer>;
  /** replicaSettings of /api/v0/meta/settings. */
  settings: Record<string, { HTTPPort: number; HTTPSPort: number; node: string }>;
  /** Per replica ID: its /_ping. */
  replicaPing: Record<string, Answer>;
  /** GET /api/v0/meta/cluster_status as the DTR load balancer's replica answers it. */
  clusterStatus: Record<string, unknown>;
  /** The DTR API (through its load balancer) answers at all. */
  dtrApi: 'ok' | 'refuse';
  /** GET /containers/json?all=1 */
  containers: { Names: string[]; Image: string; State: string }[];
  /**
   * Nodes labelled dtr.cache=true (added to /nodes after the fixture's, each a copy of its cache
   * node), by hostname: how the cache replica there answers `GET /v2/` on the cache port.
   * Default none: the fixture's cache node stays, without its label.
   */
  cacheNodes: Record<string, Answer>;
  /**
   * GET /api/v0/content_caches, each cache registered at the cache load balancer (`lb`) or at a
   * cache node's own address (its hostname); hosts are filled in once the ports are known.
   */
  contentCaches: { id: string; name: string; at: 'lb' | string }[];
}

export interface WireCluster {
  state: WireState;
  target: ClusterTarget;
  /** Requests each member's server received, by name ("manager:ucp-manager-1", "replica:<id>", "cache:<hostname>", "cache-lb", "dtr-lb", "ucp-lb"). */
  requests(name: string): SeenRequest[];
  /** Stops a member's server (its address then refuses connections). */
  stop(name: string): Promise<void>;
  close(): Promise<void>;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const HEALTHY_PING = fixture<Record<string, unknown>>('dtr-ping-healthy.json');
const UNHEALTHY_PING = fixture<Record<string, unknown>>('dtr-ping-unhealthy.json');

/** A cluster_status in which every replica is OK, reporting now, and RethinkDB ready. */
export function healthyClusterStatus(
  ids: readonly string[],
  now = new Date(),
): Record<string, unknown> {
  const status = clone(fixture<Record<string, unknown>>('dtr-cluster-status-degraded.json'));
  const ts = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  status.replica_health = Object.fromEntries(ids.map((id) => [id, 'OK']));
  status.replica_timestamp = Object.fromEntries(ids.map((id) => [id, ts]));
  status.replica_readonly = Object.fromEntries(ids.map((id) => [id, false]));
  const tables = status.rethink_system_tables as Record<string, unknown>;
  tables.current_issues = [];
  tables.table_status = ['repositories', 'tags', 'manifests'].map((name) => ({
    db: 'dtr2',
    name,
    shards: [{ replicas: ids.map((id) => ({ server: `dtr_rethinkdb_${id}`, state: 'ready' })) }],
    status: {
      all_replicas_ready: true,
      ready_for_outdated_reads: true,
      ready_for_reads: true,
      ready_for_writes: true,
    },
  }));
  return status;
}

/** Marks `id` in a cluster_status: its RethinkDB server's shard state, and optionally its health text. */
export function setReplicaInStatus(
  status: Record<string, unknown>,
  id: string,
  change: { state?: string; health?: string; timestamp?: string; readonly?: boolean },
): void {
  const tables = (
    status.rethink_system_tables as {
      table_status: { shards: { replicas: { server: string; state: string }[] }[] }[];
    }
  ).table_status;
  if (change.state) {
    for (const table of tables)
      for (const shard of table.shards)
        for (const r of shard.replicas)
          if (r.server === `dtr_rethinkdb_${id}`) r.state = change.state;
  }
  if (change.health) (status.replica_health as Record<string, string>)[id] = change.health;
  if (change.timestamp) (status.replica_timestamp as Record<string, string>)[id] = change.timestamp;
  if (change.readonly !== undefined)
    (status.replica_readonly as Record<string, boolean>)[id] = change.readonly;
}

/** Tables of a cluster_status that cannot take writes (a view without a majority). */
export function setNotWritable(status: Record<string, unknown>): void {
  const tables = (
    status.rethink_system_tables as { table_status: { status: Record<string, boolean> }[] }
  ).table_status;
  for (const table of tables) {
    table.status.ready_for_writes = false;
    table.status.ready_for_reads = false;
  }
}

function initialNodes(): RawNode[] {
  // Caches are not what these scenarios judge: the cache node stays, without its label.
  const nodes = clone(fixture<RawNode[]>('ucp-nodes.json')).map((node) => {
    const labels = { ...(node.Spec.Labels as Record<string, string> | undefined) };
    delete labels['dtr.cache'];
    return { ...node, Spec: { ...node.Spec, Labels: labels } };
  });
  let m = 0;
  let d = 0;
  for (const node of nodes) {
    const hostname = node.Description.Hostname;
    node.Status = { ...node.Status, State: 'ready' };
    if (node.ManagerStatus) {
      const addr = MANAGER_ADDRS[m++] as string;
      node.ManagerStatus = {
        ...node.ManagerStatus,
        Reachability: 'reachable',
        Addr: `${addr}:2377`,
      };
      node.Status = {
        ...node.Status,
        Message: 'Healthy UCP manager',
        Addr: hostname.endsWith('1') ? '0.0.0.0' : addr,
      };
    } else if (hostname.startsWith('dtr-node-')) {
      node.Status = { ...node.Status, Message: 'Healthy UCP worker', Addr: DTR_NODE_ADDRS[d++] };
    }
  }
  return nodes;
}

function answer(mode: Answer, healthyBody: unknown, unhealthy: () => [number, unknown]): Handler {
  return (req, res, body) => {
    switch (mode) {
      case 'hang':
      case 'refuse':
        return hang(req, res, body);
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"Healthy": true, "Error": <html>502 Bad Gateway');
      case 'unhealthy': {
        const [status, payload] = unhealthy();
        return sendJson(res, status, payload);
      }
      case 'ok':
        return sendJson(res, 200, healthyBody);
    }
  };
}

/**
 * Starts the servers for `setup`'s state. A member whose answer is `refuse` gets no server at
 * all: the console's connection is refused, as by a firewall or a stopped container.
 */
export async function startWireCluster(
  setup: (state: WireState) => void,
  timeoutMs: number,
): Promise<WireCluster> {
  const nodes = initialNodes();
  const managers = nodes.filter((n) => n.ManagerStatus).map((n) => n.Description.Hostname);
  const settings = Object.fromEntries(
    IDS.map((id, i) => [id, { HTTPPort: 0, HTTPSPort: 443, node: `dtr-node-${i + 1}` }]),
  );
  const state: WireState = {
    nodes,
    nodesError: null,
    managerPing: Object.fromEntries(managers.map((h) => [h, 'ok' as Answer])),
    settings,
    replicaPing: Object.fromEntries(IDS.map((id) => [id, 'ok' as Answer])),
    clusterStatus: healthyClusterStatus(IDS),
    dtrApi: 'ok',
    cacheNodes: {},
    contentCaches: [],
    containers: IDS.flatMap((id, i) =>
      ['nginx', 'registry', 'rethinkdb'].map((component) => ({
        Names: [`/dtr-node-${i + 1}/dtr-${component}-${id}`],
        Image: `docker/dtr-${component}:2.9.16`,
        State: 'running',
      })),
    ),
  };
  setup(state);
  const cacheHosts = Object.keys(state.cacheNodes);
  const template = nodes.find((n) => n.Description.Hostname === 'cache-node-1');
  if (template && cacheHosts.length > 0) {
    // The fixture's cache node becomes the first of them, or leaves when the scenario names others.
    state.nodes = state.nodes.filter((n) => n !== template || cacheHosts.includes('cache-node-1'));
    cacheHosts.forEach((hostname, i) => {
      const existing = state.nodes.find((n) => n.Description.Hostname === hostname);
      const node: RawNode = existing ?? clone(template);
      if (!existing) state.nodes.push(node);
      node.ID = existing ? node.ID : `cachenode${String(i + 1).padStart(16, '0')}`;
      node.Description = { ...node.Description, Hostname: hostname };
      node.Spec = {
        ...node.Spec,
        Labels: { ...(node.Spec.Labels as Record<string, string>), 'dtr.cache': 'true' },
      };
      node.Status = {
        State: 'ready',
        Message: 'Healthy UCP worker',
        ...(existing ? node.Status : {}),
        Addr: CACHE_NODE_ADDR(i),
      };
    });
  }

  const servers: TestServer[] = [];
  const byName = new Map<string, TestServer>();
  const ucpApi: Handler = (req, res) => {
    if (req.url === '/auth/login') return sendJson(res, 200, { auth_token: TOKEN });
    if (req.url === '/_ping') return sendJson(res, 200, 'OK');
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return sendJson(res, 401, {});
    if (req.url === '/nodes') {
      if (state.nodesError)
        return sendJson(res, state.nodesError.status, { message: state.nodesError.message });
      return sendJson(res, 200, state.nodes);
    }
    if (req.url?.startsWith('/containers/json')) return sendJson(res, 200, state.containers);
    return sendJson(res, 404, { message: 'page not found' });
  };
  const ucpLb = await startServer(ucpApi, UCP_LB);
  servers.push(ucpLb);
  byName.set('ucp-lb', ucpLb);
  for (const [i, hostname] of managers.entries()) {
    const mode = state.managerPing[hostname] ?? 'ok';
    if (mode === 'refuse') continue;
    const ping = answer(mode, 'OK', () => [500, 'unhealthy: ucp-kv: etcd cluster is unavailable']);
    const server = await startServer(
      (req, res, body) => (req.url === '/_ping' ? ping(req, res, body) : ucpApi(req, res, body)),
      MANAGER_ADDRS[i],
      ucpLb.port,
    );
    servers.push(server);
    byName.set(`manager:${hostname}`, server);
  }

  // Cache replicas: a distribution registry's /v2/ (401 with a token challenge until logged in),
  // each on its node's address, all on one port; the load balancer on that port too.
  const registry: Handler = (_req, res) => {
    res.writeHead(401, {
      'content-type': 'application/json; charset=utf-8',
      'docker-distribution-api-version': 'registry/2.0',
      'www-authenticate': `Bearer realm="https://${DTR_LB}/auth/token",service="${DTR_LB}"`,
    });
    res.end(
      '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}\n',
    );
  };
  const unavailable = (): [number, unknown] => [
    503,
    { errors: [{ code: 'UNAVAILABLE', message: 'service unavailable: storage driver error' }] },
  ];
  let cachePort = 0;
  for (const [i, hostname] of cacheHosts.entries()) {
    const mode = state.cacheNodes[hostname] ?? 'ok';
    if (mode === 'refuse') continue;
    const handler = mode === 'ok' ? registry : answer(mode, {}, unavailable);
    const server = await startServer(handler, CACHE_NODE_ADDR(i), cachePort);
    cachePort = server.port;
    servers.push(server);
    byName.set(`cache:${hostname}`, server);
  }
  if (cacheHosts.length > 0) {
    const serving = cacheHosts.some((h) => (state.cacheNodes[h] ?? 'ok') === 'ok');
    const lb = await startServer(
      (req, res, body) => {
        if (serving) return registry(req, res, body);
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end(
          '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n',
        );
      },
      CACHE_LB,
      cachePort,
    );
    cachePort = lb.port;
    servers.push(lb);
    byName.set('cache-lb', lb);
  }
  const contentCaches = () =>
    state.contentCaches.map(({ id, name, at }) => ({
      id,
      name,
      host: `http://${at === 'lb' ? CACHE_LB : CACHE_NODE_ADDR(cacheHosts.indexOf(at))}:${cachePort}`,
    }));

  const dtrApi: Handler = (req, res) => {
    if (req.url === '/_ping') return sendJson(res, 200, HEALTHY_PING);
    if (!req.headers.authorization?.startsWith('Basic ')) return sendJson(res, 401, {});
    if (req.url === '/api/v0/meta/settings')
      return sendJson(res, 200, { replicaID: IDS[0], replicaSettings: state.settings });
    if (req.url === '/api/v0/meta/cluster_status') return sendJson(res, 200, state.clusterStatus);
    if (req.url === '/api/v0/content_caches') return sendJson(res, 200, contentCaches());
    return sendJson(res, 404, {});
  };
  // Every replica listens on one port (its HTTPPort in the settings), each on its node's address.
  let replicaPort = 0;
  for (const [i, id] of IDS.entries()) {
    const mode = state.replicaPing[id] ?? 'ok';
    if (mode === 'refuse') continue;
    const ping = answer(mode, HEALTHY_PING, () => [503, UNHEALTHY_PING]);
    const server = await startServer(
      // A replica's API answers only /_ping here: the console reads the API through DTR_URL.
      (req, res, body) => (req.url === '/_ping' ? ping(req, res, body) : sendJson(res, 404, {})),
      DTR_NODE_ADDRS[i],
      replicaPort,
    );
    replicaPort = server.port;
    servers.push(server);
    byName.set(`replica:${id}`, server);
  }
  if (replicaPort === 0) {
    const probe = await startServer(hang, '127.0.0.1');
    replicaPort = probe.port;
    await probe.close();
  }
  for (const entry of Object.values(state.settings))
    if (entry.HTTPPort === 0) entry.HTTPPort = replicaPort;
  let dtrLbUrl = `http://${DTR_LB}:${replicaPort}`;
  if (state.dtrApi === 'ok') {
    const dtrLb = await startServer(dtrApi, DTR_LB);
    servers.push(dtrLb);
    byName.set('dtr-lb', dtrLb);
    dtrLbUrl = dtrLb.url;
  }

  const target: ClusterTarget = {
    ucp: { url: ucpLb.url, username: 'console', password: 'pw', insecureTls: false },
    dtr: {
      url: dtrLbUrl,
      username: 'console',
      password: 'pw',
      insecureTls: false,
      probeScheme: 'http',
    },
    pollIntervalMs: 1000,
    probeTimeoutMs: timeoutMs,
    dtrVersion: null,
    // The cache load balancer is no node: the operator allows it, as PROBE_ALLOWED_HOSTS does.
    ...(cacheHosts.length > 0 ? { probeAllowedHosts: [CACHE_LB] } : {}),
  };
  return {
    state,
    target,
    requests: (name) => byName.get(name)?.requests ?? [],
    stop: async (name) => {
      await byName.get(name)?.close();
    },
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
