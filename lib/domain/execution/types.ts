// Gated execution (issue 22, docs/design-gated-execution.md): the shapes shared by the pure rules
// (lib/domain/execution/), the Engine API adapter (lib/sources/engine-exec.ts), the store
// (lib/store/executions.ts) and the services. Nothing here runs anything.
import type { Instant } from '../types';
import type { WizardKind } from '../wizards/gates';

/**
 * Where one execution stands.
 * - starting: the slot is taken, gates are being checked, the image resolved, the container created;
 * - running: the container was started and the password handed over;
 * - exited: the container ended and its exit code is recorded;
 * - refused: a gate at execution time refused it (nothing was started);
 * - failed-to-start: the engine refused to create or start it (nothing ran, or it is unknown whether it did not);
 * - orphaned: the console that ran it stopped renewing its lease (restart mid-run); recovery is looking;
 * - unknown: recovery could not tell how it ended, or recorded evidence without watching it; verify.
 */
export const EXECUTION_STATUSES = [
  'starting',
  'running',
  'exited',
  'refused',
  'failed-to-start',
  'orphaned',
  'unknown',
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** The statuses that hold the cluster's single execution slot (a partial unique index in the store). */
export const ACTIVE_EXECUTION_STATUSES = [
  'starting',
  'running',
  'orphaned',
] as const satisfies readonly ExecutionStatus[];

/** What the console asks the engine to create: image, the password-reading wrapper, the tool's argv. */
export interface ContainerSpec {
  /** `<repository>:<tag>`, e.g. `docker/dtr:2.9.3`. */
  image: string;
  /** The `sh -c` wrapper that reads the password from standard input into the process environment. */
  entrypoint: string[];
  /** The tool's own entrypoint words followed by its subcommand and flags (CA as PEM text). */
  cmd: string[];
  /** `constraint:node==<host>` through a UCP bundle; empty on a plain engine. Never a secret. */
  env: string[];
  /** `com.dtr-ha-console.execution`, `.run`, `.cluster`: how recovery finds the container. */
  labels: Record<string, string>;
}

/** One line of the tool's output, ANSI-stripped, password-redacted, capped in length. */
export interface ExecutionLine {
  /** 1, 2, 3, … within one execution. */
  seq: number;
  stream: 'stdout' | 'stderr';
  at: Instant;
  text: string;
  /** From the logrus prefix (`INFO[0001]`, `WARN…`, `ERRO…`, `FATA…`); null when there is none. */
  level: 'debug' | 'info' | 'warn' | 'error' | 'fatal' | null;
}

/** A step without a container holding the cluster meanwhile (table `execution_holds`): bringing a replica back. */
export interface ExecutionHold {
  id: string;
  cluster: string;
  /** 'bring-back'. */
  kind: string;
  actor: string;
  instance: string;
  /** What it is doing, e.g. "bring back replica 0123456789ab". */
  subject: string;
  createdAt: Instant;
  expiresAt: Instant;
}

/** The store's record of one execution (table `executions`). */
export interface ExecutionRecord {
  id: string;
  cluster: string;
  runId: string;
  kind: WizardKind;
  /** Who asked for it, and from where. */
  actor: string;
  ip: string | null;
  /** The console instance that runs it (renews the lease). */
  instance: string;
  status: ExecutionStatus;
  /** The node the bootstrapper runs on (the engine's own name on a plain engine). */
  node: string | null;
  /** `<repository>:<tag>` as asked for. */
  imageRef: string;
  /** The engine's image ID (sha256:…) once resolved. */
  imageId: string | null;
  /** `repo@sha256:…`; null for an image that has none (an imported or locally built one). */
  repoDigest: string | null;
  containerId: string | null;
  /** The argv as shown to people: the CA PEM shortened, never a password. */
  argvPublic: string[];
  exitCode: number | null;
  /** The sentence that refused it (status refused or failed-to-start). */
  refusal: string | null;
  leaseUntil: Instant | null;
  createdAt: Instant;
  startedAt: Instant | null;
  finishedAt: Instant | null;
  /** The last lines, redacted, at most 4 KB. */
  logTail: string;
}
