// DTR payloads (DESIGN.md §2 and fixtures/dtr-*.json), each computed as one replica's view.
import {
  dtrHasQuorum,
  lastReport,
  REPORT_STALE_AFTER_MS,
  sideOf,
  viewHasQuorum,
} from './dtr-views';
import type { DemoModel } from './model';
import { CACHE_LB_ADDRESS, derivedUuid } from './topology';

export const DTR_QUORUM_ERROR =
  "rethinkdb: the primary replica isn't connected to a quorum of replicas";
export const DTR_COMPONENT_ERROR = 'registry: storage backend unreachable';

const TABLES: readonly [db: string, table: string][] = [
  ['dtr2', 'repositories'],
  ['dtr2', 'tags'],
  ['dtr2', 'manifests'],
  ['enzi', 'accounts'],
  ['jobrunner', 'jobs'],
  ['notaryserver', 'tuf_files'],
];

export interface DtrPing {
  status: 200 | 503;
  body: { Error: string; Healthy: boolean };
}

export function rfc3339(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function serverName(replicaId: string): string {
  return `dtr_rethinkdb_${replicaId}`;
}

export function dtrPing(model: DemoModel, replicaId: string): DtrPing {
  if (!dtrHasQuorum(model))
    return { status: 503, body: { Error: DTR_QUORUM_ERROR, Healthy: false } };
  if (model.faultOf(replicaId) === 'error')
    return { status: 503, body: { Error: DTR_COMPONENT_ERROR, Healthy: false } };
  return { status: 200, body: { Error: '', Healthy: true } };
}

export function dtrSettings(model: DemoModel, replicaId: string) {
  return {
    dtrHost: model.dtrHost,
    replicaID: replicaId,
    readOnlyRegistry: false,
    // Empty, as when images live on cloud storage set up in DTR's web UI: the settings do not
    // say where, so a join that grows a single-replica demo asks about shared storage.
    storageVolume: '',
    nfsHost: '',
    nfsPath: '',
    replicaSettings: Object.fromEntries(
      model.replicas.flatMap((r) => {
        const entry = { HTTPPort: model.httpPort(r), HTTPSPort: model.httpsPort(r), node: r.node };
        const twin = model.twinOf(r);
        return [[r.id, entry] as const, ...(twin ? [[twin, entry] as const] : [])];
      }),
    ),
  };
}

function healthText(model: DemoModel, subjectId: string, viewerId: string): string {
  const reportedAt = lastReport(model, subjectId, viewerId);
  if (model.now().getTime() - reportedAt.getTime() > REPORT_STALE_AFTER_MS) {
    return `replica reported health too long ago: ${rfc3339(reportedAt)}`;
  }
  return model.faultOf(subjectId) === 'error' ? DTR_COMPONENT_ERROR : 'OK';
}

function tableStatus(
  model: DemoModel,
  side: readonly string[],
  quorum: boolean,
  db: string,
  name: string,
  leftovers: readonly string[],
) {
  const primary = side[0];
  const replicas = [
    ...model.replicas.map(({ id }) => {
      let state = 'disconnected';
      if (side.includes(id))
        state = quorum ? 'ready' : id === primary ? 'waiting_for_quorum' : 'waiting_for_primary';
      return { server: serverName(id), state };
    }),
    ...leftovers.map((id) => ({ server: serverName(id), state: 'disconnected' })),
  ];
  return {
    db,
    name,
    id: derivedUuid(model.options.seed, 'table', db, name),
    raft_leader: quorum && primary ? serverName(primary) : null,
    shards: [{ primary_replicas: primary ? [serverName(primary)] : [], replicas }],
    status: {
      all_replicas_ready: quorum && side.length === model.replicas.length,
      ready_for_outdated_reads: side.length > 0,
      ready_for_reads: quorum,
      ready_for_writes: quorum,
    },
  };
}

function currentIssues(model: DemoModel, side: readonly string[], quorum: boolean) {
  const unreachable = model.replicas.map((r) => r.id).filter((id) => !side.includes(id));
  if (unreachable.length === 0 && quorum) return [];
  const servers = unreachable.map(serverName).join(', ');
  return TABLES.map(([db, name]) => ({
    critical: !quorum,
    type: 'table_availability',
    description: quorum
      ? `Table \`${db}.${name}\` is available for outdated reads, reads and writes, but some replicas are not ready. The following servers are not reachable: ${servers}`
      : `Table \`${db}.${name}\` is available for outdated reads, but not reads or writes. The following servers are not reachable: ${servers}`,
    info: { db, table: name },
  }));
}

/** Leftover replica IDs (the `twin` fault): listed, never reporting, never ready. */
function twins(model: DemoModel): string[] {
  return model.replicas.flatMap((r) => model.twinOf(r) ?? []);
}

/** `GET /api/v0/meta/cluster_status` as the given replica sees the cluster. */
export function dtrClusterStatus(model: DemoModel, viewerId: string) {
  const ids = model.replicas.map((r) => r.id);
  const leftovers = twins(model);
  const sideSet = sideOf(model, viewerId);
  const side = ids.filter((id) => sideSet.has(id));
  const quorum = viewHasQuorum(model, viewerId);
  const perReplica = <T>(value: (id: string) => T, leftover: T) =>
    Object.fromEntries([
      ...ids.map((id) => [id, value(id)] as const),
      ...leftovers.map((id) => [id, leftover] as const),
    ]);
  const leftoverSince = model.createdAt;
  return {
    replica_health: perReplica(
      (id) => healthText(model, id, viewerId),
      `replica reported health too long ago: ${rfc3339(leftoverSince)}`,
    ),
    replica_timestamp: perReplica(
      (id) => rfc3339(lastReport(model, id, viewerId)),
      rfc3339(leftoverSince),
    ),
    replica_readonly: perReplica((id) => model.faultOf(id) === 'readonly', false),
    gc_lock_holder: '',
    rethink_system_tables: {
      cluster_config: [{ id: 'heartbeat', heartbeat_timeout_secs: 10 }],
      current_issues: currentIssues(model, side, quorum),
      server_status: side.map((id) => ({
        id: derivedUuid(model.options.seed, 'rethinkdb', id),
        name: serverName(id),
        network: {
          connected_to: Object.fromEntries(
            ids
              .filter((other) => other !== id)
              .map((other) => [serverName(other), side.includes(other)]),
          ),
          time_connected: model.createdAt.toISOString(),
        },
      })),
      table_status: TABLES.map(([db, name]) =>
        tableStatus(model, side, quorum, db, name, leftovers),
      ),
    },
  };
}

/** Names DTR lists the demo's caches under. */
export const HA_CACHE_NAME = 'cache-ha';
export const regionalCacheName = (index: number): string => `cache-region-${index + 1}`;

/**
 * `GET /api/v0/content_caches`: as registered with `POST /api/v0/content_caches {name, host}`.
 * The HA cache once, at its load balancer's address (never a replica's), as the cache HA document
 * registers it; each regional cache at its own node's address.
 */
export function contentCaches(model: DemoModel) {
  const port = model.options.cachePort;
  const ha = model.haCacheNodes.length > 0;
  return [
    ...(ha
      ? [
          {
            id: derivedUuid(model.options.seed, 'cache', 'load-balancer'),
            name: HA_CACHE_NAME,
            host: `http://${CACHE_LB_ADDRESS}:${port}`,
          },
        ]
      : []),
    ...model.regionalCacheNodes.map((node, i) => ({
      id: derivedUuid(model.options.seed, 'cache', node.hostname),
      name: regionalCacheName(i),
      host: `http://${node.address}:${port}`,
    })),
  ];
}
