// Shortcuts for assessment tests: run one rule, or the whole assessment, on a built snapshot.
import { assessCluster, RULES } from '@/lib/domain/assess';
import { createContext, type AssessOptions } from '@/lib/domain/assess/context';
import type { Warning, WarningCode } from '@/lib/domain/types';
import { buildSnapshot, type SnapshotSpec } from '@/test/support/snapshot';

/** Connection settings so warnings carry commands. */
export const TEST_UCP = { ucpUrl: 'https://ucp.example.com', ucpUsername: 'admin' } as const;

/** The warnings one rule produces for a snapshot built from `spec`. */
export function warningsFor(
  code: WarningCode,
  spec: SnapshotSpec = {},
  options: AssessOptions = {},
): Warning[] {
  return RULES[code](createContext(buildSnapshot(spec), { ...TEST_UCP, ...options }));
}

/** The codes the full assessment produces, in order. */
export function codesFor(spec: SnapshotSpec = {}, options: AssessOptions = {}): WarningCode[] {
  return assessCluster(buildSnapshot(spec), { ...TEST_UCP, ...options }).map((w) => w.code);
}
