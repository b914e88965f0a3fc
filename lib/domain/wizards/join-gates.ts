// The join's placement seeds (DESIGN.md §1): DTR on dedicated workers, no failure zone holding a
// majority of the replicas, and one object store every replica shares.
import { listOf } from '../assess/format';
import { failureZones, whatIfZoneFails, type PlacementInput } from '../placement';
import { failuresTolerated, majority } from '../quorum';
import type { ClusterSnapshot, ReplicaState } from '../types';
import type { Gate } from './gates';
import type { JoinTarget } from './join-targets';

/** An application worker takes a replica only when the person says so. */
export function applicationWorkerGates(target: JoinTarget, targets: readonly JoinTarget[]): Gate[] {
  if (!target.eligible || target.dedicatedBy !== null) return [];
  const dedicated = targets.filter((t) => t.eligible && t.dedicatedBy !== null);
  const host = target.hostname;
  return [
    {
      id: 'application-worker',
      severity: 'block',
      message:
        `${host} looks like an application worker: neither its host name nor a label names it for DTR (dtr or msr). ` +
        'DTR must run on dedicated workers: an application workload competes with DTR for memory, CPU and disk, and one node failure then costs both the applications and a replica. ' +
        (dedicated.length > 0
          ? `Pick a dedicated DTR node instead (${listOf(dedicated.map((t) => t.hostname))}). `
          : '') +
        `If ${host} is set aside for DTR, label it (docker node update --label-add dtr=true ${host}) and the console counts it as dedicated.`,
      acknowledge: `Run the replica on application worker ${host}: I accept that its workloads compete with DTR and that losing the node costs both.`,
    },
  ];
}

const NEW_REPLICA = 'the new replica';

/** The replica the join adds, as the what-if sees it: on the target, counted up. */
function newcomer(status: ClusterSnapshot, hostname: string): ReplicaState {
  return {
    id: NEW_REPLICA,
    node: hostname,
    status: 'healthy',
    error: null,
    latencyMs: null,
    since: status.generatedAt,
    checkedAt: status.generatedAt,
    httpPort: 0,
    httpsPort: 0,
    address: null,
    ping: null,
    clusterHealth: null,
    lastReport: null,
    readonly: null,
    verdict: {
      evidence: { console: 'not-probed', cluster: 'silent', inventory: 'ready' },
      reason: 'the replica this join would add',
    },
    quorumVote: 'up',
  };
}

/**
 * Would one failure zone hold a majority of the replicas after the join, so that losing it loses
 * DTR's quorum? Judged by the overview's own what-if on the cluster with the new replica in it.
 * Says nothing when the target has no zone label, when the nodes name fewer than two zones, or
 * for 1 or 2 replicas (no placement survives a loss there; the size gates say so).
 */
export function zoneGates(
  status: ClusterSnapshot,
  target: JoinTarget,
  targets: readonly JoinTarget[],
  zoneLabel: string,
): Gate[] {
  if (!target.eligible || target.zone === null) return [];
  const before = status.dtr.replicas;
  const after: PlacementInput = {
    ...status,
    dtr: { ...status.dtr, replicas: [...before, newcomer(status, target.hostname)] },
  };
  const n = after.dtr.replicas.length;
  if (failuresTolerated(n) === 0) return [];
  const zones = failureZones(after, zoneLabel);
  if (zones.length < 2) return [];
  const zoneOf = new Map(status.ucp.nodes.map((node) => [node.hostname, node.labels[zoneLabel]]));
  const countIn = (zone: string) => before.filter((r) => zoneOf.get(r.node) === zone).length;
  const need = majority(n);
  // A zone may hold at most this many: with 4 replicas, half is already too many.
  const most = n - need;

  const sentences = zones.flatMap((zone): string[] => {
    const impact = whatIfZoneFails(after, zone, zoneLabel);
    const held = after.dtr.replicas.filter((r) => impact.lost.includes(r.id)).length;
    // The what-if decides; the count keeps replicas already down elsewhere out of it.
    if (impact.dtr.margin >= 0 || held <= most) return [];
    const losing = `losing that zone would leave ${n - held} of ${n}, fewer than the ${need} DTR needs, and the registry would stop.`;
    const where = `${zoneLabel}=${zone}`;
    if (target.zone === zone && countIn(zone) <= most) {
      // This join makes it so: name workers in zones that would stay within bounds.
      const better = targets
        .filter((t) => t.eligible && t.zone !== null && t.zone !== zone)
        .filter((t) => countIn(t.zone as string) + 1 <= most)
        .slice(0, 3)
        .map((t) => `${t.hostname} (zone ${t.zone})`);
      return [
        `Joining on ${target.hostname} puts ${held} of ${n} replicas in zone ${zone} (${where}): ${losing} ` +
          (better.length > 0
            ? `Pick a worker in another zone, such as ${listOf(better)}.`
            : 'No eligible worker in another zone would avoid it: add one, or accept the risk.'),
      ];
    }
    // Wherever the new replica goes, this zone keeps too many.
    return [
      `Zone ${zone} (${where}) would still hold ${held} of ${n} replicas after this join: ${losing} ` +
        `No node choice fixes that now: once this join is done, remove a replica in zone ${zone} and join one in another zone, one change at a time.`,
    ];
  });
  return sentences.length > 0
    ? [{ id: 'zone-concentration', severity: 'warn', message: sentences.join(' ') }]
    : [];
}

/**
 * Growing past one replica needs an object store both share: a second replica cannot serve the
 * images on the first one's own disk. NFS in DTR's settings is known to be shared; a storage
 * volume may or may not be, and cloud storage set up in DTR's web UI never shows there, so the
 * console asks instead of guessing.
 */
export function sharedStorageGates(status: ClusterSnapshot): Gate[] {
  if (status.dtr.replicas.length !== 1) return [];
  const storage = status.dtr.storage ?? null;
  if (storage?.kind === 'nfs') return [];
  const seen =
    storage === null
      ? 'The console has not read where DTR stores images.'
      : storage.kind === 'volume'
        ? `DTR's settings name the storage volume ${storage.volume} (--dtr-storage-volume): a volume or path of that name on each node, shared only if it is a mount of the same storage on every DTR node.`
        : 'DTR’s settings name no NFS storage and no storage volume: images are on the replica’s own local volume, unless cloud storage was set up in DTR’s web UI, which the settings do not show.';
  return [
    {
      id: 'shared-storage',
      severity: 'block',
      message:
        'DTR replicas must share one object store (S3, Azure, GCS, Swift, OSS or NFS): a second replica cannot serve images kept on the first one’s disk. ' +
        `${seen} If they are on local storage, move them to shared storage first in DTR’s System → Storage settings, then join.`,
      acknowledge:
        'DTR stores images on shared storage (S3, Azure, GCS, Swift, OSS or NFS) that every DTR node reaches.',
    },
  ];
}
