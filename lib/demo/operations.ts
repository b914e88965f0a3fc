// Membership changes that take effect after a realistic delay, one at a time.
import { randomUUID } from 'node:crypto';
import { DemoInputError } from './faults';

export type DemoOperationKind = 'join' | 'remove' | 'emergency-repair';

export interface DemoOperation {
  id: string;
  kind: DemoOperationKind;
  /** Replicas joined, removed, or kept (emergency-repair). */
  replicaIds: string[];
  /** When the change takes effect. */
  appliesAt: string;
  /** Settles once the change has taken effect; rejects with a DemoInputError if it no longer can. */
  done: Promise<void>;
}

interface Pending {
  operation: DemoOperation;
  timer: NodeJS.Timeout;
  cancel: (error: Error) => void;
}

export class MembershipScheduler {
  private pending: Pending | null = null;

  constructor(private readonly delayMs: number) {}

  /**
   * Schedules `apply` after the delay. `check` runs now (throwing refuses the operation) and again
   * just before applying, since the cluster may have changed meanwhile.
   */
  schedule(
    kind: DemoOperationKind,
    replicaIds: string[],
    check: () => void,
    apply: () => Promise<void>,
  ): DemoOperation {
    if (this.pending) {
      const { operation } = this.pending;
      throw new DemoInputError(
        'OPERATION_REFUSED',
        `Another membership change (${operation.kind} ${operation.replicaIds.join(', ')}) is still being applied; change one member at a time`,
      );
    }
    check();
    let settle!: { resolve: () => void; reject: (error: Error) => void };
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    // Callers may ignore `done`; a failure must not become an unhandled rejection.
    done.catch(() => undefined);
    const operation: DemoOperation = {
      id: randomUUID(),
      kind,
      replicaIds,
      appliesAt: new Date(Date.now() + this.delayMs).toISOString(),
      done,
    };
    const timer = setTimeout(() => {
      this.pending = null;
      Promise.resolve()
        .then(() => {
          check();
          return apply();
        })
        .then(settle.resolve, settle.reject);
    }, this.delayMs);
    this.pending = { operation, timer, cancel: settle.reject };
    return operation;
  }

  cancel(reason: string): void {
    if (!this.pending) return;
    clearTimeout(this.pending.timer);
    this.pending.cancel(new DemoInputError('OPERATION_CANCELLED', reason));
    this.pending = null;
  }
}
