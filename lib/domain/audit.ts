// The audit trail's model: actions, outcomes, the filters and cursor of a query, and what is
// cleaned before an event is stored. Pure; lib/auth/audit.ts records events, lib/store/audit.ts
// keeps them in the database.
import { z } from 'zod';
import { normaliseAddress } from './address';

export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-in-locked',
  'sign-out',
  'access-denied',
  'demo-fault',
  'demo-reset',
  'wizard-command',
  'wizard-applied',
  'wizard-ran',
  'wizard-verified',
  'wizard-failed',
  'wizard-cancelled',
  'wizard-execution-refused',
  'wizard-execution-started',
  'wizard-executed',
  'wizard-execution-failed',
  'wizard-execution-unknown',
  'wizard-execution-released',
  'wizard-container-started',
  'alert-channel-created',
  'alert-channel-changed',
  'alert-channel-deleted',
  'alert-channel-tested',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  /** ISO 8601 time. */
  at: string;
  /** Username, the attempted username for failed sign-ins, or "local" with AUTH=off. */
  actor: string;
  action: AuditAction;
  /** Client address as far as it can be known (see clientIp). */
  ip: string;
  /** One line for people: what was attempted and the outcome. Never a password or token. */
  detail: string;
  /**
   * Which cluster the entry is about; null for a fleet-wide one (a sign-in). Set on entries read
   * from the store; when recording, absent means the recording store's own cluster.
   */
  cluster?: string | null;
}

/** What became of an action: done, refused by the console, or tried and failed. */
export const AUDIT_OUTCOMES = ['succeeded', 'refused', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

const OUTCOME: Record<AuditAction, AuditOutcome> = {
  'sign-in': 'succeeded',
  'sign-in-failed': 'refused',
  'sign-in-locked': 'refused',
  'sign-out': 'succeeded',
  'access-denied': 'refused',
  'demo-fault': 'succeeded',
  'demo-reset': 'succeeded',
  'wizard-command': 'succeeded',
  'wizard-applied': 'succeeded',
  'wizard-ran': 'succeeded',
  'wizard-verified': 'succeeded',
  'wizard-failed': 'failed',
  'wizard-cancelled': 'succeeded',
  'wizard-execution-refused': 'refused',
  'wizard-execution-started': 'succeeded',
  'wizard-executed': 'succeeded',
  'wizard-execution-failed': 'failed',
  'wizard-execution-unknown': 'failed',
  'wizard-execution-released': 'succeeded',
  'wizard-container-started': 'succeeded',
  'alert-channel-created': 'succeeded',
  'alert-channel-changed': 'succeeded',
  'alert-channel-deleted': 'succeeded',
  'alert-channel-tested': 'succeeded',
};

export function outcomeOf(action: AuditAction): AuditOutcome {
  // A row an older or newer console wrote may name an action this one does not know.
  return (OUTCOME as Partial<Record<string, AuditOutcome>>)[action] ?? 'succeeded';
}

/** The actions an outcome filter stands for. */
export function actionsWithOutcome(outcome: AuditOutcome): AuditAction[] {
  return AUDIT_ACTIONS.filter((action) => OUTCOME[action] === outcome);
}

/**
 * Where a page of the log starts: the time and the row number of the last event shown
 * (`2024-05-01T12:00:04.000Z~17`), so events in the same millisecond page correctly.
 */
export interface AuditCursor {
  at: string;
  id: number;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)~(\d{1,15})$/;

export function formatAuditCursor(cursor: AuditCursor): string {
  return `${cursor.at}~${cursor.id}`;
}

export function parseAuditCursor(value: string): AuditCursor | null {
  const match = CURSOR.exec(value);
  return match ? { at: match[1]!, id: Number(match[2]) } : null;
}

/** Filters and a page of the audit log; times are ISO strings as stored (`toISOString()`). */
export interface AuditQuery {
  /** Part of the username, any case. */
  actor?: string;
  action?: AuditAction;
  outcome?: AuditOutcome;
  /** Inclusive. */
  from?: string;
  /** Exclusive. */
  to?: string;
  limit: number;
  /** Older than this event (the next page back), or newer than it (the page before). */
  before?: AuditCursor;
  after?: AuditCursor;
}

export interface AuditEntry extends AuditEvent {
  /** Where a page that starts or ends at this event begins (see AuditCursor). */
  cursor: string;
}

export interface AuditPage {
  /** Newest first. */
  events: AuditEntry[];
  /** Cursor of the next page of older events, or null when there is none. */
  older: string | null;
  /** Cursor of the page of newer events, or null when this is the newest. */
  newer: string | null;
}

export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
  /** Newest first. */
  list(options: { limit: number }): Promise<AuditEvent[]>;
  /** One page of the events that match the filters. */
  query(query: AuditQuery): Promise<AuditPage>;
}

