// The sampled series on disk: one row per point and tier (resolution 0 = raw), per-replica
// latency as a compact JSON column. Roll-ups and reads aggregate with aggregateSamples() from
// lib/domain/history/samples.ts, so there is one definition of "average" and "lowest".
import 'server-only';
import { CompiledQuery, type Kysely, type Selectable, type Transaction } from 'kysely';
import { aggregateSamples, type LatencyStat, type Sample } from '@/lib/domain/history';
import type { HistorySampleTable, StoreSchema } from './schema';

type Db = Kysely<StoreSchema> | Transaction<StoreSchema>;
type SampleRow = Selectable<HistorySampleTable>;
type LatencyTuple = [avgMs: number | null, maxMs: number | null, replies: number, probes: number];

const MEASURES = [
  ['dtr_replicas', 'dtrReplicas'],
  ['dtr_majority', 'dtrMajority'],
  ['dtr_healthy', 'dtrHealthy'],
  ['dtr_healthy_min', 'dtrHealthyMin'],
  ['dtr_margin', 'dtrMargin'],
  ['dtr_margin_min', 'dtrMarginMin'],
  ['ucp_managers', 'ucpManagers'],
  ['ucp_majority', 'ucpMajority'],
  ['ucp_reachable', 'ucpReachable'],
  ['ucp_reachable_min', 'ucpReachableMin'],
  ['ucp_margin', 'ucpMargin'],
  ['ucp_margin_min', 'ucpMarginMin'],
] as const satisfies readonly (readonly [keyof HistorySampleTable, keyof Sample])[];

function rowOf(cluster: string, sample: Sample, resolutionMs: number): SampleRow {
  const latency: Record<string, LatencyTuple> = {};
  for (const [id, l] of Object.entries(sample.latency))
    latency[id] = [l.avgMs, l.maxMs, l.replies, l.probes];
  const row = {
    cluster,
    resolution_ms: resolutionMs,
    at: sample.at,
    count: sample.count,
  } as SampleRow;
  for (const [column, field] of MEASURES) row[column] = sample[field];
  row.latency = JSON.stringify(latency);
  return row;
}

function sampleOf(row: SampleRow): Sample {
  let tuples: Record<string, LatencyTuple> = {};
  try {
    tuples = JSON.parse(row.latency) as Record<string, LatencyTuple>;
  } catch {
    // A damaged latency cell loses that point's latency, not the point.
  }
  const latency: Record<string, LatencyStat> = {};
  for (const [id, [avgMs, maxMs, replies, probes]] of Object.entries(tuples))
    latency[id] = { avgMs, maxMs, replies, probes };
  const sample = { at: Number(row.at), count: Number(row.count), latency } as Sample;
  for (const [column, field] of MEASURES) sample[field] = Number(row[column]);
  return sample;
}

// 17 parameters a row (cluster, tier, time, count, 12 measures, latency): 500 rows stay far
// below SQLite's 32 766 bound variables.
const INSERT_BATCH = 500;
// Target buckets rolled up per step: bounds memory on a large backlog.
const ROLLUP_WINDOW_BUCKETS = 1000;

export interface SampleTiers {
  insert(db: Db, samples: readonly Sample[], resolutionMs: number): Promise<void>;
  /** Moves points of tier `from` older than `before` into tier `to`, merging with what is there. */
  rollUp(db: Db, from: number, to: number, before: number): Promise<number>;
  purge(db: Db, resolutionMs: number, before: number): Promise<number>;
  /** Every tier's points in [from, to], re-bucketed to `resolutionMs` (0: as stored), oldest first. */
  read(db: Db, from: number, to: number, resolutionMs: number): Promise<Sample[]>;
}

/** One cluster's tiers: every read and write is of that cluster's rows only. */
export function sampleTiers(cluster = 'default'): SampleTiers {
  // Kysely compiles the insert for a batch size once; later batches of that size reuse its SQL
  // with new parameters (compiling 8 000 parameters costs more than running the insert).
  const compiled = new Map<number, string>();

  async function insert(db: Db, samples: readonly Sample[], resolutionMs: number): Promise<void> {
    for (let i = 0; i < samples.length; i += INSERT_BATCH) {
      const rows = samples.slice(i, i + INSERT_BATCH).map((s) => rowOf(cluster, s, resolutionMs));
      const columns = Object.keys(rows[0] ?? {}) as (keyof SampleRow)[];
      let text = compiled.get(rows.length);
      if (text === undefined) {
        text = db
          .insertInto('history_samples')
          .values(rows)
          .onConflict((oc) => oc.columns(['cluster', 'resolution_ms', 'at']).doNothing())
          .compile().sql;
        if (compiled.size < 16) compiled.set(rows.length, text);
      }
      const parameters = rows.flatMap((row) => columns.map((column) => row[column]));
      await db.executeQuery(CompiledQuery.raw(text, parameters));
    }
  }

  async function purge(db: Db, resolutionMs: number, before: number): Promise<number> {
    const result = await db
      .deleteFrom('history_samples')
      .where('cluster', '=', cluster)
      .where('resolution_ms', '=', resolutionMs)
      .where('at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async function rollUp(db: Db, from: number, to: number, before: number): Promise<number> {
    let moved = 0;
    for (;;) {
      const oldest = await db
        .selectFrom('history_samples')
        .where('cluster', '=', cluster)
        .select((eb) => eb.fn.min('at').as('at'))
        .where('resolution_ms', '=', from)
        .where('at', '<', before)
        .executeTakeFirst();
      if (oldest?.at === null || oldest?.at === undefined) return moved;
      const start = Math.floor(Number(oldest.at) / to) * to;
      const end = Math.min(before, start + to * ROLLUP_WINDOW_BUCKETS);
      const rows = await db
        .selectFrom('history_samples')
        .where('cluster', '=', cluster)
        .selectAll()
        .where('resolution_ms', 'in', [from, to])
        .where('at', '>=', start)
        .where('at', '<', end)
        .execute();
      // A point already in the target tier (a late sample's bucket) is merged, not duplicated.
      const merged = aggregateSamples(rows.map(sampleOf), to);
      await db
        .deleteFrom('history_samples')
        .where('cluster', '=', cluster)
        .where('resolution_ms', 'in', [from, to])
        .where('at', '>=', start)
        .where('at', '<', end)
        .execute();
      await insert(db, merged, to);
      moved += rows.filter((r) => r.resolution_ms === from).length;
    }
  }

  async function read(db: Db, from: number, to: number, resolutionMs: number): Promise<Sample[]> {
    const rows = await db
      .selectFrom('history_samples')
      .where('cluster', '=', cluster)
      .selectAll()
      .where('at', '>=', from)
      .where('at', '<=', to)
      .orderBy('at')
      .execute();
    return aggregateSamples(rows.map(sampleOf), resolutionMs);
  }

  return { insert, rollUp, purge, read };
}
