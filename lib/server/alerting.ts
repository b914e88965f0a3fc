// Alerting in the server process: started where history is (the instance that polls), stopped
// when it steps down or shuts down. Kept on globalThis like the history hook, because Next
// bundles routes separately. See lib/alerts/service.ts for the loop itself.
import 'server-only';
import type { Config } from '@/lib/config';
import { loadAlertingConfig, type AlertingConfig } from '@/lib/config/alerts';
import type { SnapshotFeed } from '@/lib/monitor/feed';
import type { Store } from '@/lib/store';
import { startAlerting, type Alerting } from '@/lib/alerts/service';
import { assessForConsole, type AssessmentSource } from './assess-for-console';

const ALERTING = Symbol.for('dtr-ha-console.alerting');
type AlertingGlobal = typeof globalThis & {
  [ALERTING]?: { config: AlertingConfig; running: Promise<Alerting | null> | null };
};

function clusterNameOf(config: Config): string {
  if (config.mode === 'demo') return 'demo';
  const url = config.ucp?.url ?? config.dockerHost ?? '';
  try {
    return new URL(url).hostname || 'cluster';
  } catch {
    return 'cluster';
  }
}

/** Reads the ALERT_* configuration at boot, so a mistake stops start-up like any other. */
export function loadConsoleAlerting(config: Config): AlertingConfig {
  const alerting = loadAlertingConfig({
    port: config.port,
    pollIntervalMs: config.pollIntervalMs,
    clusterName: clusterNameOf(config),
  });
  (globalThis as AlertingGlobal)[ALERTING] = { config: alerting, running: null };
  return alerting;
}

/** The alerting configuration read at boot (the /alerts page and API read timing and URLs here). */
export function consoleAlertingConfig(): AlertingConfig | null {
  return (globalThis as AlertingGlobal)[ALERTING]?.config ?? null;
}

/** Starts the alerting loop on this (polling) instance; failures are logged, never thrown. */
export async function startConsoleAlerting(
  feed: SnapshotFeed,
  store: Store,
  parts: AssessmentSource & { sessionSecret: string },
): Promise<void> {
  const g = globalThis as AlertingGlobal;
  const slot = g[ALERTING];
  if (!slot) return;
  await stopConsoleAlerting();
  slot.running = startAlerting({
    alerts: store.alerts,
    feed,
    // The warnings /api/status shows for the snapshot.
    assess: (snapshot) => assessForConsole(snapshot, parts).warnings,
    config: slot.config,
    sessionSecret: parts.sessionSecret,
  }).catch((error: unknown) => {
    console.warn(
      `DTR HA Console: alerting did not start (${error instanceof Error ? error.message : String(error)}); no notifications are sent`,
    );
    return null;
  });
  await slot.running;
}

export async function stopConsoleAlerting(): Promise<void> {
  const slot = (globalThis as AlertingGlobal)[ALERTING];
  const running = slot?.running;
  if (!slot || !running) return;
  slot.running = null;
  await (await running)?.stop();
}
