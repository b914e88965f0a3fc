// Wizard runs (join, remove, emergency repair): where each guided change stands, so a run survives
// a reload or a console restart. `state` is the wizard's own JSON; this module does not read it.
import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Instant } from '@/lib/domain/types';
import { WIZARD_KINDS, type WizardKind } from '@/lib/domain/wizards/gates';
import { WIZARD_RUN_STATUSES } from '@/lib/domain/wizards/run';
import type { StoreSchema, WizardRunTable } from './schema';

/** The kinds and statuses are the domain's, defined once there. */
export { WIZARD_KINDS, type WizardKind };

/** The run statuses are the domain's (`stale` came with migration 0005). */
export const WIZARD_STATUSES = WIZARD_RUN_STATUSES;
export type WizardStatus = (typeof WIZARD_STATUSES)[number];

export interface WizardRun {
  id: string;
  kind: WizardKind;
  status: WizardStatus;
  step: string;
  /** The wizard's own JSON value. */
  state: unknown;
  createdBy: string;
  createdAt: Instant;
  updatedAt: Instant;
}

export interface NewWizardRun {
  /** Default: a random UUID. */
  id?: string;
  kind: WizardKind;
  /** Default "open". */
  status?: WizardStatus;
  step: string;
  /** Default {}. */
  state?: unknown;
  createdBy: string;
}

export type WizardRunPatch = Partial<Pick<WizardRun, 'status' | 'step' | 'state'>>;

export interface WizardRunRepository {
  create(run: NewWizardRun): Promise<WizardRun>;
  /** The run after the change; null when there is no run with that ID. */
  update(id: string, patch: WizardRunPatch): Promise<WizardRun | null>;
  get(id: string): Promise<WizardRun | null>;
  /** Newest first. */
  list(options: { limit: number; status?: WizardStatus }): Promise<WizardRun[]>;
}

function runOf(row: Selectable<WizardRunTable>): WizardRun {
  let state: unknown = {};
  try {
    state = JSON.parse(row.state);
  } catch {
    // A damaged row still lists; the wizard's own parser rejects the empty state.
  }
  return {
    id: row.id,
    kind: row.kind as WizardKind,
    status: row.status as WizardStatus,
    step: row.step,
    state,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const clampLimit = (limit: number) => Math.max(0, Math.min(Math.floor(limit), 1000));

export function createWizardRunRepository(
  db: Kysely<StoreSchema>,
  clock: () => Date,
  /** Whose runs: get, list and update see only that cluster's (IDs stay unique across all). */
  cluster = 'default',
): WizardRunRepository {
  const get = async (id: string) => {
    const row = await db
      .selectFrom('wizard_runs')
      .selectAll()
      .where('cluster', '=', cluster)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? runOf(row) : null;
  };
  return {
    get,

    async create(run) {
      const at = clock().toISOString();
      const row = {
        cluster,
        id: run.id ?? randomUUID(),
        kind: run.kind,
        status: run.status ?? 'open',
        step: run.step,
        state: JSON.stringify(run.state === undefined ? {} : run.state),
        created_by: run.createdBy,
        created_at: at,
        updated_at: at,
      };
      await db.insertInto('wizard_runs').values(row).execute();
      return runOf(row);
    },

    async update(id, patch) {
      const result = await db
        .updateTable('wizard_runs')
        .set({
          ...(patch.status !== undefined && { status: patch.status }),
          ...(patch.step !== undefined && { step: patch.step }),
          ...(patch.state !== undefined && { state: JSON.stringify(patch.state) }),
          updated_at: clock().toISOString(),
        })
        .where('cluster', '=', cluster)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 0 ? null : get(id);
    },

    async list({ limit, status }) {
      let query = db.selectFrom('wizard_runs').selectAll().where('cluster', '=', cluster);
      if (status !== undefined) query = query.where('status', '=', status);
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(clampLimit(limit))
        .execute();
      return rows.map(runOf);
    },
  };
}
