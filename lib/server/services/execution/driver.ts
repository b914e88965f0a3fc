// Gated execution (issue 22): what runs a planned step. Two drivers: the Engine API of an admin's
// client bundle (engine-driver.ts), and the built-in demo cluster (demo-driver.ts). The service
// (execute.ts) owns the gates, the store and the audit; a driver only prepares and runs.
import 'server-only';
import type { DtrCommand } from '@/lib/domain/commands';
import type { ExecutionLinePart } from '@/lib/domain/execution';
import type { ContainerSpec, ExecutionRecord } from '@/lib/domain/execution/types';
import type { WizardRunState } from '@/lib/domain/wizards';

/** A refusal before anything ran, in a sentence for the operator (HTTP 409 unless said). */
export class ExecutionRefusal extends Error {
  override readonly name = 'ExecutionRefusal';
  constructor(
    message: string,
    readonly status: 409 | 422 | 429 | 502 | 503 = 409,
    /** With 429: how long until another attempt is heard (Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Everything decided before the container exists: where, with what, and what people are shown. */
export interface PreparedStep {
  node: string | null;
  imageRef: string;
  imageId: string | null;
  repoDigest: string | null;
  /** null for the demo, which runs no container. */
  spec: ContainerSpec | null;
  argvPublic: string[];
}

export interface PrepareInput {
  state: WizardRunState;
  /** The command re-planned on a fresh snapshot (equal to the stored one: the gates checked). */
  command: DtrCommand;
  /** Where the step should run (lib/domain/execution/node.ts), or null for anywhere. */
  node: string | null;
  ids: { execution: string; run: string; cluster: string };
}

/** Where the driver reports while a step runs. */
export interface StepSink {
  /** The container exists (before it starts): recorded first, so recovery can find it. */
  created(containerId: string): Promise<void>;
  /** Started, and the password handed over. */
  started(): Promise<void>;
  /** Redacted lines, in order. */
  lines(parts: ExecutionLinePart[]): void;
}

export interface StepResult {
  exitCode: number;
  /** A join's new replica ID, when the driver learned it (the demo does). */
  learnedReplicaId?: string;
}

/** What recovery finds of an execution whose console stopped watching it. */
export type Leftover =
  | { kind: 'absent' }
  | { kind: 'running'; node: string | null }
  | { kind: 'exited'; exitCode: number | null; lines: ExecutionLinePart[] }
  | { kind: 'unreachable'; reason: string };

export interface ExecutionDriver {
  readonly kind: 'engine' | 'demo';
  /** Where steps run, for the banner: "the Docker API at tcp://ucp.example.com:443 (a UCP client bundle)". */
  readonly where: string;
  /** Through a UCP client bundle (UCP schedules; `constraint:node==` pins) rather than one engine. */
  readonly viaBundle: boolean;
  /** The engine's own node on a plain engine (the only node a step can run on); null otherwise. */
  engineNode(): Promise<string | null>;
  /** Resolves the image and builds the container spec; throws ExecutionRefusal when it cannot. */
  prepare(input: PrepareInput): Promise<PreparedStep>;
  /** Runs the prepared step to its end; throws only when it could not be started. */
  run(
    prepared: PreparedStep,
    input: PrepareInput,
    password: string,
    sink: StepSink,
  ): Promise<StepResult>;
  /** Read-only look for what an unwatched execution left (recovery); removes an exited container. */
  leftover(record: ExecutionRecord): Promise<Leftover>;
  /**
   * Bring-back: starts a replica's stopped containers (by name, on its node); returns the names
   * it started (those already running are left alone). Throws ExecutionRefusal when it cannot.
   */
  startContainers(replicaId: string, node: string, names: string[]): Promise<string[]>;
}
