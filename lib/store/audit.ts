// The audit trail in the database: implements lib/auth's AuditLog, so the lead can
// `setAuditLog(store.audit)` and sign-ins, faults and wizard commands outlive a restart.
import 'server-only';
import type { Kysely, Selectable } from 'kysely';
import {
  sanitiseAuditEvent,
  type AuditAction,
  type AuditEvent,
  type AuditLog,
} from '@/lib/auth/audit';
import type { AuditLogTable, StoreSchema } from './schema';

export interface AuditRepository extends AuditLog {
  record(event: AuditEvent): Promise<void>;
  /** Newest first; `before` (an ISO time) pages back past the events already shown. */
  list(options: { limit: number; before?: string }): Promise<AuditEvent[]>;
}

function eventOf(row: Selectable<AuditLogTable>): AuditEvent {
  let detail = row.detail;
  try {
    const parsed: unknown = JSON.parse(row.detail);
    detail = typeof parsed === 'string' ? parsed : JSON.stringify(parsed);
  } catch {
    // Stored as plain text by hand: show it as it is.
  }
  return {
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    ip: row.ip ?? 'unknown',
    detail,
  };
}

export function createAuditRepository(db: Kysely<StoreSchema>): AuditRepository {
  return {
    async record(event) {
      const clean = sanitiseAuditEvent(event);
      await db
        .insertInto('audit_log')
        .values({
          at: clean.at,
          actor: clean.actor,
          action: clean.action,
          ip: clean.ip,
          detail: JSON.stringify(clean.detail),
        })
        .execute();
    },

    async list({ limit, before }) {
      let query = db.selectFrom('audit_log').selectAll();
      if (before !== undefined) query = query.where('at', '<', before);
      const rows = await query
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.max(0, Math.min(Math.floor(limit), 1000)))
        .execute();
      return rows.map(eventOf);
    },
  };
}
