// Options of the Prometheus rules generator. One zod schema serves both callers: code passes
// values, GET /api/alerts/prometheus-rules passes query-string text.
import { z } from 'zod';
import { normalizeConsoleUrl } from '../console-url';

export const PROMETHEUS_DEFAULTS = {
  job: 'dtr-ha-console',
  criticalFor: '1m',
  warningFor: '3m',
  infoFor: '15m',
  tokenFile: '/etc/prometheus/dtr-console-metrics-token',
} as const;

/** The longest `for` the generator writes: an alert that waits a day is no alert. */
const MAX_FOR_SECONDS = 24 * 60 * 60;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;
const DURATION = /^(\d{1,5})(s|m|h)$/;

/** Seconds of a duration the generator accepts (`30s`, `5m`, `1h`), or null. */
export function durationSeconds(text: string): number | null {
  const match = DURATION.exec(text);
  if (!match) return null;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  return seconds <= MAX_FOR_SECONDS ? seconds : null;
}

const duration = z
  .string({ error: 'must be a duration such as 30s, 5m or 1h' })
  .refine((value) => durationSeconds(value) !== null, {
    message: 'must be a duration such as 30s, 5m or 1h (seconds, minutes or hours), at most 24h',
  });

export { normalizeConsoleUrl };

export const PrometheusOptionsSchema = z.strictObject({
  /** The Prometheus job that scrapes the console: every rule selects its series by it. */
  job: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, {
      message: 'must be 1 to 64 letters, digits, or the characters _ . : -',
    })
    .default(PROMETHEUS_DEFAULTS.job),
  /** This console's address, for runbook links and the scrape target. */
  consoleUrl: z.string({ error: 'must be a URL' }).transform((value, ctx) => {
    const url = normalizeConsoleUrl(value);
    if (url === null) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be an http:// or https:// address of the console, without a user name, query or fragment, e.g. https://console.example.com',
      });
      return z.NEVER;
    }
    return url;
  }),
  /** How long a critical condition holds before its alert fires. */
  criticalFor: duration.default(PROMETHEUS_DEFAULTS.criticalFor),
  warningFor: duration.default(PROMETHEUS_DEFAULTS.warningFor),
  infoFor: duration.default(PROMETHEUS_DEFAULTS.infoFor),
  /** Where Prometheus reads METRICS_TOKEN from, in the scrape snippet. */
  tokenFile: z
    .string()
    .regex(/^\/[A-Za-z0-9._/-]{1,255}$/, {
      message: 'must be an absolute file path of letters, digits and . _ / -',
    })
    .default(PROMETHEUS_DEFAULTS.tokenFile),
});

export type PrometheusOptionsInput = z.input<typeof PrometheusOptionsSchema>;
export type PrometheusOptions = z.output<typeof PrometheusOptionsSchema>;
