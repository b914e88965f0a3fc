// Where wizard runs are kept. The shape matches the `wizard_runs` table (lib/store's
// WizardRunRepository), which the runtime owns as `runtime.wizardRuns`, so runs outlive a
// restart; unit tests use the in-memory store below.
import 'server-only';
import { randomUUID } from 'node:crypto';
import type { WizardKind, WizardRunStatus } from '@/lib/domain/wizards';

export interface WizardRunRecord {
  id: string;
  kind: WizardKind;
  status: WizardRunStatus;
  /** The step the run resumes at. */
  step: string;
  /** JSON; lib/server/services/wizards.ts parses it (WizardRunStateSchema) on the way out. */
  state: unknown;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewWizardRun {
  kind: WizardKind;
  status: WizardRunStatus;
  step: string;
  state: unknown;
  createdBy: string;
}

export type WizardRunPatch = Partial<Pick<WizardRunRecord, 'status' | 'step' | 'state'>>;

export interface WizardRunStore {
  create(run: NewWizardRun): Promise<WizardRunRecord>;
  /** null when there is no such run. */
  update(id: string, patch: WizardRunPatch): Promise<WizardRunRecord | null>;
  get(id: string): Promise<WizardRunRecord | null>;
  /** Newest first. */
  list(options: { limit: number; status?: WizardRunStatus }): Promise<WizardRunRecord[]>;
}

/** Bounded: the oldest runs go first once `capacity` is reached. */
export class MemoryWizardRunStore implements WizardRunStore {
  readonly #runs = new Map<string, WizardRunRecord>();
  constructor(
    private readonly capacity = 500,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(run: NewWizardRun): Promise<WizardRunRecord> {
    const at = this.now().toISOString();
    const record: WizardRunRecord = {
      ...structuredClone(run),
      id: randomUUID(),
      createdAt: at,
      updatedAt: at,
    };
    this.#runs.set(record.id, record);
    for (const id of this.#runs.keys()) {
      if (this.#runs.size <= this.capacity) break;
      this.#runs.delete(id);
    }
    return structuredClone(record);
  }

  async update(id: string, patch: WizardRunPatch): Promise<WizardRunRecord | null> {
    const current = this.#runs.get(id);
    if (!current) return null;
    const next: WizardRunRecord = {
      ...current,
      ...structuredClone(patch),
      updatedAt: this.now().toISOString(),
    };
    this.#runs.set(id, next);
    return structuredClone(next);
  }

  async get(id: string): Promise<WizardRunRecord | null> {
    const run = this.#runs.get(id);
    return run ? structuredClone(run) : null;
  }

  async list({ limit, status }: { limit: number; status?: WizardRunStatus }) {
    return [...this.#runs.values()]
      .filter((run) => status === undefined || run.status === status)
      .reverse()
      .slice(0, Math.max(0, limit))
      .map((run) => structuredClone(run));
  }
}
