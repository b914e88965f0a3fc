// Gated execution (issue 22, docs/design-gated-execution.md §4): the console's record of each time
// it runs a wizard's command itself, and the tool's output lines. The one-at-a-time lock is the
// partial unique index of migration 0008 (at most one row per cluster in starting, running or
// orphaned), so two consoles on one Postgres database cannot both start a container; a lease
// that the running console renews tells the others when it stopped.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Instant } from '@/lib/domain/types';
import type { WizardKind } from '@/lib/domain/wizards/gates';
import {
  ACTIVE_EXECUTION_STATUSES,
  type ExecutionHold,
  type ExecutionLine,
  type ExecutionRecord,
  type ExecutionStatus,
} from '@/lib/domain/execution/types';
import type { ExecutionHoldTable, ExecutionLineTable, ExecutionTable, StoreSchema } from './schema';

export type { ExecutionHold, ExecutionLine, ExecutionRecord, ExecutionStatus };

export interface NewExecution {
  /** Default: a random UUID. */
  id?: string;
  runId: string;
  kind: WizardKind;
  actor: string;
  ip: string | null;
  /** The console instance that will run it and renew the lease. */
  instance: string;
  imageRef: string;
  node: string | null;
  argvPublic: string[];
  /** The lease runs until now + leaseMs; renew() extends it. */
  leaseMs: number;
}

export interface NewHold {
  kind: string;
  actor: string;
  instance: string;
  subject: string;
  /** The hold ends by itself after this long if it is never released (its console stopped). */
  ttlMs: number;
}

export type HoldResult = { ok: true; hold: ExecutionHold } | { ok: false; holder: ExecutionHold };

export type AcquireResult =
  { ok: true; record: ExecutionRecord } | { ok: false; holder: ExecutionRecord };

export type ExecutionPatch = Partial<
  Pick<
    ExecutionRecord,
    | 'status'
    | 'node'
    | 'imageRef'
    | 'imageId'
    | 'repoDigest'
    | 'containerId'
    | 'argvPublic'
    | 'exitCode'
    | 'refusal'
    | 'startedAt'
    | 'finishedAt'
    | 'logTail'
    | 'leaseUntil'
  >
>;

export interface ExecutionRepository {
  /** INSERT status 'starting' with lease_until = now + leaseMs; a unique violation on the partial index → { ok:false, holder } (the active record). Exactly one of two concurrent calls wins, across processes. */
  acquire(execution: NewExecution): Promise<AcquireResult>;
  update(id: string, patch: ExecutionPatch): Promise<ExecutionRecord | null>;
  /** Only while `instance` still owns it and it is active: lease_until = now + leaseMs. false when it no longer does. */
  renew(id: string, instance: string, leaseMs: number): Promise<boolean>;
  get(id: string): Promise<ExecutionRecord | null>;
  /** The execution holding this cluster's slot, if any. */
  active(): Promise<ExecutionRecord | null>;
  /** Newest first. */
  forRun(runId: string): Promise<ExecutionRecord[]>;
  list(options: { limit: number }): Promise<ExecutionRecord[]>;
  /** Conditional UPDATE of active executions whose lease expired before `now` to 'orphaned'; returns those THIS call moved (one writer wins each). */
  orphanExpired(now: Date): Promise<ExecutionRecord[]>;
  /** Appends lines (seq given by the caller, unique per execution); keeps at most 2,000 per execution (drops the oldest beyond). */
  appendLines(executionId: string, lines: ExecutionLine[]): Promise<void>;
  /** Lines with seq > afterSeq, ascending, at most `limit` (default 500). */
  lines(executionId: string, afterSeq?: number, limit?: number): Promise<ExecutionLine[]>;
  /**
   * Takes this cluster's hold for a step without a container (after clearing an expired one);
   * { ok:false, holder } while someone else's is in force. Exactly one of two concurrent calls
   * wins, across processes. It does not look at the execution slot: the caller does, after.
   */
  takeHold(hold: NewHold): Promise<HoldResult>;
  /** Extends the hold with this id to now + ttlMs while it is still in force; false once it is not. */
  renewHold(id: string, ttlMs: number): Promise<boolean>;
  /** Gives the hold back (only the hold with this id: a successor's is left alone). */
  releaseHold(id: string): Promise<void>;
  /** The hold in force on this cluster now, if any (an expired one is not). */
  currentHold(): Promise<ExecutionHold | null>;
}

