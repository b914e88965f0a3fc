// Alerting's tables (migration 0006): incidents, channels and the delivery log. The engine's
// state is the open incidents; a delivery is claimed (a unique row) before it is sent.
import 'server-only';
import type { Kysely, Selectable } from 'kysely';
import type { Incident } from '@/lib/domain/alerts/incidents';
import type { ChannelKind } from '@/lib/domain/alerts/channels';
import type { Severity } from '@/lib/domain/types';
import type { AlertChannelTable, StoreSchema } from './schema';

/** A channel row: the secret as stored (encrypted), never decrypted here. */
export interface StoredChannel {
  id: string;
  name: string;
  kind: ChannelKind;
  url: string;
  minSeverity: Severity;
  enabled: boolean;
  origin: 'ui' | 'file';
  encryptedSecret: string | null;
  lastError: string | null;
  lastErrorAt: number | null;
  lastDeliveryAt: number | null;
}

export type NewChannel = Omit<StoredChannel, 'lastError' | 'lastErrorAt' | 'lastDeliveryAt'>;
export type ChannelPatch = Partial<
  Pick<StoredChannel, 'name' | 'url' | 'minSeverity' | 'enabled' | 'encryptedSecret'>
>;

export interface DeliveryRecord {
  id: number;
  incidentId: string;
  transition: string;
  channelId: string;
  channelName: string;
  instance: string;
  status: 'claimed' | 'sent' | 'failed';
  attempts: number;
  error: string | null;
  claimedAt: number;
  finishedAt: number | null;
}

export interface AlertRepository {
  /** Pending and firing incidents: the engine's state. */
  openIncidents(): Promise<Incident[]>;
  /** Writes (inserts or replaces) these incidents. */
  saveIncidents(incidents: readonly Incident[]): Promise<void>;
  /** Newest first: open and resolved (announced) ones. */
  listIncidents(limit: number): Promise<Incident[]>;
  /** Forgets incidents that were never announced (a cause gone within `for`). */
  deleteIncidents(ids: readonly string[]): Promise<void>;
  /** Deletes incidents resolved before `before` (epoch ms) and their deliveries; how many incidents. */
  purgeResolved(before: number): Promise<number>;

  listChannels(): Promise<StoredChannel[]>;
  getChannel(id: string): Promise<StoredChannel | null>;
  createChannel(channel: NewChannel): Promise<StoredChannel>;
  updateChannel(id: string, patch: ChannelPatch): Promise<StoredChannel | null>;
  deleteChannel(id: string): Promise<boolean>;
  /** Makes the file's channels the `origin: 'file'` rows: adds, replaces, removes the rest. */
  syncFileChannels(channels: readonly NewChannel[]): Promise<void>;
  /** Notes a delivery's outcome on the channel (last error kept until a success clears it). */
  recordChannelResult(
    id: string,
    result: { ok: boolean; error?: string; at: number },
  ): Promise<void>;

  /**
   * Claims one delivery: true for the one caller that inserted the (incident, transition,
   * channel) row, false when it was claimed before (by this or another console).
   */
  claimDelivery(claim: {
    incidentId: string;
    transition: string;
    channelId: string;
    channelName: string;
    instance: string;
    at: number;
  }): Promise<boolean>;
  finishDelivery(done: {
    incidentId: string;
    transition: string;
    channelId: string;
    ok: boolean;
    attempts: number;
    error: string | null;
    at: number;
  }): Promise<void>;
  /** Newest first; for one incident when given. */
  listDeliveries(options: { limit: number; incidentId?: string }): Promise<DeliveryRecord[]>;
}

const clampLimit = (limit: number) => Math.max(0, Math.min(Math.floor(limit), 1000));
const num = (v: number | string | null) => (v === null ? null : Number(v));

function channelOf(row: Selectable<AlertChannelTable>): StoredChannel {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as ChannelKind,
    url: row.url,
    minSeverity: row.min_severity as Severity,
    enabled: Number(row.enabled) === 1,
    origin: row.origin === 'file' ? 'file' : 'ui',
    encryptedSecret: row.secret,
    lastError: row.last_error,
    lastErrorAt: num(row.last_error_at),
    lastDeliveryAt: num(row.last_delivery_at),
  };
}

