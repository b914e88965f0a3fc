// History — time ranges: the API's query and the page's URL.
import { z } from 'zod';
import { DAY, HOUR, MINUTE, SECOND } from './time';
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention';

export const HISTORY_PRESETS = {
  '1h': HOUR,
  '6h': 6 * HOUR,
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
} as const;
export type HistoryPreset = keyof typeof HISTORY_PRESETS;
export const DEFAULT_PRESET: HistoryPreset = '6h';
export const MAX_RANGE_MS = 90 * DAY;

export const HISTORY_SERIES = ['healthy', 'margin', 'latency', 'managers', 'events'] as const;
export type HistorySeries = (typeof HISTORY_SERIES)[number];

const RELATIVE_UNITS: Record<string, number> = {
  s: SECOND,
  m: MINUTE,
  min: MINUTE,
  h: HOUR,
  d: DAY,
  w: 7 * DAY,
};

/** "now", "-6h", "-30m", "-7d" (relative to `now`) or an ISO 8601 time; null when neither. */
export function parseTime(text: string, now: number): number | null {
  const value = text.trim();
  if (value === 'now') return now;
  const relative = /^-(\d{1,6})(s|m|min|h|d|w)$/.exec(value);
  if (relative) return now - Number(relative[1]) * (RELATIVE_UNITS[relative[2] ?? ''] ?? NaN);
  // Only full dates: Date.parse accepts too much ("1", "May 1") to be a contract.
  if (!/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)?)?$/.test(value))
    return null;
  const iso = value.replace(' ', 'T');
  const zoned = !iso.includes('T') || /(Z|[+-]\d\d:?\d\d)$/.test(iso);
  const ms = Date.parse(zoned ? iso : `${iso}Z`);
  return Number.isFinite(ms) ? ms : null;
}

const TIME_HINT =
  'an ISO time (2024-05-01T12:00:00Z), "now" or a relative time like -6h, -30m, -7d';

/** GET /api/history's query, checked against `now`. */
export function historyQuerySchema(now: number) {
  const time = () =>
    z.string().transform((raw, ctx) => {
      const ms = parseTime(raw, now);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `expected ${TIME_HINT}, got "${raw}"` });
        return z.NEVER;
      }
      return ms;
    });
  return z
    .object({
      from: time().optional(),
      to: time().optional(),
      series: z
        .string()
        .optional()
        .transform((raw, ctx) => {
          if (raw === undefined || raw.trim() === '') return [...HISTORY_SERIES];
          const names = [...new Set(raw.split(',').map((s) => s.trim()))];
          const unknown = names.filter((n) => !(HISTORY_SERIES as readonly string[]).includes(n));
          if (unknown.length) {
            ctx.addIssue({
              code: 'custom',
              message: `unknown ${unknown.map((u) => `"${u}"`).join(', ')}; expected a comma list of ${HISTORY_SERIES.join(', ')}`,
            });
            return z.NEVER;
          }
          return names as HistorySeries[];
        }),
    })
    .strict()
    .transform(({ from, to, series }, ctx) => {
      const end = to ?? now;
      const start = from ?? end - HISTORY_PRESETS[DEFAULT_PRESET];
      if (start >= end) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
        return z.NEVER;
      }
      if (end - start > MAX_RANGE_MS) {
        ctx.addIssue({
          code: 'custom',
          path: ['from'],
          message: 'the range can span at most 90 days',
        });
        return z.NEVER;
      }
      return { from: start, to: end, series };
    });
}

export type HistoryQuery = z.infer<ReturnType<typeof historyQuerySchema>>;

export interface PageRange {
  from: number;
  to: number;
  /** The preset in force, or null for a custom range. */
  preset: HistoryPreset | null;
  /** Why the URL's range was not used, for the page to say. */
  notice: string | null;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The /history page's range from its URL: `?range=24h` or `?from=…&to=…`; junk → the default. */
export function pageRange(
  params: Record<string, string | string[] | undefined>,
  now: number,
): PageRange {
  const preset = first(params.range);
  const from = first(params.from);
  const to = first(params.to);
  const fallback = (notice: string | null): PageRange => ({
    from: now - HISTORY_PRESETS[DEFAULT_PRESET],
    to: now,
    preset: DEFAULT_PRESET,
    notice,
  });
  if (from !== undefined || to !== undefined) {
    const parsed = historyQuerySchema(now).safeParse({ from, to });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const why = issue ? `${issue.path.join('.') || 'range'}: ${issue.message}` : 'not a range';
      return fallback(
        `The custom range in the link was not usable (${why}); showing the last 6 hours.`,
      );
    }
    return { from: parsed.data.from, to: parsed.data.to, preset: null, notice: null };
  }
  if (preset === undefined) return fallback(null);
  if (preset in HISTORY_PRESETS) {
    const p = preset as HistoryPreset;
    return { from: now - HISTORY_PRESETS[p], to: now, preset: p, notice: null };
  }
  return fallback(
    `"${preset.slice(0, 20)}" is not a range; choose ${Object.keys(HISTORY_PRESETS).join(', ')} or a custom range. Showing the last 6 hours.`,
  );
}

const NICE_STEPS = [
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  DAY,
];

/**
 * Bucket size for a chart of [from, to] with at most `maxPoints` points, and never finer than
 * the stored data at `from` (older points only exist downsampled).
 */
export function resolutionFor(
  range: { from: number; to: number },
  now: number,
  policy: RetentionPolicy = DEFAULT_RETENTION,
  maxPoints = 600,
): number {
  const wanted = (range.to - range.from) / maxPoints;
  let stored = 0;
  let keep = policy.rawKeepMs;
  for (const tier of policy.tiers) {
    if (range.from >= now - keep) break;
    stored = tier.resolutionMs;
    keep = tier.keepMs;
  }
  const step = NICE_STEPS.find((s) => s >= wanted) ?? NICE_STEPS[NICE_STEPS.length - 1] ?? DAY;
  return Math.max(step, stored);
}