/** Lines kept per execution; older ones are dropped as new ones arrive. */
export const MAX_EXECUTION_LINES = 2000;
/** lines() answers at most this many at once. */
export const MAX_LINES_PER_READ = MAX_EXECUTION_LINES;
const DEFAULT_LINES_PER_READ = 500;
/** Rows per INSERT: 6 parameters each stays far below SQLite's and Postgres's limits. */
const INSERT_CHUNK = 500;
/** An acquire that lost to a holder which finished before it could be read tries again. */
const ACQUIRE_ATTEMPTS = 5;

/**
 * The statuses whose lease the running console renews; an expired one is orphaned. `orphaned`
 * itself keeps the slot (recovery is looking) but has no owner left to renew it.
 */
const LEASED_STATUSES = ['starting', 'running'] as const satisfies readonly ExecutionStatus[];

/**
 * Literal, not bound: the ON CONFLICT target names the partial index by its predicate, and both
 * databases must prove at planning time that it implies the index's own (bound parameters they
 * cannot see through).
 */
const ACTIVE_PREDICATE = sql<boolean>`status in (${sql.join(
  ACTIVE_EXECUTION_STATUSES.map((s) => sql.lit(s)),
)})`;

const instant = (ms: number): Instant => new Date(ms).toISOString();
const instantOrNull = (ms: number | null): Instant | null => (ms === null ? null : instant(ms));

function millis(value: Instant, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`an execution's ${field} must be a time, got "${value}"`);
  return ms;
}
const millisOrNull = (value: Instant | null, field: string) =>
  value === null ? null : millis(value, field);

function argvOf(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    if (Array.isArray(value)) return value.map(String);
  } catch {
    // A damaged row still lists, with no argv.
  }
  return [];
}

function recordOf(row: Selectable<ExecutionTable>): ExecutionRecord {
  return {
    id: row.id,
    cluster: row.cluster,
    runId: row.run_id,
    kind: row.kind as WizardKind,
    actor: row.actor,
    ip: row.ip,
    instance: row.instance,
    status: row.status as ExecutionStatus,
    node: row.node,
    imageRef: row.image_ref,
    imageId: row.image_id,
    repoDigest: row.repo_digest,
    containerId: row.container_id,
    argvPublic: argvOf(row.argv_public),
    exitCode: row.exit_code,
    refusal: row.refusal,
    leaseUntil: instantOrNull(row.lease_until),
    createdAt: instant(row.created_at),
    startedAt: instantOrNull(row.started_at),
    finishedAt: instantOrNull(row.finished_at),
    logTail: row.log_tail,
  };
}

function holdOf(row: Selectable<ExecutionHoldTable>): ExecutionHold {
  return {
    id: row.id,
    cluster: row.cluster,
    kind: row.kind,
    actor: row.actor,
    instance: row.instance,
    subject: row.subject,
    createdAt: instant(row.created_at),
    expiresAt: instant(row.expires_at),
  };
}

function lineOf(row: Pick<ExecutionLineTable, 'seq' | 'stream' | 'at' | 'text' | 'level'>) {
  return {
    seq: row.seq,
    stream: row.stream as ExecutionLine['stream'],
    at: instant(row.at),
    text: row.text,
    level: row.level as ExecutionLine['level'],
  } satisfies ExecutionLine;
}

function leaseMillis(leaseMs: number): number {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0)
    throw new Error(
      `an execution's lease must be a positive number of milliseconds, got ${leaseMs}`,
    );
  return Math.round(leaseMs);
}

const clampLimit = (limit: number) => Math.max(0, Math.min(Math.floor(limit), 1000));

