// Bringing a replica back from the console (EXECUTE=on): start the dtr-* containers UCP lists as
// stopped, on the replica's own node. Pure: what may be started, judged on a fresh snapshot.
import { containerName, isComponent } from '../advice/commands';
import { REPLICA_ID } from '../commands';
import type { ClusterSnapshot } from '../types';

export interface BringBackPlan {
  replicaId: string;
  node: string;
  /** `dtr-<component>-<replica id>`, the containers to start. */
  containers: string[];
}

export type BringBackResult = { ok: true; plan: BringBackPlan } | { ok: false; reason: string };

export function planBringBack(snapshot: ClusterSnapshot, replicaId: string): BringBackResult {
  if (!REPLICA_ID.test(replicaId))
    return { ok: false, reason: 'A replica ID is 12 lowercase hex characters.' };
  const replica = snapshot.dtr.replicas.find((r) => r.id === replicaId);
  if (!replica)
    return { ok: false, reason: `There is no replica ${replicaId} in the replica list.` };
  if (replica.status === 'healthy')
    return { ok: false, reason: `Replica ${replicaId} is up: there is nothing to start.` };
  if (replica.status === 'ghost')
    return {
      ok: false,
      reason: `Replica ${replicaId} is in the replica list but has no containers on any node: there is nothing to start. Remove it instead.`,
    };
  const node = snapshot.ucp.nodes.find((n) => n.hostname === replica.node);
  if (node && node.state !== 'ready')
    return {
      ok: false,
      reason: `Replica ${replicaId}’s node ${replica.node} is ${node.state}: its containers start again with the node or its Docker engine, which the console cannot bring back. Power it on or restart its engine.`,
    };
  const stopped = (replica.containers?.stopped ?? []).filter(isComponent);
  if (stopped.length === 0)
    return {
      ok: false,
      reason: `UCP lists no stopped dtr-* container of replica ${replicaId}, so the console does not know what to start. Look at its containers first (the first step of the advice).`,
    };
  return {
    ok: true,
    plan: {
      replicaId,
      node: replica.node,
      containers: stopped.map((component) => containerName(component, replicaId)),
    },
  };
}
