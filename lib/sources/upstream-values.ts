// Checks for values as they arrive from upstream (UCP, DTR, a Docker Engine), before anything
// else reads them: strings capped, addresses, ports and IDs validated. A bad value costs the
// member it belongs to (marked with a reason), never the whole answer or the poll.
import { isIP } from 'node:net';

/** Longest upstream string kept (labels, messages, names): enough for any real value. */
export const MAX_UPSTREAM_TEXT = 1024;
/** Longest reason quoted from a member's answer (an error text, a body's first line). */
export const MAX_REASON_TEXT = 200;

// C0/C1 controls, DEL, bidi overrides and zero-width characters: nothing a viewer should get.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** `s` cut to `max` characters (an ellipsis marks the cut). */
export function capText(s: string, max = MAX_UPSTREAM_TEXT): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A short, printable reason from text a member sent: one line, controls dropped, capped. */
export function sanitizeReason(s: string, max = MAX_REASON_TEXT): string {
  const line = s
    .slice(0, max * 4)
    .replace(UNPRINTABLE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return capText(line, max);
}

/** Quoted form of a bad value for a reason: printable and short. */
export function quoteBad(value: unknown): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(capText(s.slice(0, 200), 40));
}

/**
 * Every string (and object key) in a value fresh from JSON.parse cut to MAX_UPSTREAM_TEXT, so a
 * 10 MB label never gets further than the adapter that read it. In place: the value is the
 * caller's own (nothing else holds a value JSON.parse just made), and a 10,000-node `/nodes`
 * answer is then walked once instead of copied (DESIGN.md §4: polling stays cheap at any size).
 */
export function capStrings<T>(value: T, max = MAX_UPSTREAM_TEXT): T {
  if (typeof value === 'string') return (value.length > max ? capText(value, max) : value) as T;
  if (value !== null && typeof value === 'object') capWithin(value as object, max);
  return value;
}

function capWithin(container: object, max: number): void {
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i += 1) {
      const v: unknown = container[i];
      if (typeof v === 'string') {
        if (v.length > max) container[i] = capText(v, max);
      } else if (v !== null && typeof v === 'object') capWithin(v, max);
    }
    return;
  }
  const record = container as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    let kept = v;
    if (typeof v === 'string') {
      if (v.length > max) kept = capText(v, max);
    } else if (v !== null && typeof v === 'object') capWithin(v, max);
    if (key.length > max) {
      delete record[key];
      ownValue(record, capText(key, max), kept);
    } else if (kept !== v) ownValue(record, key, kept);
  }
}

// Defined, not assigned: a "__proto__" key stays a key, never a prototype.
function ownValue(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`, 'i');

/** `host` when it is an IPv4 / IPv6 literal or a DNS name a URL can carry; else null. */
export function validHost(host: string): string | null {
  if (host.length === 0 || host.length > 253) return null;
  if (isIP(host) !== 0) return host;
  return HOSTNAME.test(host) ? host : null;
}

// Ports and replica IDs mean what the printed commands take (DESIGN.md §2).
export { isPort, REPLICA_ID } from '@/lib/domain/commands';
