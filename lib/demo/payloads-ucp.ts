// UCP payloads: the Engine API node list (fixtures/ucp-nodes.json), containers, accounts, CA.
import { digest, derivedUuid, type DemoNode, type DemoUser } from './topology';
import type { DemoModel } from './model';

export const UCP_NO_LEADER_ERROR =
  "rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";
export const UCP_MANAGER_ERROR =
  'Unhealthy UCP manager: ucp-kv: etcd cluster is unavailable or misconfigured';
const UCP_VERSION = '3.3.16';
const ENGINE_VERSION = '20.10.13';

/** A static self-signed CA standing in for the UCP client root CA. */
export const UCP_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBnzCCAUWgAwIBAgIUGpempjwOPowuOV/S8qhm3fNN7PAwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSVUNQIENsaWVudCBSb290IENBMB4XDTI2MTEyMjAwMzk0OFoX
DTM2MTExOTAwMzk0OFowHTEbMBkGA1UEAwwSVUNQIENsaWVudCBSb290IENBMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEM1geWXCIXfPzginah69awE6PxWahd/7S
RUXSorlR2+9ba0rRF0HluogXl0JJ2Q6+AUI7BSLQPawL+eVSOJVS2aNjMGEwHQYD
VR0OBBYEFKflnwf8qN1V2nw9H+Fd0i++ODFcMB8GA1UdIwQYMBaAFKflnwf8qN1V
2nw9H+Fd0i++ODFcMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoG
CCqGSM49BAMCA0gAMEUCIQDO1ckKPvbph5nIw9F9G/G4VIPi/207+bP64bHmJyWi
XwIgZ61qaj6ONnLkTxZJ+ipYs5XGfVH8PlUolp4/wGOfDh4=
-----END CERTIFICATE-----
`;

/** Engine API timestamps carry nanoseconds. */
function engineTime(instant: Date): string {
  return instant.toISOString().replace(/Z$/, '000000Z');
}

function statusMessage(model: DemoModel, node: DemoNode, up: boolean): string {
  if (node.role === 'worker') return up ? 'Healthy UCP worker' : 'heartbeat failure';
  if (!up) return 'Unhealthy UCP manager: node is unreachable';
  return model.faultOf(node.hostname) === 'error' ? UCP_MANAGER_ERROR : 'Healthy UCP manager';
}

function nodeEntry(model: DemoModel, node: DemoNode) {
  const up = model.nodeIsUp(node.hostname);
  const leader = model.leader === node.hostname;
  const revision = model.nodeRevision(node.hostname);
  return {
    ID: node.id,
    Version: { Index: revision.index },
    CreatedAt: engineTime(model.createdAt),
    UpdatedAt: engineTime(revision.updatedAt),
    Spec: { Labels: node.labels, Role: node.role, Availability: 'active' },
    Description: {
      Hostname: node.hostname,
      Platform: { Architecture: 'x86_64', OS: 'linux' },
      Resources: { NanoCPUs: node.nanoCpus, MemoryBytes: node.memoryBytes },
      Engine: { EngineVersion: ENGINE_VERSION, Labels: {}, Plugins: [] },
    },
    Status: {
      State: up ? 'ready' : 'down',
      Message: statusMessage(model, node, up),
      Addr: leader ? '0.0.0.0' : node.address,
    },
    ...(node.role === 'manager' && {
      ManagerStatus: {
        Leader: leader,
        Reachability: up ? 'reachable' : 'unreachable',
        Addr: `${node.address}:2377`,
      },
    }),
  };
}

const nodesCache = new WeakMap<DemoModel, { version: number; body: string }>();

/** `GET /nodes` as a JSON text, rebuilt only when the model changes (it can list thousands of nodes). */
export function ucpNodesBody(model: DemoModel): string {
  const cached = nodesCache.get(model);
  if (cached?.version === model.version) return cached.body;
  // A node removed from the swarm (a ghost replica's) is no longer listed.
  const body = JSON.stringify(
    model.nodes
      .filter((node) => !model.nodeGone(node.hostname))
      .map((node) => nodeEntry(model, node)),
  );
  nodesCache.set(model, { version: model.version, body });
  return body;
}

export function ucpAccount(user: DemoUser) {
  return {
    name: user.username,
    id: derivedUuid('account', user.username),
    fullName: user.isAdmin ? 'Demo Administrator' : 'Demo Viewer',
    isOrg: false,
    isAdmin: user.isAdmin,
    isActive: true,
    isImported: false,
  };
}

export interface ContainerQuery {
  all: boolean;
  /** Docker's `name` filter: a container matches when its name contains any of them. */
  names: string[];
}

function container(
  model: DemoModel,
  node: string,
  name: string,
  image: string,
  running: boolean,
  stoppedAt: Date | null,
) {
  const minutes = stoppedAt
    ? Math.max(1, Math.round((model.now().getTime() - stoppedAt.getTime()) / 60_000))
    : 0;
  return {
    Id: digest('container', node, name),
    Names: [`/${node}/${name}`],
    Image: image,
    ImageID: `sha256:${digest('image', image)}`,
    Command: '/bin/entrypoint',
    Created: Math.floor(model.createdAt.getTime() / 1000),
    Ports: [],
    Labels: { 'com.docker.swarm.node': node },
    State: running ? 'running' : 'exited',
    Status: running
      ? 'Up 4 weeks'
      : `Exited (137) ${minutes} minute${minutes === 1 ? '' : 's'} ago`,
    HostConfig: { NetworkMode: 'default' },
    Mounts: [],
  };
}

const DTR_COMPONENTS: readonly [name: string, image: string][] = [
  ['api', 'dtr-api'],
  ['nginx', 'dtr-nginx'],
  ['registry', 'dtr-registry'],
  ['rethinkdb', 'dtr-rethink'],
];

/** `GET /containers/json`: DTR and UCP controller containers; exited ones only with `all`. */
export function ucpContainers(model: DemoModel, query: ContainerQuery) {
  const { dtrVersion } = model.options;
  const list = [
    ...model.managers.map((node) =>
      container(
        model,
        node.hostname,
        'ucp-controller',
        `docker/ucp-controller:${UCP_VERSION}`,
        model.nodeIsUp(node.hostname),
        model.fault(node.hostname)?.since ?? null,
      ),
    ),
    ...model.replicas.flatMap((replica) => {
      // A node removed from the swarm takes its containers out of UCP's listing.
      if (model.nodeGone(replica.node)) return [];
      const running = model.replicaIsUp(replica.id);
      const stoppedAt = model.replicaDownSince(replica.id);
      const version =
        model.faultOf(replica.id) === 'version-skew' ? olderVersion(dtrVersion) : dtrVersion;
      return DTR_COMPONENTS.map(([component, image]) =>
        container(
          model,
          replica.node,
          `dtr-${component}-${replica.id}`,
          `docker/${image}:${version}`,
          running,
          stoppedAt,
        ),
      );
    }),
  ];
  return list.filter(
    (c) =>
      (query.all || c.State === 'running') &&
      (query.names.length === 0 ||
        query.names.some((part) => c.Names.some((name) => name.includes(part)))),
  );
}

/** The release before `version` (2.9.16 → 2.9.15, 2.9.0 → 2.8.0), for the `version-skew` fault. */
export function olderVersion(version: string): string {
  const parts = version.split('.').map((part) => Number.parseInt(part, 10));
  if (parts.length < 2 || parts.some((n) => !Number.isInteger(n) || n < 0)) return `${version}-old`;
  const [major = 0, minor = 0, patch = 0] = parts;
  if (patch > 0) return `${major}.${minor}.${patch - 1}`;
  if (minor > 0) return `${major}.${minor - 1}.0`;
  return `${Math.max(major - 1, 0)}.0.0`;
}
