// Channels: where incidents are sent. Pure: the kinds, what each channel wants, and how a URL is
// shown back (never with credentials or a query string that may carry a token).
import type { Severity } from '../types';
import { atLeast, type Incident } from './incidents';

export const CHANNEL_KINDS = ['webhook', 'slack', 'teams', 'alertmanager'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = {
  webhook: 'Generic webhook (signed JSON)',
  slack: 'Slack incoming webhook',
  teams: 'Microsoft Teams incoming webhook',
  alertmanager: 'Prometheus Alertmanager',
};

/** A channel as the console shows it: no secret, the URL masked. */
export interface ChannelView {
  id: string;
  name: string;
  kind: ChannelKind;
  /** Scheme, host, port and path; query and credentials replaced by "…". */
  url: string;
  minSeverity: Severity;
  enabled: boolean;
  /** "ui": managed on /alerts; "file": from ALERT_CHANNELS_FILE, changed only there. */
  origin: 'ui' | 'file';
  /** The secret's last 4 characters, or null when the channel has none. */
  secretHint: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  lastDeliveryAt: string | null;
}

/** Whether a channel with this filter receives the incident. */
export function channelWants(minSeverity: Severity, incident: Pick<Incident, 'severity'>): boolean {
  return atLeast(incident.severity, minSeverity);
}

/** A URL as shown back: no user, password, query or fragment (Slack and Teams URLs carry tokens in the path, so the path is cut short too). */
export function maskUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(invalid URL)';
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const path = segments.length > 2 ? `/${segments.slice(0, 2).join('/')}/…` : url.pathname;
  const rest = url.search || url.hash ? '?…' : '';
  const who = url.username || url.password ? '…@' : '';
  return `${url.protocol}//${who}${url.host}${path}${rest}`;
}

/** Why a channel URL is refused, in a sentence; null when it is acceptable. */
export function urlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw.slice(0, 80)}" is not a valid URL (e.g. https://hooks.example.com/console)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `must start with http:// or https://, got ${url.protocol}//`;
  if (url.username || url.password)
    return 'must not carry a user name or password; put a webhook token in the secret, or in the path as the service requires';
  return null;
}
