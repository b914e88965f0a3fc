// The audit trail in the database: implements the domain's AuditLog; the runtime owns it as
// `runtime.audit`, so sign-ins, faults and wizard commands outlive a restart.
import 'server-only';
import { sql, type Kysely, type Selectable } from 'kysely';
import {
  actionsWithOutcome,
  auditPage,
  sanitiseAuditEvent,
  type AuditAction,
  type AuditEvent,
  type AuditLog,
} from '@/lib/domain/audit';
import { normaliseAddress } from '@/lib/domain/address';
import type { AuditLogTable, StoreSchema } from './schema';

export interface AuditRepository extends AuditLog {
  record(event: AuditEvent): Promise<void>;
  /** Newest first; `before` (an ISO time) pages back past the events already shown. */
  list(options: { limit: number; before?: string }): Promise<AuditEvent[]>;
}

/** `%`, `_` and the escape itself match literally in a LIKE pattern. */
function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
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
    // Rows written before addresses were normalised still read `::ffff:127.0.0.1`.
    ip: row.ip ? normaliseAddress(row.ip) : 'unknown',
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

    async query(query) {
      const { before, after } = query;
      let select = db.selectFrom('audit_log').selectAll();
      if (query.actor)
        select = select.where(
          sql<boolean>`lower(actor) like ${likeContains(query.actor)} escape '\\'`,
        );
      if (query.action) select = select.where('action', '=', query.action);
      if (query.outcome) select = select.where('action', 'in', actionsWithOutcome(query.outcome));
      if (query.from) select = select.where('at', '>=', query.from);
      if (query.to) select = select.where('at', '<', query.to);
      if (before)
        select = select.where((eb) =>
          eb.or([
            eb('at', '<', before.at),
            eb.and([eb('at', '=', before.at), eb('id', '<', before.id)]),
          ]),
        );
      if (after)
        select = select.where((eb) =>
          eb.or([
            eb('at', '>', after.at),
            eb.and([eb('at', '=', after.at), eb('id', '>', after.id)]),
          ]),
        );
      const direction = after ? 'asc' : 'desc';
      const rows = await select
        .orderBy('at', direction)
        .orderBy('id', direction)
        .limit(query.limit + 1)
        .execute();
      return auditPage(
        rows.map((row) => ({ ...eventOf(row), id: Number(row.id) })),
        query,
      );
    },
  };
}
