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
 * Every string (and object key) in a parsed JSON value cut to MAX_UPSTREAM_TEXT, so a 10 MB
 * label never gets further than the adapter that read it.
 */
export function capStrings(value: unknown, max = MAX_UPSTREAM_TEXT): unknown {
  if (typeof value === 'string') return capText(value, max);
  if (Array.isArray(value)) return value.map((v) => capStrings(v, max));
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties: a "__proto__" key stays a key, never a prototype.
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [capText(k, max), capStrings(v, max)]),
    );
  }
  return value;
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
