// Pure formatters for what the console shows: every number with its unit, every time in words.
import type { Instant } from '@/lib/domain/types';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const DURATION_UNITS: readonly [ms: number, unit: string][] = [
  [DAY, 'd'],
  [HOUR, 'h'],
  [MINUTE, 'min'],
  [SECOND, 's'],
];

/** "3 min 12 s", "2 h 5 min", "45 s": the two largest non-zero units, rounded down to seconds. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  let rest = Math.floor(Math.abs(ms) / SECOND) * SECOND;
  if (rest === 0) return '0 s';
  const parts: string[] = [];
  for (const [size, unit] of DURATION_UNITS) {
    if (parts.length === 2) break;
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count} ${unit}`);
      rest -= count * size;
    } else if (parts.length > 0) {
      break; // "1 h 0 min" says nothing "1 h" does not
    }
  }
  return parts.join(' ');
}

function toMillis(time: Instant | number): number {
  return typeof time === 'number' ? time : Date.parse(time);
}

/** "12 s ago", "3 min 12 s ago", "just now"; "in 5 s" when the clocks disagree. */
export function formatRelative(time: Instant | number, now: number): string {
  const then = toMillis(time);
  if (!Number.isFinite(then) || !Number.isFinite(now)) return 'at an unknown time';
  const diff = now - then;
  if (Math.abs(diff) < SECOND) return 'just now';
  return diff > 0 ? `${formatDuration(diff)} ago` : `in ${formatDuration(-diff)}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * "2025-11-22 00:34:12 UTC". Always UTC and never locale-dependent, so the server and the
 * browser render the same text (no hydration mismatch) and admins in different zones agree.
 */
export function formatDateTime(time: Instant | number): string {
  const ms = toMillis(time);
  if (!Number.isFinite(ms)) return 'unknown time';
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** "12" → "12", 1.25 → "1.3", 2.0 → "2": at most one decimal, no trailing zero. */
function oneDecimal(value: number): string {
  return String(Math.round(value * 10) / 10);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Binary units as Docker reports memory: 17179869184 → "16 GiB", 1610612736 → "1.5 GiB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return 'unknown';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : oneDecimal(value)} ${BYTE_UNITS[unit]}`;
}

/** Swarm's NanoCPUs (1e9 per CPU) in CPUs: 4000000000 → "4 CPUs", 1e9 → "1 CPU". */
export function formatCpus(nanoCpus: number | null): string {
  if (nanoCpus === null || !Number.isFinite(nanoCpus) || nanoCpus < 0) return 'unknown';
  const cpus = oneDecimal(nanoCpus / 1e9);
  return `${cpus} ${cpus === '1' ? 'CPU' : 'CPUs'}`;
}

/** Probe round-trip: "12 ms", "<1 ms", "1.5 s"; "no reply" when there was none. */
export function formatLatency(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return 'no reply';
  if (ms < 1) return '<1 ms';
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  return `${oneDecimal(ms / SECOND)} s`;
}

/** "1 replica", "3 replicas". */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

const COMPONENT_MEANINGS: readonly [pattern: RegExp, meaning: string][] = [
  [/rethink/i, 'Its metadata database (RethinkDB) is failing.'],
  [/garant/i, 'Its authentication service (garant) is failing.'],
  [/notary/i, 'Its image-signing service (notary) is failing.'],
  [/registry|storage/i, 'Its registry service or image storage is failing.'],
];

const TRANSPORT_MEANINGS: readonly [pattern: RegExp, meaning: string][] = [
  [/refused|ECONNREFUSED/i, 'Refused the connection: its containers are probably stopped.'],
  [
    /timed? ?out|timeout|ETIMEDOUT|did not answer|no answer/i,
    'Did not answer in time: it may be hung or overloaded.',
  ],
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo|resolve/i, 'Its hostname does not resolve.'],
  [
    /EHOSTUNREACH|ENETUNREACH|ECONNRESET|socket hang up|(host|network) (is )?unreachable/i,
    'The network path to it is broken.',
  ],
  [
    /malformed|invalid json|unexpected token|not valid json|parse|garbage/i,
    'Answered with a malformed response.',
  ],
  [
    /certificate|self[- ]signed|CERT_|TLS|SSL/i,
    'Its TLS certificate is not trusted by the console.',
  ],
];

/**
 * The meaning of a probe error in plain words, for the admin reading the card. The raw text is
 * shown next to it, so this only needs to be right about the gist; null when nothing matches.
 */
export function explainProbeError(error: string | null): string | null {
  if (!error) return null;
  // DTR's /_ping names the failing part first ("registry: storage backend unreachable"):
  // that part is the news, whatever words follow it.
  const named = /^\s*([a-z]+)\s*:/i.exec(error)?.[1] ?? '';
  const rules = [
    ...COMPONENT_MEANINGS.filter(([pattern]) => pattern.test(named)),
    ...TRANSPORT_MEANINGS,
    ...COMPONENT_MEANINGS,
  ];
  return rules.find(([pattern]) => pattern.test(error))?.[1] ?? null;
}
