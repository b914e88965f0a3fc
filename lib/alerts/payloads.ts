// What each kind of channel receives: the generic webhook's JSON (documented in the README),
// Slack and Teams incoming-webhook messages (what, consequence, first step, link to the console),
// and Alertmanager's POST /api/v2/alerts array. Pure: no I/O, so a preview shows exactly this.
import type { Incident, NotificationKind } from '@/lib/domain/alerts/incidents';
import type { ChannelKind } from '@/lib/domain/alerts/channels';

export type DeliveryKind = NotificationKind | 'test';

export interface PayloadContext {
  /** The console's public base URL, e.g. https://console.example.com (no trailing slash). */
  consoleUrl: string;
  /** The cluster's name (Alertmanager's `cluster` label). */
  cluster: string;
  now: Date;
}

export interface WebhookBody {
  version: 1;
  kind: DeliveryKind;
  sentAt: string;
  cluster: string;
  console: string;
  incident: {
    id: string;
    group: string;
    status: 'firing' | 'resolved';
    severity: Incident['severity'];
    code: Incident['code'];
    codes: Incident['codes'];
    title: string;
    consequence: string;
    nextStep: string;
    command: string | null;
    subjects: string[];
    since: string;
    firedAt: string | null;
    resolvedAt: string | null;
    url: string;
  };
}

/** Where the incident's next step is worked on in the console. */
export function incidentUrl(incident: Incident, consoleUrl: string): string {
  const href = incident.href && incident.href.startsWith('/') ? incident.href : '/';
  return `${consoleUrl}${href}`;
}

const statusOf = (kind: DeliveryKind, incident: Incident) =>
  kind === 'resolved' || incident.phase === 'resolved' ? 'resolved' : 'firing';

export function webhookBody(
  incident: Incident,
  kind: DeliveryKind,
  ctx: PayloadContext,
): WebhookBody {
  return {
    version: 1,
    kind,
    sentAt: ctx.now.toISOString(),
    cluster: ctx.cluster,
    console: ctx.consoleUrl,
    incident: {
      id: incident.id,
      group: incident.group,
      status: statusOf(kind, incident),
      severity: incident.severity,
      code: incident.code,
      codes: incident.codes,
      title: incident.title,
      consequence: incident.detail,
      nextStep: incident.nextStep,
      command: incident.command ?? null,
      subjects: incident.subjects,
      since: incident.since,
      firedAt: incident.firedAt,
      resolvedAt: incident.resolvedAt,
      url: incidentUrl(incident, ctx.consoleUrl),
    },
  };
}

const HEADLINE: Record<DeliveryKind, string> = {
  firing: 'FIRING',
  repeat: 'STILL FIRING',
  escalated: 'WORSE',
  resolved: 'RESOLVED',
  test: 'TEST',
};

function headline(incident: Incident, kind: DeliveryKind, ctx: PayloadContext): string {
  const sev = kind === 'resolved' ? '' : ` ${incident.severity}`;
  return `[${HEADLINE[kind]}${sev}] ${ctx.cluster}: ${incident.title}`;
}

