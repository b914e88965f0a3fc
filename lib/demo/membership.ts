// Join, remove and emergency-repair checks, refusing what the docker/dtr tool would refuse.
import { dtrHasQuorum } from './dtr-views';
import { DemoInputError } from './faults';
import type { DemoModel } from './model';
import { deriveReplicaId, type DemoReplica } from './topology';

export interface JoinReplicaRequest {
  /** Hostname of the UCP worker to run the new replica on. */
  node: string;
  /** 12 lowercase hex characters; derived from the seed when left out. */
  replicaId?: string;
  /** Own HTTP port; the port shared by the other replicas when left out. */
  httpPort?: number;
}

const REPLICA_ID = /^[0-9a-f]{12}$/;

function refuse(message: string): never {
  throw new DemoInputError('OPERATION_REFUSED', message);
}

function invalid(message: string): never {
  throw new DemoInputError('INVALID_REQUEST', message);
}

function requireQuorum(model: DemoModel, action: string): void {
  if (!dtrHasQuorum(model)) {
    refuse(
      `Cannot ${action}: the DTR cluster has lost quorum. Run emergency-repair on one replica first.`,
    );
  }
}

/** Why a replica would fail the tool's health pre-check, or null when healthy. */
export function replicaProblem(model: DemoModel, id: string): string | null {
  if (!model.replicaIsUp(id)) return 'it is not running';
  switch (model.faultOf(id)) {
    case 'hang':
      return 'it does not respond';
    case 'error':
      return 'its health check fails';
    case 'garbage':
      return 'its health check returns an invalid response';
    case 'stale':
      return 'it has not reported its health recently';
    case 'partition':
      return 'it is disconnected from the other replicas';
    default:
      return null;
  }
}

/** Validates a join and picks the new replica's ID; throws DemoInputError when refused. */
export function planJoin(model: DemoModel, request: JoinReplicaRequest): DemoReplica {
  const node = model.node(request.node);
  if (!node) invalid(`No node named "${request.node}"`);
  if (node.role !== 'worker')
    refuse(`${node.hostname} is a UCP manager; DTR replicas run on UCP workers`);
  if (node.tier === 'cache')
    refuse(`${node.hostname} runs a DTR content cache; choose another worker`);
  if (!model.nodeIsUp(node.hostname)) refuse(`${node.hostname} is down`);
  const existing = model.replicaOnNode(node.hostname);
  if (existing) refuse(`${node.hostname} already runs replica ${existing.id}`);
  if (
    request.httpPort !== undefined &&
    (!Number.isInteger(request.httpPort) || request.httpPort < 1 || request.httpPort > 65535)
  ) {
    invalid(`httpPort must be a whole number from 1 to 65535, got ${request.httpPort}`);
  }
  const taken = new Set(model.replicas.map((replica) => replica.id));
  if (request.replicaId !== undefined) {
    if (!REPLICA_ID.test(request.replicaId))
      invalid(`Replica ID must be 12 lowercase hex characters, got "${request.replicaId}"`);
    if (taken.has(request.replicaId)) refuse(`Replica ID ${request.replicaId} is already in use`);
  }
  requireQuorum(model, 'join a replica');
  return {
    id: request.replicaId ?? deriveReplicaId(model.options.seed, `join-${node.hostname}`, taken),
    node: node.hostname,
    httpPort: request.httpPort ?? null,
  };
}

/** Validates a graceful remove: every other replica must be healthy, as the tool checks. */
export function checkRemove(model: DemoModel, replicaIds: readonly string[]): string[] {
  const ids = [...new Set(replicaIds)];
  if (ids.length === 0) invalid('Name at least one replica to remove');
  const unknown = ids.filter((id) => !model.replica(id));
  if (unknown.length > 0) invalid(`No replica with ID ${unknown.join(', ')}`);
  const remaining = model.replicas.filter((replica) => !ids.includes(replica.id));
  if (remaining.length === 0)
    refuse('Cannot remove every replica: at least one must remain to run the remove from');
  requireQuorum(model, 'remove replicas');
  for (const replica of remaining) {
    const problem = replicaProblem(model, replica.id);
    if (problem) {
      refuse(
        `Replica ${replica.id} on ${replica.node} is unhealthy (${problem}); every other replica must be healthy ` +
          'to remove replicas gracefully. Remove it too, or fix it first.',
      );
    }
  }
  return ids;
}

export function checkEmergencyRepair(model: DemoModel, keepReplicaId: string): void {
  const replica = model.replica(keepReplicaId);
  if (!replica) invalid(`No replica with ID ${keepReplicaId}`);
  if (!model.nodeIsUp(replica.node))
    refuse(`${replica.node}, the node of replica ${replica.id}, is down`);
  if (!model.replicaIsUp(replica.id))
    refuse(`Replica ${replica.id} is not running; choose a replica whose containers are up`);
}

/** The cluster shrinks to the kept replica, which comes back healthy. */
export function applyEmergencyRepair(model: DemoModel, keepReplicaId: string): void {
  model.dropReplicas(
    model.replicas.filter((replica) => replica.id !== keepReplicaId).map((replica) => replica.id),
  );
  model.clearFault(keepReplicaId);
}
