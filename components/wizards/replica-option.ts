import type { ReplicaState } from '@/lib/domain/types';
import { memberLabel } from '@/components/ui/tone';

/** "0123456789ab on dtr-node-1 — Unreachable" for selects and summaries. */
export const replicaLabel = (replica: ReplicaState): string =>
  `${replica.id} on ${replica.node} — ${memberLabel[replica.status]}`;

/** Gates about the whole cluster, worth showing from the first step on. */
export const CLUSTER_GATES: ReadonlySet<string> = new Set([
  'dtr-unreadable',
  'dtr-stale',
  'ucp-quorum-lost',
  'quorum-lost',
  'replica-unhealthy',
  'tables-not-writable',
]);