export function createExecutionRepository(
  db: Kysely<StoreSchema>,
  clock: () => Date,
  /** Whose executions: every call sees and takes only this cluster's rows and slot. */
  cluster = 'default',
): ExecutionRepository {
  const get = async (id: string) => {
    const row = await db
      .selectFrom('executions')
      .selectAll()
      .where('cluster', '=', cluster)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? recordOf(row) : null;
  };

  const active = async () => {
    const row = await db
      .selectFrom('executions')
      .selectAll()
      .where('cluster', '=', cluster)
      .where('status', 'in', ACTIVE_EXECUTION_STATUSES)
      .executeTakeFirst();
    return row ? recordOf(row) : null;
  };

  const currentHold = async () => {
    const row = await db
      .selectFrom('execution_holds')
      .selectAll()
      .where('cluster', '=', cluster)
      .where('expires_at', '>', clock().getTime())
      .executeTakeFirst();
    return row ? holdOf(row) : null;
  };

  return {
    get,
    active,

    async acquire(execution) {
      const lease = leaseMillis(execution.leaseMs);
      const id = execution.id ?? randomUUID();
      for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
        const now = clock().getTime();
        // ON CONFLICT on the partial index: the loser inserts nothing (no error, so a Postgres
        // transaction around it would survive); any other conflict (a reused id) still throws.
        const inserted = await db
          .insertInto('executions')
          .values({
            cluster,
            id,
            run_id: execution.runId,
            kind: execution.kind,
            actor: execution.actor,
            ip: execution.ip,
            instance: execution.instance,
            status: 'starting',
            node: execution.node,
            image_ref: execution.imageRef,
            image_id: null,
            repo_digest: null,
            container_id: null,
            argv_public: JSON.stringify(execution.argvPublic),
            exit_code: null,
            refusal: null,
            lease_until: now + lease,
            created_at: now,
            started_at: null,
            finished_at: null,
            log_tail: '',
          })
          .onConflict((oc) => oc.column('cluster').where(ACTIVE_PREDICATE).doNothing())
          .returningAll()
          .executeTakeFirst();
        if (inserted) return { ok: true, record: recordOf(inserted) };
        const holder = await active();
        if (holder) return { ok: false, holder };
        // The holder finished between our insert and the read: the slot may be free now.
      }
      throw new Error(
        `could not take the execution slot of cluster "${cluster}": it was taken and freed ${ACQUIRE_ATTEMPTS} times while trying; try again`,
      );
    },

    async update(id, patch) {
      const set: Partial<ExecutionTable> = {
        ...(patch.status !== undefined && { status: patch.status }),
        ...(patch.node !== undefined && { node: patch.node }),
        ...(patch.imageRef !== undefined && { image_ref: patch.imageRef }),
        ...(patch.imageId !== undefined && { image_id: patch.imageId }),
        ...(patch.repoDigest !== undefined && { repo_digest: patch.repoDigest }),
        ...(patch.containerId !== undefined && { container_id: patch.containerId }),
        ...(patch.argvPublic !== undefined && { argv_public: JSON.stringify(patch.argvPublic) }),
        ...(patch.exitCode !== undefined && { exit_code: patch.exitCode }),
        ...(patch.refusal !== undefined && { refusal: patch.refusal }),
        ...(patch.startedAt !== undefined && {
          started_at: millisOrNull(patch.startedAt, 'start'),
        }),
        ...(patch.finishedAt !== undefined && {
          finished_at: millisOrNull(patch.finishedAt, 'end'),
        }),
        ...(patch.logTail !== undefined && { log_tail: patch.logTail }),
        ...(patch.leaseUntil !== undefined && {
          lease_until: millisOrNull(patch.leaseUntil, 'lease'),
        }),
      };
      if (Object.keys(set).length === 0) return get(id);
      const result = await db
        .updateTable('executions')
        .set(set)
        .where('cluster', '=', cluster)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 0 ? null : get(id);
    },

    async renew(id, instance, leaseMs) {
      const lease = leaseMillis(leaseMs);
      const result = await db
        .updateTable('executions')
        .set({ lease_until: clock().getTime() + lease })
        .where('cluster', '=', cluster)
        .where('id', '=', id)
        .where('instance', '=', instance)
        .where('status', 'in', LEASED_STATUSES)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async forRun(runId) {
      const rows = await db
        .selectFrom('executions')
        .selectAll()
        .where('cluster', '=', cluster)
        .where('run_id', '=', runId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(recordOf);
    },

    async list({ limit }) {
      const rows = await db
        .selectFrom('executions')
        .selectAll()
        .where('cluster', '=', cluster)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(clampLimit(limit))
        .execute();
      return rows.map(recordOf);
    },

    async orphanExpired(now) {
      // One statement: of two consoles running this at once, the second finds the row already
      // orphaned (Postgres re-checks the condition on the row the first one changed).
      const rows = await db
        .updateTable('executions')
        .set({ status: 'orphaned' })
        .where('cluster', '=', cluster)
        .where('status', 'in', LEASED_STATUSES)
        .where('lease_until', '<', now.getTime())
        .returningAll()
        .execute();
      return rows.map(recordOf).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    async takeHold(hold) {
      const ttl = leaseMillis(hold.ttlMs);
      const id = randomUUID();
      for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
        const now = clock().getTime();
        // A hold whose console stopped without giving it back ends by itself.
        await db
          .deleteFrom('execution_holds')
          .where('cluster', '=', cluster)
          .where('expires_at', '<=', now)
          .execute();
        const inserted = await db
          .insertInto('execution_holds')
          .values({
            cluster,
            id,
            kind: hold.kind,
            actor: hold.actor,
            instance: hold.instance,
            subject: hold.subject,
            created_at: now,
            expires_at: now + ttl,
          })
          .onConflict((oc) => oc.column('cluster').doNothing())
          .returningAll()
          .executeTakeFirst();
        if (inserted) return { ok: true, hold: holdOf(inserted) };
        const holder = await currentHold();
        if (holder) return { ok: false, holder };
        // It was given back (or ran out) between our insert and the read: try again.
      }
      throw new Error(
        `could not take the hold of cluster "${cluster}": it was taken and freed ${ACQUIRE_ATTEMPTS} times while trying; try again`,
      );
    },

    async renewHold(id, ttlMs) {
      const ttl = leaseMillis(ttlMs);
      const now = clock().getTime();
      const result = await db
        .updateTable('execution_holds')
        .set({ expires_at: now + ttl })
        .where('cluster', '=', cluster)
        .where('id', '=', id)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async releaseHold(id) {
      await db
        .deleteFrom('execution_holds')
        .where('cluster', '=', cluster)
        .where('id', '=', id)
        .execute();
    },

    currentHold,

    async appendLines(executionId, lines) {
      if (lines.length === 0) return;
      for (const line of lines) {
        if (!Number.isSafeInteger(line.seq) || line.seq < 1)
          throw new Error(
            `execution ${executionId}: a line's seq must be a whole number from 1, got ${line.seq}`,
          );
      }
      const owner = await db
        .selectFrom('executions')
        .select('id')
        .where('cluster', '=', cluster)
        .where('id', '=', executionId)
        .executeTakeFirst();
      if (!owner)
        throw new Error(
          `there is no execution ${executionId} on cluster "${cluster}" to keep these lines of`,
        );
      for (let start = 0; start < lines.length; start += INSERT_CHUNK) {
        await db
          .insertInto('execution_lines')
          .values(
            lines.slice(start, start + INSERT_CHUNK).map((line) => ({
              execution_id: executionId,
              seq: line.seq,
              stream: line.stream,
              at: millis(line.at, 'line time'),
              text: line.text,
              level: line.level,
            })),
          )
          // A batch sent twice (a retry) keeps the first copy.
          .onConflict((oc) => oc.columns(['execution_id', 'seq']).doNothing())
          .execute();
      }
      // seq values are distinct whole numbers from 1: up to MAX of them, none can be dropped.
      if (Math.max(...lines.map((l) => l.seq)) <= MAX_EXECUTION_LINES) return;
      await db
        .deleteFrom('execution_lines')
        .where('execution_id', '=', executionId)
        .where('seq', '<', (eb) =>
          eb
            .selectFrom('execution_lines')
            .select('seq')
            .where('execution_id', '=', executionId)
            .orderBy('seq', 'desc')
            .limit(1)
            .offset(MAX_EXECUTION_LINES - 1),
        )
        .execute();
    },

    async lines(executionId, afterSeq = 0, limit = DEFAULT_LINES_PER_READ) {
      const rows = await db
        .selectFrom('execution_lines as l')
        .innerJoin('executions as e', 'e.id', 'l.execution_id')
        .select(['l.seq', 'l.stream', 'l.at', 'l.text', 'l.level'])
        .where('e.cluster', '=', cluster)
        .where('l.execution_id', '=', executionId)
        .where('l.seq', '>', afterSeq)
        .orderBy('l.seq', 'asc')
        .limit(Math.max(0, Math.min(Math.floor(limit), MAX_LINES_PER_READ)))
        .execute();
      return rows.map(lineOf);
    },
  };
}
