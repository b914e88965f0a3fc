// The assessment: turns a cluster snapshot into the warnings of DESIGN.md §5, each with its
// consequence in plain words, the next step and, where one exists, the exact command.
import {
  WARNING_CODES,
  type ClusterSnapshot,
  type Severity,
  type Warning,
  type WarningCode,
} from './types';
import { createContext, type AssessOptions, type Rule } from './assess/context';
import { cacheSingleReplica, cacheUnhealthy } from './assess/caches';
import {
  dtrReplicaGhost,
  dtrReplicaReadonly,
  dtrReplicasShareNode,
  dtrReplicaSlow,
  dtrVersionSkew,
} from './assess/dtr-members';
import {
  dtrQuorumAtRisk,
  dtrQuorumLost,
  dtrQuorumUnknown,
  dtrReplicaOfflineLong,
  dtrReplicaUnhealthy,
  dtrReplicaUnknown,
} from './assess/dtr-quorum';
import { groupWarnings } from './assess/group';
import {
  dtrPingDisagrees,
  dtrReplicaOnManager,
  dtrReplicaStaleReport,
  dtrTablesNotWritable,
} from './assess/dtr-replicas';
import {
  dtrEvenReplicas,
  dtrSingleReplica,
  dtrTooManyReplicas,
  dtrTwoReplicas,
} from './assess/dtr-size';
import { nodeDown } from './assess/nodes';
import { sourceUnreachable } from './assess/sources';
import {
  ucpEvenManagers,
  ucpFewManagers,
  ucpManagerUnhealthy,
  ucpManagerUnreachable,
  ucpNoLeader,
  ucpPingDisagrees,
  ucpQuorumAtRisk,
  ucpQuorumLost,
  ucpQuorumUnknown,
} from './assess/ucp';
import { zoneConcentration } from './assess/zones';

export {
  DEFAULT_OFFLINE_LONG_MS,
  DEFAULT_STALE_REPORT_MS,
  DEFAULT_ZONE_LABEL,
  type AssessOptions,
} from './assess/context';

/** One rule per warning code; the mapped type makes a missing code a compile error. */
export const RULES: { readonly [Code in WarningCode]: Rule } = {
  DTR_QUORUM_LOST: dtrQuorumLost,
  DTR_QUORUM_AT_RISK: dtrQuorumAtRisk,
  DTR_REPLICA_UNHEALTHY: dtrReplicaUnhealthy,
  DTR_REPLICA_OFFLINE_LONG: dtrReplicaOfflineLong,
  DTR_REPLICA_STALE_REPORT: dtrReplicaStaleReport,
  DTR_TWO_REPLICAS: dtrTwoReplicas,
  DTR_EVEN_REPLICAS: dtrEvenReplicas,
  DTR_SINGLE_REPLICA: dtrSingleReplica,
  DTR_TOO_MANY_REPLICAS: dtrTooManyReplicas,
  DTR_REPLICA_ON_MANAGER: dtrReplicaOnManager,
  DTR_PING_DISAGREES: dtrPingDisagrees,
  DTR_TABLES_NOT_WRITABLE: dtrTablesNotWritable,
  DTR_QUORUM_UNKNOWN: dtrQuorumUnknown,
  DTR_REPLICA_UNKNOWN: dtrReplicaUnknown,
  DTR_REPLICA_GHOST: dtrReplicaGhost,
  DTR_REPLICAS_SHARE_NODE: dtrReplicasShareNode,
  DTR_REPLICA_READONLY: dtrReplicaReadonly,
  DTR_VERSION_SKEW: dtrVersionSkew,
  DTR_REPLICA_SLOW: dtrReplicaSlow,
  UCP_QUORUM_LOST: ucpQuorumLost,
  UCP_QUORUM_AT_RISK: ucpQuorumAtRisk,
  UCP_QUORUM_UNKNOWN: ucpQuorumUnknown,
  UCP_NO_LEADER: ucpNoLeader,
  UCP_MANAGER_UNREACHABLE: ucpManagerUnreachable,
  UCP_MANAGER_UNHEALTHY: ucpManagerUnhealthy,
  UCP_PING_DISAGREES: ucpPingDisagrees,
  UCP_FEW_MANAGERS: ucpFewManagers,
  UCP_EVEN_MANAGERS: ucpEvenManagers,
  NODE_DOWN: nodeDown,
  ZONE_CONCENTRATION: zoneConcentration,
  CACHE_SINGLE_REPLICA: cacheSingleReplica,
  CACHE_UNHEALTHY: cacheUnhealthy,
  SOURCE_UNREACHABLE: sourceUnreachable,
};

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Most severe first; within a severity, in WARNING_CODES order (quorum before members before sizing), then by subject. */
export function compareWarnings(a: Warning, b: Warning): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    WARNING_CODES.indexOf(a.code) - WARNING_CODES.indexOf(b.code) ||
    a.subjects.join(',').localeCompare(b.subjects.join(','))
  );
}

export function assessCluster(snapshot: ClusterSnapshot, options: AssessOptions = {}): Warning[] {
  const ctx = createContext(snapshot, options);
  // A Swarm-only console has no DTR to judge: its (empty) replica list means nothing.
  const dtrConfigured = snapshot.sources.dtr.configured !== false;
  const warnings = WARNING_CODES.filter((code) => dtrConfigured || !code.startsWith('DTR_'))
    .flatMap((code) => RULES[code](ctx))
    .sort(compareWarnings);
  return groupWarnings(warnings, snapshot);
}
