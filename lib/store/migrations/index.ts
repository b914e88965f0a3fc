// Numbered migrations, run in name order by Kysely's Migrator. Never edit one that has shipped:
// add the next number instead.
import 'server-only';
import type { Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../db';
import { historyTables } from './0001-history';
import { wizardRunsTable } from './0002-wizard-runs';
import { auditLogTable } from './0003-audit-log';
import { sharedStateTables } from './0004-shared-state';
import { wizardRunsStaleStatus } from './0005-wizard-runs-stale';
import { alertTables } from './0006-alerts';
import { clusterColumns } from './0007-cluster';
import { executionTables } from './0008-executions';
import { wizardRunsExecutingStatus } from './0009-wizard-runs-executing';
import { executionHolds } from './0010-execution-holds';

export function migrationsFor(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-history': historyTables(dialect),
    '0002-wizard-runs': wizardRunsTable(),
    '0003-audit-log': auditLogTable(dialect),
    '0004-shared-state': sharedStateTables(dialect),
    '0005-wizard-runs-stale': wizardRunsStaleStatus(dialect),
    '0006-alerts': alertTables(dialect),
    '0007-cluster': clusterColumns(dialect),
    '0008-executions': executionTables(),
    '0009-wizard-runs-executing': wizardRunsExecutingStatus(dialect),
    '0010-execution-holds': executionHolds(),
  };
}

export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return { getMigrations: async () => migrationsFor(dialect) };
}
