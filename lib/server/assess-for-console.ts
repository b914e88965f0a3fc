// The console's assessment of a snapshot with its configuration: what /api/status shows and what
// alerting sends, from one place. Takes the runtime's parts, not the runtime, so alerting (started
// while the runtime boots) can use it too.
import 'server-only';
import { assessCluster } from '@/lib/domain/assess';
import type { ClusterSnapshot, Warning } from '@/lib/domain/types';
import { commandOptions } from './command-options';
import { restoreSince } from './history';
import type { Runtime } from './runtime';

export type AssessmentSource = Pick<Runtime, 'config' | 'target' | 'demo'>;

export function assessForConsole(
  snapshot: ClusterSnapshot,
  runtime: AssessmentSource,
): { shown: ClusterSnapshot; warnings: Warning[] } {
  // After a restart, "offline since" comes from history, not from the restart time.
  const shown = restoreSince(snapshot);
  const warnings = assessCluster(shown, {
    now: new Date(snapshot.generatedAt),
    offlineLongMs: runtime.config.offlineLongMs,
    zoneLabel: runtime.config.zoneLabel,
    ucpUrl: runtime.target.ucp?.url ?? null,
    // Commands name a person's admin account: in the demo its `admin`, never the polling account.
    ucpUsername: runtime.demo ? 'admin' : (runtime.target.ucp?.username ?? null),
    ...commandOptions(runtime),
  });
  return { shown, warnings };
}
