// The console's database: history, wizard runs and the audit log behind one handle, opened once
// per process (on globalThis, like lib/server/runtime.ts, because Next bundles routes separately).
import 'server-only';
import { Migrator } from 'kysely';
import type { RetentionPolicy } from '@/lib/domain/history';
import { createAlertRepository, type AlertRepository } from './alerts';
import { createAuditRepository, type AuditRepository } from './audit';
import { ConfigError } from '@/lib/config';
import { createExecutionRepository, type ExecutionRepository } from './executions';
import { openDatabase, redactDatabaseUrl, type OpenedDatabase, type StoreDialect } from './db';
import { createHistoryRepository, type HistoryRepository } from './history';
import { migrationProvider } from './migrations';
import { createWizardRunRepository, type WizardRunRepository } from './wizard-runs';
import { createRevokedSessionRepository, type RevokedSessionRepository } from './sessions';
import { createSnapshotRepository, type SnapshotRepository } from './snapshots';

export type { AlertRepository } from './alerts';
export type { AuditRepository, StoredAuditEvent } from './audit';
export type {
  AcquireResult,
  ExecutionPatch,
  ExecutionRepository,
  NewExecution,
} from './executions';
export { MAX_EXECUTION_LINES } from './executions';
export type { HistoryData, HistoryRange, HistoryRepository, RetentionResult } from './history';
export type {
  NewWizardRun,
  WizardKind,
  WizardRun,
  WizardRunPatch,
  WizardRunRepository,
  WizardStatus,
} from './wizard-runs';
export { WIZARD_KINDS, WIZARD_STATUSES } from './wizard-runs';
export type { RevokedSessionRepository } from './sessions';
export type { SnapshotRepository, StoredSnapshot } from './snapshots';
export type { StoreDialect } from './db';

/** One cluster's share of the database: each repository reads and writes only its rows. */
export interface ClusterStore {
  cluster: string;
  /** This cluster's events, states and samples; retention purges only them. */
  history: HistoryRepository;
  /** IDs stay unique across clusters; get, list and update see only this cluster's runs. */
  wizardRuns: WizardRunRepository;
  /** Writes are tagged with the cluster; reads return its entries and the fleet-wide ones. */
  audit: AuditRepository;
  /** Keyed by the cluster's name. */
  snapshots: SnapshotRepository;
  /** This cluster's incidents and delivery log; the channels are fleet-wide (shared). */
  alerts: AlertRepository;
  /** This cluster's executions and their lines; the one-at-a-time slot is per cluster. */
  executions: ExecutionRepository;
}

export interface Store {
  /** The cluster named "default"'s share, the same as `forCluster('default')`. */
  history: HistoryRepository;
  wizardRuns: WizardRunRepository;
  audit: AuditRepository;
  revokedSessions: RevokedSessionRepository;
  /** The polling instance's latest snapshot, for the others (Postgres: several instances). */
  snapshots: SnapshotRepository;
  /** Alert incidents, channels and the delivery log. */
  alerts: AlertRepository;
  /** The default cluster's executions (gated execution, issue 22). */
  executions: ExecutionRepository;
  /** One cluster's repositories (the same object for the same name). */
  forCluster(name: string): ClusterStore;
  /**
   * The fleet's audit log: records fleet-wide entries (cluster null) unless an event names its
   * cluster; reads return every cluster's entries and the fleet-wide ones.
   */
  fleetAudit: AuditRepository;
  dialect: StoreDialect;
  /** Postgres: the URL for a connection of one's own (see openCoordination); null for SQLite. */
  connectionString: string | null;
  /** Where the data lives (a file path for SQLite, the URL without password for Postgres). */
  location: string;
  /** Closes the database (SQLite checkpoints and removes its WAL file). Safe to call twice. */
  close(): Promise<void>;
}

/** Whose rows a single-cluster console's data are (migration 0007). */
export const DEFAULT_CLUSTER = 'default';

export interface StoreOptions {
  /** Source of "now" for stored timestamps (tests pass a controllable clock). */
  clock?: () => Date;
  retention?: RetentionPolicy;
}

/**
 * The audit log and sign-outs live in the database: a console that cannot open it must not run
 * on with them in memory. One readable line (no password), as a ConfigError, so start-up stops.
 */
export function cannotOpen(databaseUrl: string, error: unknown): ConfigError {
  if (error instanceof ConfigError) return error;
  const where = /^postgres(ql)?:\/\//i.test(databaseUrl.trim())
    ? redactDatabaseUrl(databaseUrl.trim())
    : databaseUrl.trim();
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return new ConfigError([
    `DATABASE_URL: cannot open the database at ${where} (${reason}); the console keeps its audit log and sign-outs there and does not start without it (e.g. DATABASE_URL=file:./data/console.db in a writable directory)`,
  ]);
}

/** Opens the database and brings its schema up to date. */
export async function openStore(databaseUrl: string, options: StoreOptions = {}): Promise<Store> {
  const clock = options.clock ?? (() => new Date());
  let opened: OpenedDatabase;
  try {
    opened = openDatabase(databaseUrl);
  } catch (error) {
    throw cannotOpen(databaseUrl, error);
  }
  try {
    const { error, results } = await new Migrator({
      db: opened.db,
      provider: migrationProvider(opened.dialect),
    }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new Error(
        `database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  } catch (error) {
    await opened.db.destroy().catch(() => undefined);
    throw cannotOpen(databaseUrl, error);
  }
  let closing: Promise<void> | null = null;
  const clusters = new Map<string, ClusterStore>();
  const forCluster = (name: string): ClusterStore => {
    if (typeof name !== 'string' || name.trim() === '')
      throw new Error(`a cluster's store needs the cluster's name, got ${JSON.stringify(name)}`);
    let cluster = clusters.get(name);
    if (!cluster) {
      cluster = {
        cluster: name,
        history: createHistoryRepository(opened.db, {
          clock,
          retention: options.retention,
          reclaimSpace: opened.reclaimSpace,
          cluster: name,
        }),
        wizardRuns: createWizardRunRepository(opened.db, clock, name),
        audit: createAuditRepository(opened.db, name),
        snapshots: createSnapshotRepository(opened.db, opened.dialect, name),
        alerts: createAlertRepository(opened.db, clock, name),
        executions: createExecutionRepository(opened.db, clock, name),
      };
      clusters.set(name, cluster);
    }
    return cluster;
  };
  const fallback = forCluster(DEFAULT_CLUSTER);
  return {
    history: fallback.history,
    wizardRuns: fallback.wizardRuns,
    audit: fallback.audit,
    revokedSessions: createRevokedSessionRepository(opened.db),
    snapshots: fallback.snapshots,
    alerts: fallback.alerts,
    executions: fallback.executions,
    forCluster,
    fleetAudit: createAuditRepository(opened.db, null),
    dialect: opened.dialect,
    connectionString: opened.connectionString,
    location: opened.location,
    close: () => (closing ??= opened.db.destroy()),
  };
}
