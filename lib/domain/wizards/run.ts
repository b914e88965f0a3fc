// A wizard run as it is persisted and served: the request that creates it, the state kept
// between steps (parsed with zod on the way out of storage), and the view the API returns.
import { z } from 'zod';
import { REPLICA_ID } from '../commands';
import { MEMBER_STATUSES, type Instant, type QuorumStatus } from '../types';
import type { WizardKind } from './gates';
import type { Verification } from './verify';

/**
 * `stale`: withdrawn, the cluster changed since the command was planned (see staleness.ts).
 * `executing`: the console runs the command itself (issue 22); `unknown`: the console that ran it
 * stopped before it saw the end, so how it ended must be verified (migration 0009).
 */
export const WIZARD_RUN_STATUSES = [
  'open',
  'verifying',
  'done',
  'failed',
  'cancelled',
  'stale',
  'executing',
  'unknown',
] as const;
export type WizardRunStatus = (typeof WIZARD_RUN_STATUSES)[number];

const replicaId = z.string().regex(REPLICA_ID, 'a replica ID is 12 lowercase hex characters');
// The words the join form shows at the field (join-options.ts), for scripts that skip the form.
const PORT_WORDS = 'a port is a whole number from 1 to 65535';
const port = z.number(PORT_WORDS).int(PORT_WORDS).min(1, PORT_WORDS).max(65535, PORT_WORDS);
const gateIds = z.array(z.string().min(1).max(64)).max(32);

export const CaSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fetch') }),
  z.strictObject({ kind: z.literal('insecure') }),
  z.strictObject({ kind: z.literal('ca-file'), path: z.string().min(1).max(1024) }),
]);

// Strict: a field the wizard does not know (say, "password") is refused, not ignored.
export const CreateRunRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('remove'),
    replicaId,
    alsoRemove: z.array(replicaId).max(8).optional(),
    existingReplicaId: replicaId.optional(),
    force: z.boolean().optional(),
    acknowledge: gateIds.optional(),
    ca: CaSourceSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('join'),
    node: z.string().min(1).max(253),
    existingReplicaId: replicaId.optional(),
    replicaId: replicaId.optional(),
    httpPort: port.optional(),
    httpsPort: port.optional(),
    ca: CaSourceSchema.optional(),
    acknowledge: gateIds.optional(),
  }),
  z.strictObject({
    kind: z.literal('repair'),
    keepReplicaId: replicaId,
    prune: z.boolean().optional(),
    acknowledge: gateIds.optional(),
    ca: CaSourceSchema.optional(),
  }),
]);
export type CreateRunRequest = z.infer<typeof CreateRunRequestSchema>;

const GateSchema = z.object({
  id: z.string(),
  severity: z.enum(['block', 'warn']),
  message: z.string(),
  acknowledge: z.string().optional(),
  acknowledged: z.boolean().optional(),
  href: z.string().optional(),
  hrefLabel: z.string().optional(),
  command: z.string().optional(),
});

const QUORUM_STATUSES = [
  'healthy',
  'degraded',
  'at-risk',
  'lost',
  'unknown',
] as const satisfies readonly QuorumStatus[];
const quorumStatus = z.enum(QUORUM_STATUSES);

const ImpactSideSchema = z.object({
  replicas: z.number(),
  healthy: z.number(),
  majority: z.number(),
  failuresTolerated: z.number(),
  margin: z.number(),
  status: quorumStatus,
});

/** What the cluster looked like when the command was planned: the facts staleness is judged on. */
export const PlanFactsSchema = z.object({
  /** When the command was generated. */
  generatedAt: z.string(),
  replicas: z.array(
    z.object({ id: z.string(), node: z.string(), status: z.enum(MEMBER_STATUSES) }),
  ),
  dtrQuorum: z.object({ status: quorumStatus, healthy: z.number(), replicas: z.number() }),
  ucpQuorum: z.object({ status: quorumStatus, reachable: z.number(), total: z.number() }),
});
export type PlanFacts = z.infer<typeof PlanFactsSchema>;

