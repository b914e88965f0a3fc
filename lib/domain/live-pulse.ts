// The per-poll "pulse" of GET /api/events: the fields that move on every poll without anything
// having happened (times and latencies), so a page fed by the stream shows honest ages between
// snapshot events. Pure; built on the server, applied in the browser.
import type { ClusterSnapshot, ClusterStatus, Instant } from '@/lib/domain/types';
import type { Operation } from './json-patch';

interface ProbeTimes {
  checkedAt: Instant;
  latencyMs: number | null;
}

export interface LivePulse {
  generatedAt: Instant;
  sources: ClusterSnapshot['sources'];
  /** By replica ID: the judged state's times, its last self-report, then its own /_ping's. */
  replicas: Record<
    string,
    {
      checkedAt: Instant;
      latencyMs: number | null;
      latencyMedianMs: number | null;
      lastReport: Instant | null;
      /** null: not probed. */
      ping: ProbeTimes | null;
    }
  >;
  /** The cluster view's replica_timestamp (self-reports move every minute or so). */
  replicaTimestamp: Record<string, Instant> | null;
  /** By node ID: each probed manager's /_ping times. */
  managers: Record<string, ProbeTimes>;
}

/** Data of a `pulse` event: the times, and the seq of the document they apply to. */
export type PulseEventData = LivePulse & { from: string };

/**
 * Data of a `patch` event: `pulse` (the poll's times, applied first with applyPulse) then `ops`
 * (RFC 6902) turn the document at seq `from` into the one at the event's id.
 */
export interface PatchEventData {
  from: string;
  pulse?: LivePulse;
  ops: Operation[];
}

export function pulseOf(snapshot: ClusterSnapshot): LivePulse {
  const replicas: LivePulse['replicas'] = {};
  for (const r of snapshot.dtr.replicas) {
    replicas[r.id] = {
      checkedAt: r.checkedAt,
      latencyMs: r.latencyMs,
      latencyMedianMs: r.latencyMedianMs ?? null,
      lastReport: r.lastReport,
      ping: r.ping ? { checkedAt: r.ping.checkedAt, latencyMs: r.ping.latencyMs } : null,
    };
  }
  const managers: LivePulse['managers'] = {};
  for (const node of snapshot.ucp.nodes) {
    const ping = node.manager?.ping;
    if (ping) managers[node.id] = { checkedAt: ping.checkedAt, latencyMs: ping.latencyMs };
  }
  return {
    generatedAt: snapshot.generatedAt,
    sources: snapshot.sources,
    replicas,
    replicaTimestamp: snapshot.dtr.clusterView?.replicaTimestamp ?? null,
    managers,
  };
}

/**
 * `status` with the pulse's times, or `status` itself when the pulse is not newer. Objects the
 * pulse does not touch keep their identity, so memoised views of them stay valid.
 */
export function applyPulse<T extends ClusterStatus>(status: T, pulse: LivePulse): T {
  if (Date.parse(pulse.generatedAt) <= Date.parse(status.generatedAt)) return status;
  const replicas = status.dtr.replicas.map((r) => {
    const times = pulse.replicas[r.id];
    if (!times) return r;
    const { ping, ...rest } = times;
    // Keys the document lacks stay absent (not `undefined`): a JSON Patch over it must agree.
    return r.ping && ping ? { ...r, ...rest, ping: { ...r.ping, ...ping } } : { ...r, ...rest };
  });
  const touchesNodes = status.ucp.nodes.some((n) => n.manager?.ping && pulse.managers[n.id]);
  const nodes = touchesNodes
    ? status.ucp.nodes.map((n) => {
        const times = pulse.managers[n.id];
        return times && n.manager?.ping
          ? { ...n, manager: { ...n.manager, ping: { ...n.manager.ping, ...times } } }
          : n;
      })
    : status.ucp.nodes;
  return {
    ...status,
    generatedAt: pulse.generatedAt,
    sources: pulse.sources,
    dtr: {
      ...status.dtr,
      replicas,
      ...(status.dtr.clusterView && pulse.replicaTimestamp
        ? { clusterView: { ...status.dtr.clusterView, replicaTimestamp: pulse.replicaTimestamp } }
        : {}),
    },
    ucp: touchesNodes ? { ...status.ucp, nodes } : status.ucp,
  };
}
