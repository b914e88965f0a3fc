// History persistence: events, the last known state of every subject, and tiered samples.
import 'server-only';
import type { Kysely, Selectable } from 'kysely';
import {
  DEFAULT_RETENTION,
  downsamplePlan,
  isDown,
  outages,
  REMOVED,
  resolutionFor,
  type HistoryDetail,
  type HistoryEvent,
  type HistoryEventKind,
  type HistorySeries,
  type KnownState,
  type Outage,
  type RetentionPolicy,
  type Sample,
} from '@/lib/domain/history';
import type { Instant } from '@/lib/domain/types';
import { sampleTiers } from './samples';
import type { HistoryEventTable, StoreSchema } from './schema';

export interface HistoryRange {
  /** Epoch ms. */
  from: number;
  to: number;
  series: readonly HistorySeries[];
  /** Bucket size; by default chosen from the range (see resolutionFor). */
  resolutionMs?: number;
}

export interface HistoryData {
  from: number;
  to: number;
  resolutionMs: number;
  /** Oldest first; empty when no sampled series was asked for. */
  samples: Sample[];
  /** Events in the range, oldest first; empty unless "events" was asked for. */
  events: HistoryEvent[];
  /** Outages overlapping the range, newest first; empty unless "events" was asked for. */
  outages: Outage[];
}

export interface RetentionResult {
  rolledUp: number;
  purgedSamples: number;
  purgedEvents: number;
}

export interface HistoryRepository {
  /** Writes events and moves each subject's known state along with them, atomically. */
  recordEvents(events: readonly HistoryEvent[]): Promise<void>;
  recordSample(sample: Sample): Promise<void>;
  /** Raw samples in bulk (one transaction). */
  recordSamples(samples: readonly Sample[]): Promise<void>;
  query(range: HistoryRange): Promise<HistoryData>;
  /** When the replica went down, if it is down by the last record; null otherwise. */
  offlineSince(replicaId: string): Promise<Instant | null>;
  lastKnownStates(): Promise<KnownState[]>;
  /** Rolls samples down the tiers and purges what is past keeping; then reclaims space. */
  applyRetention(now: number): Promise<RetentionResult>;
  /** Rows per sample tier (resolution → rows) and events, for tests and metrics. */
  counts(): Promise<{ samples: Map<number, number>; events: number }>;
}

// ---------------------------------------------------------------------------
// Row mapping

type EventRow = Selectable<HistoryEventTable>;
const iso = (ms: number) => new Date(ms).toISOString();

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function eventOf(row: EventRow): HistoryEvent {
  return {
    at: iso(Number(row.at)),
    kind: row.kind as HistoryEventKind,
    subject: row.subject,
    from: row.from_state,
    to: row.to_state,
    detail: parseJson<HistoryDetail>(row.detail, {}),
  };
}

// ---------------------------------------------------------------------------

