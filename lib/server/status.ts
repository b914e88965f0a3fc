// Builds the GET /api/status document: the monitor's latest snapshot plus the assessment.
import 'server-only';
import { assessCluster } from '@/lib/domain/assess';
import type { ClusterSnapshot, ClusterStatus } from '@/lib/domain/types';
import { restoreSince } from './history';
import { getRuntime, type Runtime } from './runtime';

const assessed = new WeakMap<ClusterSnapshot, ClusterStatus>();

export function statusOf(snapshot: ClusterSnapshot, runtime: Runtime): ClusterStatus {
  const cached = assessed.get(snapshot);
  if (cached) return cached;
  // After a restart, "offline since" comes from history, not from the restart time.
  const shown = restoreSince(snapshot);
  const warnings = assessCluster(shown, {
    now: new Date(snapshot.generatedAt),
    offlineLongMs: runtime.config.offlineLongMs,
    zoneLabel: runtime.config.zoneLabel,
    ucpUrl: runtime.target.ucp?.url ?? null,
    // Commands name a person's admin account: in the demo its `admin`, never the polling account.
    ucpUsername: runtime.demo ? 'admin' : (runtime.target.ucp?.username ?? null),
    dtrVersion: snapshot.dtr.version,
  });
  const status: ClusterStatus = { ...shown, warnings, zoneLabel: runtime.config.zoneLabel };
  assessed.set(snapshot, status);
  return status;
}

const serialised = new WeakMap<ClusterStatus, string>();

/** The status as JSON, serialised once per snapshot however many clients ask (2,000 nodes ≈ 1 MB). */
export async function getClusterStatusJson(): Promise<string> {
  const status = await getClusterStatus();
  let json = serialised.get(status);
  if (json === undefined) {
    json = JSON.stringify(status);
    serialised.set(status, json);
  }
  return json;
}

export async function getClusterStatus(): Promise<ClusterStatus> {
  const runtime = await getRuntime();
  const snapshot = runtime.monitor.latest() ?? (await runtime.monitor.pollNow());
  return statusOf(snapshot, runtime);
}
