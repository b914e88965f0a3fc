// The audit trail: who signed in (or failed to), who changed what, when and from where.
// In memory and bounded for now; a SQLite-backed AuditLog can replace it through setAuditLog().

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
}

export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
  /** Newest first. */
  list(options: { limit: number }): Promise<AuditEvent[]>;
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
    ip: clean(event.ip, 64) || 'unknown',
    detail: clean(event.detail, MAX_DETAIL),
  };
}

export class MemoryAuditLog implements AuditLog {
  readonly #events: AuditEvent[] = [];
  constructor(private readonly capacity = 1000) {}

  async record(event: AuditEvent): Promise<void> {
    this.#events.push(sanitiseAuditEvent(event));
    if (this.#events.length > this.capacity)
      this.#events.splice(0, this.#events.length - this.capacity);
  }

  async list({ limit }: { limit: number }): Promise<AuditEvent[]> {
    const n = Math.max(0, Math.min(Math.floor(limit), this.#events.length));
    return this.#events.slice(this.#events.length - n).reverse();
  }
}

const AUDIT = Symbol.for('dtr-ha-console.audit-log');
type AuditGlobal = typeof globalThis & { [AUDIT]?: AuditLog };

/** The process-wide audit log (shared across Next's separately bundled routes). */
export function getAuditLog(): AuditLog {
  const g = globalThis as AuditGlobal;
  g[AUDIT] ??= new MemoryAuditLog();
  return g[AUDIT];
}

export function setAuditLog(log: AuditLog): void {
  (globalThis as AuditGlobal)[AUDIT] = log;
}

/** Records without letting a failing store break the request that is being audited. */
export async function audit(event: Omit<AuditEvent, 'at'> & { at?: string }): Promise<void> {
  try {
    await getAuditLog().record({ ...event, at: event.at ?? new Date().toISOString() });
  } catch (error) {
    console.error(
      'audit log: could not record event:',
      error instanceof Error ? error.message : String(error),
    );
  }
}
