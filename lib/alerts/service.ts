// The alerting loop: on its own timer (never inside the monitor's poll), it assesses the latest
// snapshot, steps the engine (lib/domain/alerts), stores the incidents, then delivers each
// notification to the channels that want it — claiming each (incident, transition, channel) in
// the database first, so a restart or a failover never sends one twice. Alertmanager channels
// also get every firing incident re-posted at an interval, as Alertmanager expects.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AlertingConfig, FileChannel } from '@/lib/config/alerts';
import { channelWants, maskUrl } from '@/lib/domain/alerts/channels';
import {
  judgeable,
  stepIncidents,
  type Incident,
  type Notification,
} from '@/lib/domain/alerts/incidents';
import type { ClusterSnapshot, Warning } from '@/lib/domain/types';
import type { SnapshotFeed } from '@/lib/monitor/feed';
import type { AlertRepository } from '@/lib/store';
import type { NewChannel, StoredChannel } from '@/lib/store/alerts';
import { deliver, type DeliveryResult } from './deliver';
import { bodyFor, type DeliveryKind, type PayloadContext } from './payloads';
import { openSecrets, sealSecrets } from './secrets';

export interface AlertingOptions {
  alerts: AlertRepository;
  feed: Pick<SnapshotFeed, 'latest'>;
  /** The snapshot's grouped warnings, as /api/status shows them. */
  assess: (snapshot: ClusterSnapshot) => Warning[] | Promise<Warning[]>;
  config: AlertingConfig;
  sessionSecret: string;
  /** Default host:pid. */
  instance?: string;
  clock?: () => Date;
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

export interface Alerting {
  /** One engine step now (tests; the timer calls it too). Resolves when its deliveries are done. */
  tick(): Promise<void>;
  /** Stops the timer and waits for deliveries under way. */
  stop(): Promise<void>;
}

const HOUR = 3_600_000;
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The id of a channel from the file: stable across restarts, so its delivery claims hold. */
export const fileChannelId = (name: string) => `file:${name.toLowerCase()}`;

export function fileChannelRow(channel: FileChannel, sessionSecret: string): NewChannel {
  return {
    id: fileChannelId(channel.name),
    name: channel.name,
    kind: channel.kind,
    url: maskUrl(channel.url),
    minSeverity: channel.minSeverity,
    enabled: channel.enabled,
    origin: 'file',
    encryptedSecret: sealSecrets({ url: channel.url, secret: channel.secret }, sessionSecret),
  };
}

/** Sends one body to one stored channel and notes the outcome on it; never throws. */
export async function sendToChannel(
  channel: StoredChannel,
  incident: Incident,
  kind: DeliveryKind,
  ctx: PayloadContext,
  options: Pick<AlertingOptions, 'alerts' | 'config' | 'sessionSecret' | 'fetch'>,
  replaces?: Notification['replaces'],
): Promise<DeliveryResult> {
  let result: DeliveryResult;
  try {
    if (!channel.encryptedSecret) throw new Error('the channel has no stored URL; enter it again');
    const { url, secret } = openSecrets(channel.encryptedSecret, options.sessionSecret);
    result = await deliver(
      { kind: channel.kind, url, secret },
      bodyFor(channel.kind, incident, kind, ctx, options.config.alertmanagerRepostMs, replaces),
      {
        timeoutMs: options.config.timeoutMs,
        retries: options.config.retries,
        backoffMs: options.config.backoffMs,
        fetch: options.fetch,
        headers: {
          'x-dtr-console-event': kind,
          'x-dtr-console-delivery': `${incident.id}/${kind}`,
        },
      },
    );
  } catch (error) {
    result = { ok: false, attempts: 0, status: null, error: errorText(error) };
  }
  await options.alerts
    .recordChannelResult(channel.id, {
      ok: result.ok,
      ...(result.error !== null && { error: result.error }),
      at: ctx.now.getTime(),
    })
    .catch(() => undefined);
  return result;
}

export async function startAlerting(options: AlertingOptions): Promise<Alerting> {
  const { alerts, config } = options;
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.warn(line));
  const instance = options.instance ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  await alerts.syncFileChannels(
    config.fileChannels.map((c) => fileChannelRow(c, options.sessionSecret)),
  );
  let open: Incident[] = await alerts.openIncidents();
  const lastRepost = new Map<string, number>();
  let lastPurge = 0;
  const deliveries = new Set<Promise<void>>();
  let stopped = false;
  let ticking: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const ctxAt = (now: Date): PayloadContext => ({
    consoleUrl: config.consoleUrl,
    cluster: config.clusterName,
    now,
  });