function parseIncident(data: string): Incident | null {
  try {
    const value = JSON.parse(data) as Incident;
    return value && typeof value.id === 'string' && typeof value.group === 'string' ? value : null;
  } catch {
    return null;
  }
}

/**
 * Incidents and the delivery log are `cluster`'s only (an incident id is unique per cluster);
 * channels are fleet-wide, shared by every cluster's repository: a channel is where people get
 * notices, set up once for the fleet, and each delivery row says which cluster it was for.
 */
export function createAlertRepository(
  db: Kysely<StoreSchema>,
  clock: () => Date,
  cluster = 'default',
): AlertRepository {
  const getChannel = async (id: string) => {
    const row = await db
      .selectFrom('alert_channels')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? channelOf(row) : null;
  };
  const insertChannel = async (channel: NewChannel) => {
    const at = clock().getTime();
    await db
      .insertInto('alert_channels')
      .values({
        id: channel.id,
        name: channel.name,
        kind: channel.kind,
        url: channel.url,
        min_severity: channel.minSeverity,
        enabled: channel.enabled ? 1 : 0,
        origin: channel.origin,
        secret: channel.encryptedSecret,
        last_error: null,
        last_error_at: null,
        last_delivery_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
  };
  return {
    async openIncidents() {
      const rows = await db
        .selectFrom('alert_incidents')
        .select('data')
        .where('cluster', '=', cluster)
        .where('phase', 'in', ['pending', 'firing'])
        .orderBy('since')
        .execute();
      return rows.map((r) => parseIncident(r.data)).filter((i): i is Incident => i !== null);
    },

    async saveIncidents(incidents) {
      if (incidents.length === 0) return;
      const at = clock().getTime();
      await db.transaction().execute(async (tx) => {
        for (const incident of incidents) {
          const row = {
            cluster,
            id: incident.id,
            grp: incident.group,
            phase: incident.phase,
            severity: incident.severity,
            since: Date.parse(incident.since),
            resolved_at: incident.resolvedAt ? Date.parse(incident.resolvedAt) : null,
            updated_at: at,
            data: JSON.stringify(incident),
          };
          await tx
            .insertInto('alert_incidents')
            .values(row)
            .onConflict((oc) =>
              oc.columns(['cluster', 'id']).doUpdateSet({
                phase: row.phase,
                severity: row.severity,
                resolved_at: row.resolved_at,
                updated_at: row.updated_at,
                data: row.data,
              }),
            )
            .execute();
        }
      });
    },

    async listIncidents(limit) {
      const rows = await db
        .selectFrom('alert_incidents')
        .select('data')
        .where('cluster', '=', cluster)
        .orderBy('since', 'desc')
        .orderBy('id', 'desc')
        .limit(clampLimit(limit))
        .execute();
      return rows.map((r) => parseIncident(r.data)).filter((i): i is Incident => i !== null);
    },

    async deleteIncidents(ids) {
      if (ids.length === 0) return;
      await db
        .deleteFrom('alert_incidents')
        .where('cluster', '=', cluster)
        .where('id', 'in', [...ids])
        .execute();
    },

    async purgeResolved(before) {
      return db.transaction().execute(async (tx) => {
        const old = tx
          .selectFrom('alert_incidents')
          .select('id')
          .where('cluster', '=', cluster)
          .where('phase', '=', 'resolved')
          .where('resolved_at', '<', before);
        await tx
          .deleteFrom('alert_deliveries')
          .where('cluster', '=', cluster)
          .where('incident_id', 'in', old)
          .execute();
        const result = await tx
          .deleteFrom('alert_incidents')
          .where('cluster', '=', cluster)
          .where('phase', '=', 'resolved')
          .where('resolved_at', '<', before)
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      });
    },

    async listChannels() {
      const rows = await db.selectFrom('alert_channels').selectAll().orderBy('name').execute();
      return rows.map(channelOf);
    },

    getChannel,

    async createChannel(channel) {
      await insertChannel(channel);
      return (await getChannel(channel.id)) as StoredChannel;
    },

    async updateChannel(id, patch) {
      const result = await db
        .updateTable('alert_channels')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.url !== undefined && { url: patch.url }),
          ...(patch.minSeverity !== undefined && { min_severity: patch.minSeverity }),
          ...(patch.enabled !== undefined && { enabled: patch.enabled ? 1 : 0 }),
          ...(patch.encryptedSecret !== undefined && { secret: patch.encryptedSecret }),
          updated_at: clock().getTime(),
        })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 0 ? null : getChannel(id);
    },

    async deleteChannel(id) {
      const result = await db.deleteFrom('alert_channels').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async syncFileChannels(channels) {
      await db.transaction().execute(async (tx) => {
        const keep = channels.map((c) => c.id);
        let stale = tx.deleteFrom('alert_channels').where('origin', '=', 'file');
        if (keep.length > 0) stale = stale.where('id', 'not in', keep);
        await stale.execute();
        const at = clock().getTime();
        for (const c of channels) {
          await tx
            .insertInto('alert_channels')
            .values({
              id: c.id,
              name: c.name,
              kind: c.kind,
              url: c.url,
              min_severity: c.minSeverity,
              enabled: c.enabled ? 1 : 0,
              origin: 'file',
              secret: c.encryptedSecret,
              last_error: null,
              last_error_at: null,
              last_delivery_at: null,
              created_at: at,
              updated_at: at,
            })
            .onConflict((oc) =>
              oc.column('id').doUpdateSet({
                name: c.name,
                kind: c.kind,
                url: c.url,
                min_severity: c.minSeverity,
                enabled: c.enabled ? 1 : 0,
                origin: 'file',
                secret: c.encryptedSecret,
                updated_at: at,
              }),
            )
            .execute();
        }
      });
    },

    async recordChannelResult(id, result) {
      await db
        .updateTable('alert_channels')
        .set(
          result.ok
            ? { last_delivery_at: result.at, last_error: null, last_error_at: null }
            : { last_error: (result.error ?? 'failed').slice(0, 500), last_error_at: result.at },
        )
        .where('id', '=', id)
        .execute();
    },

    async claimDelivery(claim) {
      const rows = await db
        .insertInto('alert_deliveries')
        .values({
          cluster,
          incident_id: claim.incidentId,
          transition: claim.transition,
          channel_id: claim.channelId,
          channel_name: claim.channelName,
          instance: claim.instance,
          status: 'claimed',
          attempts: 0,
          error: null,
          claimed_at: claim.at,
          finished_at: null,
        })
        .onConflict((oc) =>
          oc.columns(['cluster', 'incident_id', 'transition', 'channel_id']).doNothing(),
        )
        .returning('id')
        .execute();
      return rows.length === 1;
    },

    async finishDelivery(done) {
      await db
        .updateTable('alert_deliveries')
        .set({
          status: done.ok ? 'sent' : 'failed',
          attempts: done.attempts,
          error: done.error === null ? null : done.error.slice(0, 500),
          finished_at: done.at,
        })
        .where('cluster', '=', cluster)
        .where('incident_id', '=', done.incidentId)
        .where('transition', '=', done.transition)
        .where('channel_id', '=', done.channelId)
        .execute();
    },

    async listDeliveries({ limit, incidentId }) {
      let query = db.selectFrom('alert_deliveries').selectAll().where('cluster', '=', cluster);
      if (incidentId !== undefined) query = query.where('incident_id', '=', incidentId);
      const rows = await query
        .orderBy('claimed_at', 'desc')
        .orderBy('id', 'desc')
        .limit(clampLimit(limit))
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        incidentId: r.incident_id,
        transition: r.transition,
        channelId: r.channel_id,
        channelName: r.channel_name,
        instance: r.instance,
        status: r.status as DeliveryRecord['status'],
        attempts: Number(r.attempts),
        error: r.error,
        claimedAt: Number(r.claimed_at),
        finishedAt: num(r.finished_at),
      }));
    },
  };
}
