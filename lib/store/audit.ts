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

/** An entry as read back: which cluster it belongs to, null for a fleet-wide one. */
export type StoredAuditEvent = AuditEvent & { cluster: string | null };

export interface AuditRepository extends AuditLog {
  record(event: AuditEvent): Promise<void>;
  /** Newest first; `before` (an ISO time) pages back past the events already shown. */
  list(options: { limit: number; before?: string }): Promise<AuditEvent[]>;
}

/** `%`, `_` and the escape itself match literally in a LIKE pattern. */
function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function eventOf(row: Selectable<AuditLogTable>): StoredAuditEvent {
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
    cluster: row.cluster,
  };
}

/**
 * `cluster` a name: writes are that cluster's (unless the event says `cluster: null`, fleet-wide),
 * reads return its entries and the fleet-wide ones. `cluster` null: the fleet's log — writes are
 * fleet-wide unless the event names a cluster, reads return every entry.
 */
export function createAuditRepository(
  db: Kysely<StoreSchema>,
  cluster: string | null = 'default',
): AuditRepository {
  const visible = () => {
    const select = db.selectFrom('audit_log').selectAll();
    return cluster === null
      ? select
      : select.where((eb) => eb.or([eb('cluster', '=', cluster), eb('cluster', 'is', null)]));
  };
  return {
    async record(event) {
      const clean = sanitiseAuditEvent(event);
      await db
        .insertInto('audit_log')
        .values({
          cluster: event.cluster === undefined ? cluster : event.cluster,
          at: clean.at,
          actor: clean.actor,
          action: clean.action,
          ip: clean.ip,
          detail: JSON.stringify(clean.detail),
        })
        .execute();
    },

    async list({ limit, before }) {
      let query = visible();
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
      let select = visible();
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
