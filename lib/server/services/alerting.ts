// Alerting in the server process: the runtime owns one ConsoleAlerting, started where history is
// (the instance that polls) and stopped when it steps down or shuts down. The loop itself is
// lib/alerts/service.ts.
import 'server-only';
import type { Config } from '@/lib/config';
import { loadAlertingConfig, type AlertingConfig } from '@/lib/config/alerts';
import type { Warning, ClusterSnapshot } from '@/lib/domain/types';
import type { SnapshotFeed } from '@/lib/monitor/feed';
import type { Store } from '@/lib/store';
import { startAlerting, type Alerting } from '@/lib/alerts/service';

function clusterNameOf(config: Config): string {
  if (config.mode === 'demo') return 'demo';
  const url = config.ucp?.url ?? config.dockerHost ?? '';
  try {
    return new URL(url).hostname || 'cluster';
  } catch {
    return 'cluster';
  }
}

/**
 * Reads the ALERT_* configuration at boot, so a mistake stops start-up like any other. In a fleet,
 * notifications name the cluster as configured (`cluster`); alone, its host name as before.
 */
export function alertingConfigFor(config: Config, cluster?: string): AlertingConfig {
  return loadAlertingConfig({
    port: config.port,
    pollIntervalMs: config.pollIntervalMs,
    clusterName: cluster ?? clusterNameOf(config),
  });
}

export class ConsoleAlerting {
  #running: Promise<Alerting | null> | null = null;

  constructor(
    /** The configuration read at boot (the /alerts page and API read timing and URLs here). */
    readonly config: AlertingConfig,
    private readonly parts: {
      /** The warnings /api/status shows for a snapshot. */
      assess: (snapshot: ClusterSnapshot) => Warning[];
      /** Seals channel secrets. */
      sessionSecret: string;
    },
  ) {}

  /** Starts the alerting loop on this (polling) instance; failures are logged, never thrown. */
  async start(feed: SnapshotFeed, store: Store): Promise<void> {
    await this.stop();
    this.#running = startAlerting({
      alerts: store.alerts,
      feed,
      assess: this.parts.assess,
      config: this.config,
      sessionSecret: this.parts.sessionSecret,
    }).catch((error: unknown) => {
      console.warn(
        `DTR HA Console: alerting did not start (${error instanceof Error ? error.message : String(error)}); no notifications are sent`,
      );
      return null;
    });
    await this.#running;
  }

  async stop(): Promise<void> {
    const running = this.#running;
    if (!running) return;
    this.#running = null;
    await (await running)?.stop();
  }
}
