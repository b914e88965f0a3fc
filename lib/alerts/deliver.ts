// Sends one body to one channel: JSON over HTTP(S) with a timeout, retries with backoff on
// network errors, 429 and 5xx, and (generic webhooks) an HMAC-SHA256 signature of the raw body.
// Errors name the host, never the full URL (Slack and Teams URLs are credentials) or a secret.
import 'server-only';
import { createHmac } from 'node:crypto';
import type { ChannelKind } from '@/lib/domain/alerts/channels';

export const SIGNATURE_HEADER = 'X-DTR-Console-Signature';

export interface DeliveryTarget {
  kind: ChannelKind;
  /** The full URL (opened from the sealed secrets). For Alertmanager: its base URL. */
  url: string;
  /** Generic webhooks: the HMAC key. */
  secret: string | null;
}

export interface DeliveryOptions {
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  /** Waits before retry 1, 2, …: backoffMs, 4×backoffMs, 16×… */
  backoffMs: number;
  fetch?: typeof fetch;
  /** Extra headers (e.g. the event kind). */
  headers?: Record<string, string>;
}

export interface DeliveryResult {
  ok: boolean;
  attempts: number;
  /** The HTTP status of the last attempt, null when none answered. */
  status: number | null;
  /** One sentence, no URL path or secret. */
  error: string | null;
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`, as the receiver recomputes it. */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Where a channel of this kind posts: Alertmanager's v2 API under its base URL. */
export function endpointOf(target: DeliveryTarget): string {
  if (target.kind !== 'alertmanager') return target.url;
  const url = new URL(target.url);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v2/alerts`;
  return url.toString();
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return 'the channel';
  }
};

function failure(error: unknown, host: string, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer from ${host} within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as Error & { code?: string }) : undefined;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return `${host} refused the connection`;
    case 'ENOTFOUND':
      return `${host} is not a known host name`;
    case 'ECONNRESET':
      return `${host} closed the connection`;
    default: {
      const why = cause?.code ?? (cause instanceof Error ? cause.message : '');
      return `cannot reach ${host}${why ? ` (${why})` : ''}`;
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function deliver(
  target: DeliveryTarget,
  payload: unknown,
  options: DeliveryOptions,
): Promise<DeliveryResult> {
  const body = JSON.stringify(payload);
  const endpoint = endpointOf(target);
  const host = hostOf(endpoint);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'dtr-ha-console-alerts/1',
    ...options.headers,
  };
  if (target.kind === 'webhook' && target.secret)
    headers[SIGNATURE_HEADER] = signature(body, target.secret);
  const doFetch = options.fetch ?? fetch;
  let last: DeliveryResult = { ok: false, attempts: 0, status: null, error: null };
  for (let attempt = 1; attempt <= options.retries + 1; attempt++) {
    if (attempt > 1) await sleep(options.backoffMs * 4 ** (attempt - 2));
    try {
      const response = await doFetch(endpoint, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300)
        return { ok: true, attempts: attempt, status: response.status, error: null };
      last = {
        ok: false,
        attempts: attempt,
        status: response.status,
        error: `${host} answered HTTP ${response.status}${response.status >= 300 && response.status < 400 ? ' (a redirect; give the final URL)' : ''}`,
      };
      // Other 4xx will not change on retry (a wrong URL, a rejected body).
      if (response.status < 500 && response.status !== 429) return last;
    } catch (error) {
      last = {
        ok: false,
        attempts: attempt,
        status: null,
        error: failure(error, host, options.timeoutMs),
      };
    }
  }
  return last;
}