const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** "2024-05-01T12:00", "2024-05-01T12:00:30Z", "2024-05-01": read as UTC when no zone is given. */
function utcTime(label: string) {
  return z
    .string()
    .trim()
    .max(40)
    .transform((value, context) => {
      const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) || !value.includes('T');
      const ms = ISO_TIME.test(value) ? Date.parse(zoned ? value : `${value}Z`) : Number.NaN;
      if (Number.isNaN(ms)) {
        context.addIssue({
          code: 'custom',
          message: `${label} must be a date and time such as 2024-05-01T12:00 (UTC)`,
        });
        return z.NEVER;
      }
      return new Date(ms).toISOString();
    });
}

const emptyIsMissing = (value: unknown) => (value === '' ? undefined : value);

function cursor(name: string) {
  return z
    .string()
    .max(64)
    .transform((value, context) => {
      const parsed = parseAuditCursor(value);
      if (!parsed) {
        context.addIssue({ code: 'custom', message: `${name} is not a page of this log` });
        return z.NEVER;
      }
      return parsed;
    });
}

/** The filters as they appear in a URL (`/audit?actor=ada&outcome=refused`), for the page and the API. */
export const AuditQuerySchema = z
  .object({
    actor: z.preprocess(emptyIsMissing, z.string().trim().max(200).optional()),
    action: z.preprocess(
      emptyIsMissing,
      z
        .enum(AUDIT_ACTIONS, { message: `action must be one of: ${AUDIT_ACTIONS.join(', ')}` })
        .optional(),
    ),
    outcome: z.preprocess(
      emptyIsMissing,
      z
        .enum(AUDIT_OUTCOMES, { message: `outcome must be one of: ${AUDIT_OUTCOMES.join(', ')}` })
        .optional(),
    ),
    from: z.preprocess(emptyIsMissing, utcTime('from').optional()),
    to: z.preprocess(emptyIsMissing, utcTime('to').optional()),
    limit: z.preprocess(
      emptyIsMissing,
      z.coerce
        .number({ message: 'limit must be a number' })
        .int('limit must be a whole number')
        .min(1, 'limit must be at least 1')
        .max(500, 'limit must be at most 500')
        .default(50),
    ),
    before: z.preprocess(emptyIsMissing, cursor('before').optional()),
    after: z.preprocess(emptyIsMissing, cursor('after').optional()),
  })
  .refine((query) => !(query.before && query.after), {
    message: 'ask for the page before or the page after, not both',
  })
  .refine((query) => !(query.from && query.to && query.from >= query.to), {
    message: 'from must be earlier than to',
    path: ['to'],
  });

/** Whether an event passes the filters (times as ISO strings compare as text). */
export function matchesAuditQuery(event: AuditEvent, query: AuditQuery): boolean {
  if (query.actor && !event.actor.toLowerCase().includes(query.actor.toLowerCase())) return false;
  if (query.action && event.action !== query.action) return false;
  if (query.outcome && outcomeOf(event.action) !== query.outcome) return false;
  if (query.from && event.at < query.from) return false;
  if (query.to && event.at >= query.to) return false;
  return true;
}

/** Orders (at, id) pairs: newer is greater. */
export function compareAuditCursor(a: AuditCursor, b: AuditCursor): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id - b.id;
}

/**
 * Turns the rows a store read (limit + 1 of them, in the direction asked: newest first, or
 * oldest first with `after`) into a page, newest first, with the cursors either side.
 */
export function auditPage(
  rows: (AuditEvent & { id: number })[],
  query: Pick<AuditQuery, 'limit' | 'before' | 'after'>,
): AuditPage {
  const more = rows.length > query.limit;
  const shown = rows.slice(0, query.limit);
  if (query.after) shown.reverse();
  const events = shown.map(({ id, ...event }) => ({
    ...event,
    cursor: formatAuditCursor({ at: event.at, id }),
  }));
  const first = events[0]?.cursor ?? null;
  const last = events.at(-1)?.cursor ?? null;
  if (query.after) return { events, newer: more ? first : null, older: last };
  return { events, older: more ? last : null, newer: query.before ? first : null };
}

const MAX_FIELD = 200;
const MAX_DETAIL = 500;

/** Control characters could forge extra lines in a log view; length is bounded. */
function clean(value: string, max: number): string {
  const flat = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function sanitiseAuditEvent(event: AuditEvent): AuditEvent {
  return {
    at: event.at,
    actor: clean(event.actor, MAX_FIELD) || '(none)',
    action: event.action,
    ip: normaliseAddress(clean(event.ip, 64)) || 'unknown',
    detail: clean(event.detail, MAX_DETAIL),
  };
}