  async function deliverOne(channel: StoredChannel, n: Notification): Promise<void> {
    const claimed = await alerts.claimDelivery({
      incidentId: n.incident.id,
      transition: n.transition,
      channelId: channel.id,
      channelName: channel.name,
      instance,
      at: clock().getTime(),
    });
    if (!claimed) return;
    const result = await sendToChannel(
      channel,
      n.incident,
      n.kind,
      ctxAt(clock()),
      options,
      n.replaces,
    );
    if (!result.ok)
      log(
        `DTR HA Console: alert to channel "${channel.name}" failed after ${result.attempts} attempt(s): ${result.error}`,
      );
    await alerts.finishDelivery({
      incidentId: n.incident.id,
      transition: n.transition,
      channelId: channel.id,
      ok: result.ok,
      attempts: result.attempts,
      error: result.error,
      at: clock().getTime(),
    });
  }

  function track(work: Promise<void>): void {
    const p = work.catch((error: unknown) =>
      log(`DTR HA Console: alert delivery: ${errorText(error)}`),
    );
    deliveries.add(p);
    void p.finally(() => deliveries.delete(p));
  }

  async function step(): Promise<Promise<void>[]> {
    const snapshot = options.feed.latest();
    if (!snapshot) return [];
    const now = clock();
    const warnings = await options.assess(snapshot);
    const result = stepIncidents(
      open,
      { warnings, canJudge: judgeable(snapshot), now },
      config.policy,
    );
    // Stored before anything is sent: a crash after this step re-reads "already announced".
    const dropped = new Set(result.dropped.map((i) => i.id));
    await alerts.saveIncidents(result.changed.filter((i) => !dropped.has(i.id)));
    await alerts.deleteIncidents([...dropped]);
    if (now.getTime() - lastPurge >= HOUR) {
      lastPurge = now.getTime();
      await alerts.purgeResolved(now.getTime() - config.keepResolvedMs);
    }
    open = result.open;
    const channels = (await alerts.listChannels()).filter((c) => c.enabled);
    const work: Promise<void>[] = [];
    for (const n of result.notifications) {
      for (const channel of channels) {
        if (!channelWants(channel.minSeverity, n.incident)) continue;
        // Alertmanager repeats on its own (repeat_interval); it gets re-posts below instead.
        if (channel.kind === 'alertmanager' && n.kind === 'repeat') continue;
        work.push(deliverOne(channel, n));
      }
    }
    // Alertmanager: every firing incident again before its endsAt, from the poller only.
    const posted = new Set(
      result.notifications.filter((n) => n.kind !== 'repeat').map((n) => n.incident.id),
    );
    for (const channel of channels.filter((c) => c.kind === 'alertmanager')) {
      const last = lastRepost.get(channel.id) ?? 0;
      if (now.getTime() - last < config.alertmanagerRepostMs) continue;
      lastRepost.set(channel.id, now.getTime());
      for (const incident of open) {
        if (incident.phase !== 'firing' || posted.has(incident.id)) continue;
        if (!channelWants(channel.minSeverity, incident)) continue;
        work.push(
          sendToChannel(channel, incident, 'repeat', ctxAt(now), options).then(() => undefined),
        );
      }
    }
    for (const w of work) track(w);
    return work;
  }

  async function tick(): Promise<void> {
    // One step at a time; a slow channel delays no step (deliveries run on their own).
    while (ticking) await ticking;
    const run = step()
      .then(async (work) => {
        await Promise.allSettled(work);
      })
      .catch((error: unknown) => log(`DTR HA Console: alerting step failed: ${errorText(error)}`));
    ticking = run.then(() => {
      ticking = null;
    });
    await run;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      // The timer does not wait for deliveries: only for the step itself.
      if (!ticking) {
        const run = step().catch((error: unknown) =>
          log(`DTR HA Console: alerting step failed: ${errorText(error)}`),
        );
        ticking = run.then(() => {
          ticking = null;
        });
      }
      schedule();
    }, config.tickMs);
    timer.unref?.();
  }
  schedule();

  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ticking;
      await Promise.allSettled([...deliveries]);
    },
  };
}
