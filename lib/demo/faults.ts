// Fault kinds the demo cluster can inject per member, and the error it throws on bad input.

export const FAULT_KINDS = [
  'none',
  'stop',
  'hang',
  'slow',
  'error',
  'garbage',
  'stale',
  'partition',
  // States real clusters reach that the console must judge right (see README "How the console
  // judges a member"):
  /** The console cannot reach the member; the cluster (RethinkDB, Raft) still sees it fine. */
  'partition-from-console',
  /** The replica's node was removed from the swarm while DTR still lists the replica. */
  'ghost',
  /** cluster_status marks the replica read-only. */
  'readonly',
  /** The replica's dtr-registry container runs an older DTR version than the others. */
  'version-skew',
  /** A second replica ID is listed on the replica's node: the leftover of a half-finished join. */
  'twin',
  /** Raft has no leader: the node list shows none (an election that does not finish). */
  'no-leader',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type DemoMemberKind = 'replica' | 'manager' | 'cache' | 'worker';

/** Fault kinds each kind of member accepts. A worker that hosts a replica accepts the replica's. */
export const FAULTS_BY_MEMBER: Readonly<Record<DemoMemberKind, readonly FaultKind[]>> = {
  replica: FAULT_KINDS.filter((kind) => kind !== 'no-leader'),
  manager: [
    'none',
    'stop',
    'hang',
    'slow',
    'error',
    'garbage',
    'partition-from-console',
    'no-leader',
  ],
  cache: ['none', 'stop', 'hang', 'slow', 'error', 'garbage'],
  worker: ['none', 'stop'],
};

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value);
}

export type DemoErrorCode =
  | 'INVALID_OPTION'
  | 'UNKNOWN_TARGET'
  | 'UNKNOWN_FAULT'
  | 'FAULT_NOT_APPLICABLE'
  | 'INVALID_REQUEST'
  | 'OPERATION_REFUSED'
  | 'OPERATION_CANCELLED';

/** Bad input to the demo cluster (unknown target, fault, option or a refused operation). Maps to a 4xx. */
export class DemoInputError extends Error {
  override readonly name = 'DemoInputError';

  constructor(
    readonly code: DemoErrorCode,
    message: string,
  ) {
    super(message);
  }
}