const WithdrawnSchema = z.object({ reason: z.string(), at: z.string() });
export type Withdrawal = z.infer<typeof WithdrawnSchema>;

/** Which execution ran a run's command, by whom, where (its record is in the store). */
const ExecutionRefSchema = z.object({
  id: z.string(),
  by: z.string(),
  at: z.string(),
  node: z.string().nullable(),
  imageRef: z.string(),
});
export type ExecutionRef = z.infer<typeof ExecutionRefSchema>;

const RunEventSchema = z.object({
  at: z.string(),
  actor: z.string(),
  /** generated, applied, ran, verified, failed, cancelled, demo-refused, ... */
  event: z.string(),
  detail: z.string(),
});
export type RunEvent = z.infer<typeof RunEventSchema>;

const common = {
  /** The text to paste (never a password). */
  command: z.string(),
  needsVersion: z.boolean(),
  existingReplicaId: z.string(),
  /** Warnings shown when the command was generated, acknowledged blocks included. */
  gates: z.array(GateSchema),
  acknowledge: z.array(z.string()),
  impact: z.object({
    before: ImpactSideSchema,
    after: ImpactSideSchema,
    summary: z.array(z.string()),
  }),
  /** When the operator said they ran the command, or the demo applied it. */
  verifyingSince: z.string().nullable(),
  timeoutMs: z.number(),
  /** The verification's last word, kept once the run is done or failed. */
  lastVerification: z
    .object({
      state: z.enum(['waiting', 'done', 'failed']),
      message: z.string(),
      checks: z.array(z.object({ label: z.string(), done: z.boolean() })),
      nextSteps: z.array(z.string()),
      at: z.string(),
    })
    .nullable(),
  demo: z
    .object({ operationId: z.string(), appliesAt: z.string(), error: z.string().nullable() })
    .nullable(),
  events: z.array(RunEventSchema),
  /** Absent in runs stored before the console kept them: such runs are judged by age alone. */
  facts: PlanFactsSchema.optional(),
  /** Why and when the run was withdrawn (status `stale`). */
  withdrawn: WithdrawnSchema.optional(),
  /** The console's latest execution of this run's command (EXECUTE=on), if any. */
  execution: ExecutionRefSchema.optional(),
};

export const WizardRunStateSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('remove'),
    ...common,
    replicaIds: z.array(z.string()).min(1),
    force: z.boolean(),
    /** How the command trusts UCP; absent in runs stored before it was kept (the default, fetch). */
    ca: CaSourceSchema.optional(),
  }),
  z.object({
    kind: z.literal('join'),
    ...common,
    node: z.string(),
    /** Fixed by the operator, or learned when the demo applied the join. */
    replicaId: z.string().nullable(),
    httpPort: z.number().nullable(),
    httpsPort: z.number().nullable(),
    ca: CaSourceSchema,
  }),
  z.object({
    kind: z.literal('repair'),
    ...common,
    keepReplicaId: z.string(),
    prune: z.boolean(),
    /** Other replicas that still answered, newest first: what to try if the repair fails. */
    fallbacks: z.array(z.string()),
    /** How the command trusts UCP; absent in runs stored before it was kept (the default, fetch). */
    ca: CaSourceSchema.optional(),
  }),
]);
export type WizardRunState = z.infer<typeof WizardRunStateSchema>;

export interface WizardRunView {
  id: string;
  kind: WizardKind;
  status: WizardRunStatus;
  step: string;
  createdBy: string;
  createdAt: Instant;
  updatedAt: Instant;
  /**
   * For a withdrawn (`stale`) run, `command` is blank and so is the command summary in its events:
   * there is nothing to copy. Storage keeps both for the audit trail.
   */
  state: WizardRunState;
  /** Computed from the live status while verifying; the last result afterwards. */
  verification: Verification | null;
  mode: 'demo' | 'live';
  /** Why and when the run was withdrawn; null unless its status is `stale`. */
  withdrawn: Withdrawal | null;
}
