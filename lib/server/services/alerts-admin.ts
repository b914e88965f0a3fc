// What the /alerts page and /api/alerts/* read and change: incidents with their deliveries,
// channels as shown (URL masked, secret never), and channel changes validated, sealed and sent a
// test. Route handlers stay thin; this is the only place that opens a channel's secrets for them.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sendToChannel } from '@/lib/alerts/service';
import { bodyFor, sampleIncident, type PayloadContext } from '@/lib/alerts/payloads';
import { openSecrets, sealSecrets, secretHint } from '@/lib/alerts/secrets';
import type { AlertingConfig } from '@/lib/config/alerts';
import {
  CHANNEL_KINDS,
  maskUrl,
  urlProblem,
  type ChannelKind,
  type ChannelView,
} from '@/lib/domain/alerts/channels';
import type { Incident } from '@/lib/domain/alerts/incidents';
import { ApiError } from '@/lib/http/errors';
import type { AlertRepository } from '@/lib/store';
import type { DeliveryRecord, StoredChannel } from '@/lib/store/alerts';
import type { Runtime } from '../runtime';

export interface IncidentView extends Incident {
  deliveries: Pick<
    DeliveryRecord,
    'channelName' | 'transition' | 'status' | 'attempts' | 'error' | 'claimedAt' | 'finishedAt'
  >[];
}

/** What these operations use of the runtime. */
export type AlertsContext = Pick<Runtime, 'store' | 'alerting' | 'sessionSecret'>;

function context(runtime: AlertsContext): {
  alerts: AlertRepository;
  config: AlertingConfig;
  sessionSecret: string;
} {
  return {
    alerts: runtime.store.alerts,
    config: runtime.alerting.config,
    sessionSecret: runtime.sessionSecret,
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function viewOf(channel: StoredChannel, sessionSecret: string): ChannelView {
  let hint: string | null = null;
  let unreadable: string | null = null;
  if (channel.encryptedSecret) {
    try {
      hint = secretHint(openSecrets(channel.encryptedSecret, sessionSecret).secret);
    } catch (error) {
      unreadable = error instanceof Error ? error.message : String(error);
    }
  }
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    url: channel.url,
    minSeverity: channel.minSeverity,
    enabled: channel.enabled,
    origin: channel.origin,
    secretHint: hint,
    lastError: unreadable ?? channel.lastError,
    lastErrorAt: iso(channel.lastErrorAt),
    lastDeliveryAt: iso(channel.lastDeliveryAt),
  };
}

export async function listIncidentViews(
  runtime: AlertsContext,
  limit = 100,
): Promise<IncidentView[]> {
  const { alerts } = context(runtime);
  const [incidents, deliveries] = await Promise.all([
    alerts.listIncidents(limit),
    alerts.listDeliveries({ limit: 1000 }),
  ]);
  return incidents.map((incident) => ({
    ...incident,
    deliveries: deliveries
      .filter((d) => d.incidentId === incident.id)
      .map(({ channelName, transition, status, attempts, error, claimedAt, finishedAt }) => ({
        channelName,
        transition,
        status,
        attempts,
        error,
        claimedAt,
        finishedAt,
      })),
  }));
}

export async function listChannelViews(runtime: AlertsContext): Promise<ChannelView[]> {
  const { alerts, sessionSecret } = context(runtime);
  return (await alerts.listChannels()).map((c) => viewOf(c, sessionSecret));
}

const nameSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/,
    'The name must be 1-64 letters, digits, spaces, dots, dashes or underscores.',
  );
const urlSchema = z
  .string()
  .trim()
  .max(2000, 'The URL must be at most 2,000 characters.')
  .superRefine((raw, ctx) => {
    const problem = urlProblem(raw);
    if (problem) ctx.addIssue({ code: 'custom', message: `The URL ${problem}.` });
  });
const secretSchema = z
  .string()
  .min(16, 'The signing secret must be at least 16 characters.')
  .max(500, 'The signing secret must be at most 500 characters.');
const severitySchema = z.enum(['critical', 'warning', 'info'], {
  message: 'minSeverity must be critical, warning or info.',
});

export const CreateChannelSchema = z
  .object({
    name: nameSchema,
    kind: z.enum(CHANNEL_KINDS, { message: `kind must be one of ${CHANNEL_KINDS.join(', ')}.` }),
    url: urlSchema,
    secret: secretSchema.optional(),
    minSeverity: severitySchema.default('warning'),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.kind === 'webhook' && !value.secret)
      ctx.addIssue({
        code: 'custom',
        path: ['secret'],
        message:
          'A generic webhook needs a signing secret (16 characters or more), so the receiver can check each message.',
      });
  });