/** Slack incoming webhook: a fallback `text` and blocks (what, consequence, first step, link). */
export function slackBody(incident: Incident, kind: DeliveryKind, ctx: PayloadContext) {
  const title = headline(incident, kind, ctx);
  const url = incidentUrl(incident, ctx.consoleUrl);
  const resolved = statusOf(kind, incident) === 'resolved';
  const lines = resolved
    ? [
        `Resolved at ${incident.resolvedAt ?? ctx.now.toISOString()} (firing since ${incident.firedAt ?? incident.since}).`,
      ]
    : [
        `*Consequence:* ${incident.detail}`,
        `*First step:* ${incident.nextStep}`,
        ...(incident.command ? ['```' + incident.command + '```'] : []),
      ];
  return {
    text: `${title} — ${url}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: `${incident.codes.join(', ')} · <${url}|Open in the console>` },
        ],
      },
    ],
  };
}

/** Teams incoming webhook (Workflows and connectors): a message with one Adaptive Card. */
export function teamsBody(incident: Incident, kind: DeliveryKind, ctx: PayloadContext) {
  const url = incidentUrl(incident, ctx.consoleUrl);
  const resolved = statusOf(kind, incident) === 'resolved';
  const facts = resolved
    ? [{ title: 'Resolved at', value: incident.resolvedAt ?? ctx.now.toISOString() }]
    : [
        { title: 'Consequence', value: incident.detail },
        { title: 'First step', value: incident.nextStep },
        ...(incident.command ? [{ title: 'Command', value: incident.command }] : []),
      ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              size: 'Medium',
              weight: 'Bolder',
              wrap: true,
              color: resolved ? 'Good' : incident.severity === 'critical' ? 'Attention' : 'Warning',
              text: headline(incident, kind, ctx),
            },
            { type: 'FactSet', facts },
            { type: 'TextBlock', isSubtle: true, wrap: true, text: incident.codes.join(', ') },
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Open in the console', url }],
        },
      },
    ],
  };
}

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

/**
 * The labels Alertmanager groups and deduplicates by. They name the worst the incident has been
 * announced as, so they change only on an escalation (when the old alert is ended), not each time
 * the cause wavers between two levels.
 */
export function alertmanagerLabels(
  incident: Incident,
  cluster: string,
  as: { code: Incident['code']; severity: Incident['severity'] } = {
    code: incident.firedCode ?? incident.code,
    severity: incident.firedSeverity ?? incident.severity,
  },
): Record<string, string> {
  const labels: Record<string, string> = {
    alertname: as.code,
    severity: as.severity,
    cluster,
    incident: incident.group,
    source: 'dtr-ha-console',
  };
  const [kind, subject] = incident.group.split(/:(.*)/s);
  if (kind === 'replica' && subject) labels.replica = subject;
  if (kind === 'node' && subject) labels.node = subject;
  return labels;
}

/**
 * One alert for Alertmanager. Firing: `endsAt` a few re-post intervals ahead, so it stays active
 * while the console keeps posting and expires on its own if the console stops. Resolved: `endsAt`
 * the resolve time.
 */
export function alertmanagerAlert(
  incident: Incident,
  kind: DeliveryKind,
  ctx: PayloadContext,
  repostMs: number,
): AlertmanagerAlert {
  const resolved = statusOf(kind, incident) === 'resolved';
  const endsAt = resolved
    ? (incident.resolvedAt ?? ctx.now.toISOString())
    : new Date(ctx.now.getTime() + 4 * repostMs).toISOString();
  return {
    labels: alertmanagerLabels(incident, ctx.cluster),
    annotations: {
      summary: incident.title,
      consequence: incident.detail,
      next_step: incident.nextStep,
      ...(incident.command ? { command: incident.command } : {}),
      console_url: incidentUrl(incident, ctx.consoleUrl),
      codes: incident.codes.join(','),
    },
    startsAt: incident.firedAt ?? incident.since,
    endsAt,
    generatorURL: `${ctx.consoleUrl}/alerts`,
  };
}

/**
 * The body a channel of `kind` receives for one notification. Alertmanager: an array of one, or
 * of two on an escalation — the alert it was announced as, ended now, and the new one.
 */
export function bodyFor(
  channel: ChannelKind,
  incident: Incident,
  kind: DeliveryKind,
  ctx: PayloadContext,
  repostMs: number,
  replaces?: { code: Incident['code']; severity: Incident['severity'] },
): unknown {
  switch (channel) {
    case 'webhook':
      return webhookBody(incident, kind, ctx);
    case 'slack':
      return slackBody(incident, kind, ctx);
    case 'teams':
      return teamsBody(incident, kind, ctx);
    case 'alertmanager': {
      const current = alertmanagerAlert(incident, kind, ctx, repostMs);
      if (!replaces) return [current];
      const ended = {
        ...current,
        labels: alertmanagerLabels(incident, ctx.cluster, replaces),
        endsAt: ctx.now.toISOString(),
      };
      return [ended, current];
    }
  }
}

/** A sample incident for "send test" and previews: a stopped replica on a three-replica cluster. */
export function sampleIncident(now: Date): Incident {
  const since = new Date(now.getTime() - 30_000).toISOString();
  return {
    id: `test@${Math.floor(now.getTime() / 1000).toString(36)}`,
    group: 'replica:000000000000',
    phase: 'firing',
    severity: 'critical',
    code: 'DTR_QUORUM_AT_RISK',
    title: 'Test notice from the DTR HA console (no action needed)',
    detail:
      'If this were real: DTR would have no failure left to tolerate; one more replica down stops pushes.',
    nextStep: 'Nothing: this checks that the channel reaches you.',
    codes: ['DTR_QUORUM_AT_RISK'],
    subjects: ['000000000000'],
    since,
    firedAt: now.toISOString(),
    resolvedAt: null,
    lastSeenAt: now.toISOString(),
    clearedSince: null,
    lastNotifiedAt: now.toISOString(),
    repeats: 0,
    firedSeverity: 'critical',
    firedCode: 'DTR_QUORUM_AT_RISK',
  };
}
