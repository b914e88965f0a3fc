// The audit trail: who signed in (or failed to), who changed what, when and from where.
// The runtime owns the process's log: the database's (lib/store/audit.ts); unit tests use the
// bounded in-memory log below. The model (actions, queries, cleaning) is lib/domain/audit.ts.
import {
  type AuditEvent,
  type AuditLog,
  type AuditPage,
  auditPage,
  type AuditQuery,
  compareAuditCursor,
  matchesAuditQuery,
  sanitiseAuditEvent,
} from '@/lib/domain/audit';

export * from '@/lib/domain/audit';

export class MemoryAuditLog implements AuditLog {
  readonly #events: (AuditEvent & { id: number })[] = [];
  #nextId = 1;
  constructor(private readonly capacity = 1000) {}

  async record(event: AuditEvent): Promise<void> {
    this.#events.push({ ...sanitiseAuditEvent(event), id: this.#nextId++ });
    if (this.#events.length > this.capacity)
      this.#events.splice(0, this.#events.length - this.capacity);
  }

  async list({ limit }: { limit: number }): Promise<AuditEvent[]> {
    const n = Math.max(0, Math.min(Math.floor(limit), this.#events.length));
    return this.#events
      .slice(this.#events.length - n)
      .reverse()
      .map(({ id: _id, ...event }) => event);
  }

  async query(query: AuditQuery): Promise<AuditPage> {
    const { before, after } = query;
    const rows = this.#events
      .filter((event) => matchesAuditQuery(event, query))
      .filter((event) => !before || compareAuditCursor(event, before) < 0)
      .filter((event) => !after || compareAuditCursor(event, after) > 0)
      .sort((a, b) => (after ? 1 : -1) * compareAuditCursor(a, b));
    return auditPage(rows.slice(0, query.limit + 1), query);
  }
}

/**
 * Records `event` in `log` (the runtime's audit log) without letting a failing store break the
 * request that is being audited.
 */
export async function audit(
  log: AuditLog,
  event: Omit<AuditEvent, 'at'> & { at?: string },
): Promise<void> {
  try {
    await log.record({ ...event, at: event.at ?? new Date().toISOString() });
  } catch (error) {
    console.error(
      'audit log: could not record event:',
      error instanceof Error ? error.message : String(error),
    );
  }
}