export const UpdateChannelSchema = z
  .object({
    name: nameSchema.optional(),
    url: urlSchema.optional(),
    secret: secretSchema.optional(),
    minSeverity: severitySchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export async function createChannel(
  runtime: AlertsContext,
  input: z.infer<typeof CreateChannelSchema>,
): Promise<ChannelView> {
  const { alerts, sessionSecret } = context(runtime);
  const taken = (await alerts.listChannels()).some(
    (c) => c.name.toLowerCase() === input.name.toLowerCase(),
  );
  if (taken)
    throw new ApiError(
      409,
      'conflict',
      `A channel named "${input.name}" exists already; choose another name.`,
    );
  const created = await alerts.createChannel({
    id: randomUUID(),
    name: input.name,
    kind: input.kind,
    url: maskUrl(input.url),
    minSeverity: input.minSeverity,
    enabled: input.enabled,
    origin: 'ui',
    encryptedSecret: sealSecrets({ url: input.url, secret: input.secret ?? null }, sessionSecret),
  });
  return viewOf(created, sessionSecret);
}

async function editable(alerts: AlertRepository, id: string): Promise<StoredChannel> {
  const channel = await alerts.getChannel(id);
  if (!channel) throw new ApiError(404, 'not_found', 'There is no channel with that ID.');
  if (channel.origin === 'file')
    throw new ApiError(
      409,
      'conflict',
      `The channel "${channel.name}" comes from ALERT_CHANNELS_FILE; change it in that file and restart the console.`,
    );
  return channel;
}

export async function updateChannel(
  runtime: AlertsContext,
  id: string,
  patch: z.infer<typeof UpdateChannelSchema>,
): Promise<ChannelView> {
  const { alerts, sessionSecret } = context(runtime);
  const channel = await editable(alerts, id);
  let encryptedSecret: string | undefined;
  if (patch.url !== undefined || patch.secret !== undefined) {
    let current = { url: '', secret: null as string | null };
    try {
      if (channel.encryptedSecret) current = openSecrets(channel.encryptedSecret, sessionSecret);
    } catch {
      if (patch.url === undefined)
        throw new ApiError(
          400,
          'bad_request',
          'The stored URL cannot be read any more (SESSION_SECRET changed); enter the URL again.',
        );
    }
    encryptedSecret = sealSecrets(
      { url: patch.url ?? current.url, secret: patch.secret ?? current.secret },
      sessionSecret,
    );
  }
  if (patch.name !== undefined) {
    const taken = (await alerts.listChannels()).some(
      (c) => c.id !== id && c.name.toLowerCase() === patch.name!.toLowerCase(),
    );
    if (taken)
      throw new ApiError(
        409,
        'conflict',
        `A channel named "${patch.name}" exists already; choose another name.`,
      );
  }
  const updated = await alerts.updateChannel(id, {
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.url !== undefined && { url: maskUrl(patch.url) }),
    ...(patch.minSeverity !== undefined && { minSeverity: patch.minSeverity }),
    ...(patch.enabled !== undefined && { enabled: patch.enabled }),
    ...(encryptedSecret !== undefined && { encryptedSecret }),
  });
  if (!updated) throw new ApiError(404, 'not_found', 'There is no channel with that ID.');
  return viewOf(updated, sessionSecret);
}

export async function deleteChannel(runtime: AlertsContext, id: string): Promise<ChannelView> {
  const { alerts, sessionSecret } = context(runtime);
  const channel = await editable(alerts, id);
  await alerts.deleteChannel(id);
  return viewOf(channel, sessionSecret);
}

/** Sends the sample incident to one channel now; the outcome, as the channel records it. */
export async function testChannel(
  runtime: AlertsContext,
  id: string,
): Promise<{ channel: ChannelView; ok: boolean; attempts: number; error: string | null }> {
  const { alerts, config, sessionSecret } = context(runtime);
  const channel = await alerts.getChannel(id);
  if (!channel) throw new ApiError(404, 'not_found', 'There is no channel with that ID.');
  const now = new Date();
  const result = await sendToChannel(
    channel,
    sampleIncident(now),
    'test',
    payloadContext(config, now),
    {
      alerts,
      config,
      sessionSecret,
    },
  );
  const after = (await alerts.getChannel(id)) ?? channel;
  return {
    channel: viewOf(after, sessionSecret),
    ok: result.ok,
    attempts: result.attempts,
    error: result.error,
  };
}

function payloadContext(config: AlertingConfig, now: Date): PayloadContext {
  return { consoleUrl: config.consoleUrl, cluster: config.clusterName, now };
}

/** Exactly what a channel of `kind` would receive for the sample incident, firing and resolved. */
export async function previewOf(
  runtime: AlertsContext,
  kind: ChannelKind,
): Promise<{ firing: unknown; resolved: unknown }> {
  const { config } = context(runtime);
  const now = new Date();
  const incident = sampleIncident(now);
  const ctx = payloadContext(config, now);
  return {
    firing: bodyFor(kind, incident, 'firing', ctx, config.alertmanagerRepostMs),
    resolved: bodyFor(
      kind,
      {
        ...incident,
        phase: 'resolved',
        resolvedAt: new Date(now.getTime() + 60_000).toISOString(),
      },
      'resolved',
      { ...ctx, now: new Date(now.getTime() + 60_000) },
      config.alertmanagerRepostMs,
    ),
  };
}

/** The timing in force, for the page. */
export async function alertingSettings(runtime: AlertsContext): Promise<{
  forMs: Record<string, number>;
  repeatMs: number;
  alertmanagerRepostMs: number;
  consoleUrl: string;
  clusterName: string;
}> {
  const { config } = context(runtime);
  return {
    forMs: config.policy.forMs,
    repeatMs: config.policy.repeatMs,
    alertmanagerRepostMs: config.alertmanagerRepostMs,
    consoleUrl: config.consoleUrl,
    clusterName: config.clusterName,
  };
}
