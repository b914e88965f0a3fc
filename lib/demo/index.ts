// The embedded demo cluster (DESIGN.md §6): UCP managers, DTR replicas and caches on loopback.
import { DemoAuth, defaultUsers } from './auth';
import { createTestCa } from './certificates';
import { describeCluster, type DemoDescription } from './describe';
import { DemoInputError, type FaultKind } from './faults';
import {
  applyEmergencyRepair,
  checkEmergencyRepair,
  checkRemove,
  planJoin,
  type JoinReplicaRequest,
} from './membership';
import { DemoModel } from './model';
import { MembershipScheduler, type DemoOperation } from './operations';
import { DemoServers, type DemoRequestCounts } from './servers';
import {
  CACHE_LB_ADDRESS,
  resolveOptions,
  type DemoClusterOptions,
  type DemoUser,
  type ResolvedDemoOptions,
} from './topology';

export {
  DemoInputError,
  FAULT_KINDS,
  type DemoErrorCode,
  type DemoMemberKind,
  type FaultKind,
} from './faults';
export type { DemoClusterOptions, DemoUser, ResolvedDemoOptions } from './topology';
export type { JoinReplicaRequest } from './membership';
export type { DemoOperation, DemoOperationKind } from './operations';
export type { DemoDescription, DemoMemberDescription, DemoReplicaDescription } from './describe';
export type { DemoRequestCounts } from './servers';

/**
 * A running demo cluster. Methods throw DemoInputError synchronously on bad input; the promises
 * they return settle once the servers reflect the change.
 */
export interface DemoCluster {
  /** The first manager; every manager answers UCP at its own address on the same port. */
  readonly ucpUrl: string;
  /** With `tls: true`, the PEM of the throwaway CA that signed the managers' certificate. */
  readonly ucpCa: string | null;
  readonly managerUrls: readonly string[];
  /** The first current replica (there is no load balancer in front of the replicas). */
  readonly dtrUrl: string;
  /**
   * Hosts outside the node list the console may probe (PROBE_ALLOWED_HOSTS): the HA cache's load
   * balancer, whose address DTR lists as the cache's host.
   */
  readonly probeAllowedHosts: readonly string[];
  readonly users: readonly DemoUser[];
  readonly options: ResolvedDemoOptions;
  setFault(target: string, kind: FaultKind): Promise<void>;
  /** Initial topology, no faults; cancels a pending membership change. Tokens stay valid. */
  reset(): Promise<void>;
  /** Every UCP token stops working, so clients must log in again. */
  expireTokens(): void;
  joinReplica(request: JoinReplicaRequest): DemoOperation;
  removeReplicas(replicaIds: readonly string[]): DemoOperation;
  emergencyRepair(keepReplicaId: string): DemoOperation;
  describe(): DemoDescription;
  /** Requests received per member (replica ID or hostname) and path. */
  counters(): DemoRequestCounts;
  close(): Promise<void>;
}

export interface StartDemoClusterOptions extends DemoClusterOptions {
  /** Users added to the demo users (e.g. a service account for the console's own polling). */
  extraUsers?: DemoUser[];
  /**
   * Serve UCP over HTTPS, as real UCP does, with a certificate from a fresh throwaway CA (see
   * `ucpCa`) that names every manager's loopback address, 127.0.0.1 and localhost.
   */
  tls?: boolean;
}

/** The returned promise settles when `effect` does; unawaited failures are not unhandled. */
function settled(effect: Promise<void>): Promise<void> {
  effect.catch(() => undefined);
  return effect;
}

export async function startDemoCluster(
  options: StartDemoClusterOptions = {},
): Promise<DemoCluster> {
  const { users, extraUsers = [], tls = false, ...topology } = options;
  const model = new DemoModel(resolveOptions(topology));
  const auth = new DemoAuth([...(users ?? defaultUsers()), ...extraUsers]);
  const ca = tls ? createTestCa('Demo UCP throwaway CA') : null;
  const ucpTls = ca?.server({
    ips: [...model.managers.map((node) => node.address), '127.0.0.1'],
    dns: ['localhost'],
  });
  const scheme = ucpTls ? 'https' : 'http';
  const servers = new DemoServers({ model, auth, ...(ca ? { ucpCa: ca.ca } : {}) }, ucpTls);
  const scheduler = new MembershipScheduler(model.options.applyDelayMs);
  try {
    await servers.start();
  } catch (error) {
    await servers.close();
    throw error;
  }
  const { ucpPort } = model.options;
  const managerUrls = model.managers.map((node) => `${scheme}://${node.address}:${ucpPort}`);
  let closed = false;

  const assertOpen = () => {
    if (closed) throw new DemoInputError('OPERATION_REFUSED', 'The demo cluster is closed');
  };

  return {
    ucpUrl: managerUrls[0] ?? '',
    ucpCa: ca?.ca ?? null,
    managerUrls,
    get dtrUrl() {
      const first = model.replicas[0];
      return first ? `http://${model.replicaAddress(first)}:${model.httpPort(first)}` : '';
    },
    probeAllowedHosts: model.haCacheNodes.length > 0 ? [CACHE_LB_ADDRESS] : [],
    users: auth.users,
    get options() {
      return model.options;
    },
    setFault(target, kind) {
      assertOpen();
      model.setFault(target, kind);
      return settled(servers.reconcile());
    },
    reset() {
      assertOpen();
      scheduler.cancel('Cancelled: the demo cluster was reset');
      model.reset();
      return settled(servers.reconcile());
    },
    expireTokens: () => auth.expireTokens(),
    joinReplica(request) {
      assertOpen();
      const replica = planJoin(model, request);
      return scheduler.schedule(
        'join',
        [replica.id],
        () => planJoin(model, { ...request, replicaId: replica.id }),
        async () => {
          model.addReplica(replica);
          try {
            await servers.reconcile();
          } catch (error) {
            model.dropReplicas([replica.id]);
            await servers.reconcile();
            throw error;
          }
        },
      );
    },
    removeReplicas(replicaIds) {
      assertOpen();
      const ids = checkRemove(model, replicaIds);
      return scheduler.schedule(
        'remove',
        ids,
        () => checkRemove(model, ids),
        async () => {
          model.dropReplicas(ids);
          await servers.reconcile();
        },
      );
    },
    emergencyRepair(keepReplicaId) {
      assertOpen();
      checkEmergencyRepair(model, keepReplicaId);
      return scheduler.schedule(
        'emergency-repair',
        [keepReplicaId],
        () => checkEmergencyRepair(model, keepReplicaId),
        async () => {
          applyEmergencyRepair(model, keepReplicaId);
          await servers.reconcile();
        },
      );
    },
    describe: () => describeCluster(model, scheme),
    counters: () => servers.counters(),
    async close() {
      if (closed) return;
      closed = true;
      scheduler.cancel('Cancelled: the demo cluster was closed');
      await servers.close();
    },
  };
}
