// What each DTR replica can see of the others, following from the members' faults.
import { majority } from '../domain/quorum';
import type { ActiveFault, DemoModel } from './model';

/** A stale replica's last report is backdated this far, so it reads as old at once. */
export const STALE_BACKDATE_MS = 15 * 60_000;
/** After this long without a report, cluster_status says "replica reported health too long ago". */
export const REPORT_STALE_AFTER_MS = 60_000;

/** Replicas running and not partitioned: the side that can form a quorum. */
export function connectedReplicas(model: DemoModel): string[] {
  return model.replicas
    .map((replica) => replica.id)
    .filter((id) => model.replicaIsUp(id) && model.faultOf(id) !== 'partition');
}

/** Replicas the viewer can reach, itself included. */
export function sideOf(model: DemoModel, viewerId: string): ReadonlySet<string> {
  return new Set(model.faultOf(viewerId) === 'partition' ? [viewerId] : connectedReplicas(model));
}

export function viewHasQuorum(model: DemoModel, viewerId: string): boolean {
  return sideOf(model, viewerId).size >= majority(model.replicas.length);
}

/** Some side of the cluster holds a majority (a partitioned replica is a side of one). */
export function dtrHasQuorum(model: DemoModel): boolean {
  const partitioned = model.replicas.some((replica) => model.faultOf(replica.id) === 'partition');
  const largestSide = Math.max(connectedReplicas(model).length, partitioned ? 1 : 0);
  return largestSide >= majority(model.replicas.length);
}

/** When `subject` last reported its health, as `viewer` sees it: frozen once it cannot report. */
export function lastReport(model: DemoModel, subjectId: string, viewerId: string): Date {
  const downSince = model.replicaDownSince(subjectId);
  if (downSince) return downSince;
  const fault = model.fault(subjectId);
  if (fault?.kind === 'stale') return new Date(fault.since.getTime() - STALE_BACKDATE_MS);
  // A hung replica's API stops writing its self-report: the cluster notices a minute later.
  if (fault?.kind === 'hang') return fault.since;
  if (subjectId !== viewerId) {
    const cuts = [subjectId, viewerId]
      .map((id) => model.fault(id))
      .filter((f): f is ActiveFault => f?.kind === 'partition')
      .map((f) => f.since.getTime());
    if (cuts.length > 0) return new Date(Math.min(...cuts));
  }
  return model.now();
}
