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
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type DemoMemberKind = 'replica' | 'manager' | 'cache' | 'worker';

/** Fault kinds each kind of member accepts. A worker that hosts a replica accepts the replica's. */
export const FAULTS_BY_MEMBER: Readonly<Record<DemoMemberKind, readonly FaultKind[]>> = {
  replica: FAULT_KINDS,
  manager: ['none', 'stop', 'hang', 'slow', 'error', 'garbage'],
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