export function createHistoryRepository(
  db: Kysely<StoreSchema>,
  options: {
    clock: () => Date;
    retention?: RetentionPolicy;
    reclaimSpace?: () => Promise<void>;
    /** Whose rows: this repository reads, writes and purges only that cluster's. */
    cluster?: string;
  },
): HistoryRepository {
  const policy = options.retention ?? DEFAULT_RETENTION;
  const cluster = options.cluster ?? 'default';
  const tiers = sampleTiers(cluster);

  async function priorEvents(before: number): Promise<HistoryEvent[]> {
    const latest = db
      .selectFrom('history_events')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('cluster', '=', cluster)
      .where('at', '<', before)
      .groupBy(['kind', 'subject']);
    const rows = await db
      .selectFrom('history_events')
      .selectAll()
      .where('id', 'in', latest)
      .execute();
    return rows.map(eventOf);
  }

  return {
    async recordEvents(events) {
      if (events.length === 0) return;
      const now = options.clock().getTime();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('history_events')
          .values(
            events.map((e) => ({
              cluster,
              at: Date.parse(e.at),
              kind: e.kind,
              subject: e.subject,
              from_state: e.from,
              to_state: e.to,
              detail: JSON.stringify(e.detail),
            })),
          )
          .execute();
        // Only each subject's last event decides its state.
        const last = new Map(events.map((e) => [`${e.kind}:${e.subject}`, e]));
        for (const e of last.values()) {
          if (e.to === REMOVED) {
            await trx
              .deleteFrom('member_states')
              .where('cluster', '=', cluster)
              .where('kind', '=', e.kind)
              .where('subject', '=', e.subject)
              .execute();
            continue;
          }
          const row = {
            state: e.to,
            since: Date.parse(e.at),
            detail: JSON.stringify(e.detail),
            updated_at: now,
          };
          await trx
            .insertInto('member_states')
            .values({ cluster, kind: e.kind, subject: e.subject, ...row })
            .onConflict((oc) => oc.columns(['cluster', 'kind', 'subject']).doUpdateSet(row))
            .execute();
        }
      });
    },

    async recordSample(sample) {
      await tiers.insert(db, [sample], 0);
    },

    async recordSamples(samples) {
      await db.transaction().execute((trx) => tiers.insert(trx, samples, 0));
    },

    async query({ from, to, series, resolutionMs }) {
      const resolution =
        resolutionMs ?? resolutionFor({ from, to }, options.clock().getTime(), policy);
      const wantsSamples = series.some((s) => s !== 'events');
      const samples = wantsSamples ? await tiers.read(db, from, to, resolution) : [];
      let events: HistoryEvent[] = [];
      let spans: Outage[] = [];
      if (series.includes('events')) {
        const inRange = await db
          .selectFrom('history_events')
          .selectAll()
          .where('cluster', '=', cluster)
          .where('at', '>=', from)
          .where('at', '<=', to)
          .orderBy('at')
          .orderBy('id')
          .execute();
        events = inRange.map(eventOf);
        spans = outages([...(await priorEvents(from)), ...events], {
          from: iso(from),
          to: iso(to),
        });
      }
      return {
        from,
        to,
        resolutionMs: resolution,
        samples,
        events,
        outages: spans,
      };
    },

    async offlineSince(replicaId) {
      const row = await db
        .selectFrom('member_states')
        .select(['state', 'since'])
        .where('cluster', '=', cluster)
        .where('kind', '=', 'replica')
        .where('subject', '=', replicaId)
        .executeTakeFirst();
      return row && isDown('replica', row.state) ? iso(Number(row.since)) : null;
    },

    async lastKnownStates() {
      const rows = await db
        .selectFrom('member_states')
        .selectAll()
        .where('cluster', '=', cluster)
        .execute();
      return rows.map((row) => ({
        kind: row.kind as HistoryEventKind,
        subject: row.subject,
        state: row.state,
        since: iso(Number(row.since)),
        detail: parseJson<HistoryDetail>(row.detail, {}),
      }));
    },

    async applyRetention(now) {
      const plan = downsamplePlan(now, policy);
      let rolledUp = 0;
      for (const step of plan.rollups)
        rolledUp += await db
          .transaction()
          .execute((trx) =>
            tiers.rollUp(trx, step.fromResolutionMs, step.toResolutionMs, step.before),
          );
      const purgedSamples = await tiers.purge(db, plan.purge.resolutionMs, plan.purge.before);
      const expired = await db
        .deleteFrom('history_events')
        .where('cluster', '=', cluster)
        .where('at', '<', plan.purgeEventsBefore)
        .executeTakeFirst();
      const cutoff = await db
        .selectFrom('history_events')
        .select('id')
        .where('cluster', '=', cluster)
        .orderBy('id', 'desc')
        .offset(plan.maxEvents)
        .limit(1)
        .executeTakeFirst();
      const overflow = cutoff
        ? await db
            .deleteFrom('history_events')
            .where('cluster', '=', cluster)
            .where('id', '<=', cutoff.id)
            .executeTakeFirst()
        : null;
      await options.reclaimSpace?.();
      return {
        rolledUp,
        purgedSamples,
        purgedEvents: Number(expired.numDeletedRows) + Number(overflow?.numDeletedRows ?? 0),
      };
    },

    async counts() {
      const tiers = await db
        .selectFrom('history_samples')
        .select(['resolution_ms', (eb) => eb.fn.countAll<number>().as('rows')])
        .where('cluster', '=', cluster)
        .groupBy('resolution_ms')
        .execute();
      const events = await db
        .selectFrom('history_events')
        .select((eb) => eb.fn.countAll<number>().as('rows'))
        .where('cluster', '=', cluster)
        .executeTakeFirstOrThrow();
      return {
        samples: new Map(tiers.map((t) => [Number(t.resolution_ms), Number(t.rows)])),
        events: Number(events.rows),
      };
    },
  };
}
