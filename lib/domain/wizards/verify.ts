// Did the membership change happen? Each check compares the live status with what the run
// expects; a run that is still not there after the timeout fails with next steps.
import { durationInWords, listOf, plural } from '../assess/format';
import type { ClusterSnapshot, Instant } from '../types';
import { DTR_NODE_MINIMUM } from '../sizing/hardware';
import { isHealthy } from './gates';

export type VerificationState = 'waiting' | 'done' | 'failed';

export interface VerificationCheck {
  label: string;
  done: boolean;
}

export interface Verification {
  state: VerificationState;
  /** What happened, or what the console is waiting for, in plain words. */
  message: string;
  checks: VerificationCheck[];
  /** For a failed verification: what to do now. */
  nextSteps: string[];
}

export const DEFAULT_VERIFY_TIMEOUT_MS = 5 * 60_000;

export interface VerifyTiming {
  /** When the operator ran the command (or the demo applied it). */
  verifyingSince: Instant;
  timeoutMs?: number;
}

/** A snapshot this much older than the clock (and several poll intervals) is not "now". */
const STALE_SNAPSHOT_MIN_MS = 10_000;

function readChecks(status: ClusterSnapshot, now: number): VerificationCheck[] {
  const checks: VerificationCheck[] = [];
  if (status.sources.dtr.state !== 'ok')
    checks.push({ label: 'The console reads DTR (it cannot right now)', done: false });
  const age = now - Date.parse(status.generatedAt);
  if (age > Math.max(STALE_SNAPSHOT_MIN_MS, 5 * status.pollIntervalMs)) {
    checks.push({
      label: `The console has a current reading of the cluster (the last one is ${durationInWords(age)} old)`,
      done: false,
    });
  }
  return checks;
}

function conclude(
  checks: VerificationCheck[],
  messages: { done: string; waiting: string; timeout: string },
  nextSteps: string[],
  timing: VerifyTiming,
  now: number,
): Verification {
  if (checks.every((check) => check.done)) {
    return { state: 'done', message: messages.done, checks, nextSteps: [] };
  }
  const elapsed = now - Date.parse(timing.verifyingSince);
  const timeout = timing.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  if (elapsed > timeout) {
    return {
      state: 'failed',
      message: `After ${durationInWords(elapsed)}: ${messages.timeout}`,
      checks,
      nextSteps,
    };
  }
  return { state: 'waiting', message: messages.waiting, checks, nextSteps: [] };
}

function firstOpen(checks: VerificationCheck[]): string {
  return checks.find((check) => !check.done)?.label ?? '';
}

function quorumWords(status: ClusterSnapshot): string {
  const { quorum } = status.dtr;
  return `DTR has ${plural(quorum.replicas, 'replica')}, ${quorum.healthy} healthy, and survives ${plural(quorum.failuresTolerated, 'failure')} by design.`;
}

const idsOf = (status: ClusterSnapshot) => status.dtr.replicas.map((r) => r.id);

export function verifyRemove(
  status: ClusterSnapshot,
  run: VerifyTiming & { replicaIds: readonly string[] },
  now = Date.parse(status.generatedAt),
): Verification {
  const listed = idsOf(status);
  const still = run.replicaIds.filter((id) => listed.includes(id));
  const rest = status.dtr.replicas.filter((r) => !run.replicaIds.includes(r.id));
  const healthy = rest.filter(isHealthy).length;
  const gone = listOf([...run.replicaIds]);
  const checks: VerificationCheck[] = [
    ...readChecks(status, now),
    {
      label: `${run.replicaIds.length === 1 ? 'Replica' : 'Replicas'} ${gone} left the replica list`,
      done: still.length === 0,
    },
    {
      label: `The remaining replicas report healthy (${healthy} of ${rest.length})`,
      done: rest.length > 0 && healthy === rest.length,
    },
  ];
  return conclude(
    checks,
    {
      done: `Replica ${gone} is gone and the remaining ${plural(rest.length, 'replica')} ${rest.length === 1 ? 'is' : 'are'} healthy. ${quorumWords(status)}`,
      waiting: `Waiting until: ${firstOpen(checks)}.`,
      timeout:
        still.length > 0
          ? `the replica list still shows ${listOf(still)}.`
          : `not every remaining replica is healthy (${healthy} of ${rest.length}).`,
    },
    [
      'Read the output of the remove command: it says what failed.',
      'If it refused because another replica is unhealthy, bring that replica back or remove it first.',
      'Do not use `destroy` to make the replica disappear: it deletes the containers without telling the cluster, and the replica keeps counting against the quorum.',
      'If the replica is gone but others are unhealthy, follow the warnings on the overview.',
    ],
    run,
    now,
  );
}

export function verifyJoin(
  status: ClusterSnapshot,
  run: VerifyTiming & { node: string; replicaId: string | null },
  now = Date.parse(status.generatedAt),
): Verification {
  const joined =
    status.dtr.replicas.find((r) => run.replicaId !== null && r.id === run.replicaId) ??
    status.dtr.replicas.find((r) => r.node === run.node);
  const all = status.dtr.replicas;
  const healthy = all.filter(isHealthy).length;
  const name = joined
    ? `Replica ${joined.id}`
    : run.replicaId
      ? `Replica ${run.replicaId}`
      : 'A replica';
  const checks: VerificationCheck[] = [
    ...readChecks(status, now),
    { label: `${name} on ${run.node} appears in the replica list`, done: joined !== undefined },
    {
      label: `${name} on ${run.node} reports healthy`,
      done: joined !== undefined && isHealthy(joined),
    },
    {
      label: `Every replica reports healthy (${healthy} of ${all.length})`,
      done: healthy === all.length,
    },
  ];
  return conclude(
    checks,
    {
      done: `${name} on ${run.node} has joined and is healthy. ${quorumWords(status)}`,
      waiting: `Waiting until: ${firstOpen(checks)}.`,
      timeout: joined
        ? `${name} on ${run.node} is listed but ${isHealthy(joined) ? 'not every replica is healthy' : `is ${joined.status}`}.`
        : `no replica on ${run.node} has appeared in the replica list.`,
    },
    [
      'Read the output of the join command: it says what failed.',
      `If the join stopped half-way, a replica on ${run.node} may be listed but unhealthy: remove it with the remove wizard before trying again.`,
      `Check that ${run.node} reaches UCP and the other DTR nodes, and has the resources DTR needs (${DTR_NODE_MINIMUM.memoryGb} GB, ${DTR_NODE_MINIMUM.vcpus} vCPU at least).`,
    ],
    run,
    now,
  );
}

export function verifyRepair(
  status: ClusterSnapshot,
  run: VerifyTiming & { keepReplicaId: string; fallbacks?: readonly string[] },
  now = Date.parse(status.generatedAt),
): Verification {
  const replicas = status.dtr.replicas;
  const keep = replicas.find((r) => r.id === run.keepReplicaId);
  const fallbacks = (run.fallbacks ?? []).filter((id) => id !== run.keepReplicaId);
  const nextSteps = [
    'Read the output of emergency-repair: it says what failed.',
    fallbacks.length > 0
      ? `If it failed on ${run.keepReplicaId}, try another replica that still answers: ${listOf([...fallbacks])}.`
      : 'If it failed, try another replica whose containers are up.',
    'If no replica can be repaired, restore DTR from backup.',
  ];
  if (status.sources.dtr.state === 'ok' && replicas.length > 0 && !keep) {
    return {
      state: 'failed',
      message: `Replica ${run.keepReplicaId} is no longer in the replica list, so the cluster did not shrink to it.`,
      checks: [{ label: `Replica ${run.keepReplicaId} is the only replica`, done: false }],
      nextSteps,
    };
  }
  const checks: VerificationCheck[] = [
    ...readChecks(status, now),
    {
      label: `Replica ${run.keepReplicaId} is the only replica in the list (${plural(replicas.length, 'replica')} now)`,
      done: replicas.length === 1 && keep !== undefined,
    },
    {
      label: `Replica ${run.keepReplicaId} reports healthy`,
      done: keep !== undefined && isHealthy(keep),
    },
  ];
  return conclude(
    checks,
    {
      done: `Replica ${run.keepReplicaId} is a healthy cluster of one: the registry works again. One replica survives no failure: join new replicas now, one at a time.`,
      waiting: `Waiting until: ${firstOpen(checks)}.`,
      timeout: `the cluster has not become a healthy single replica ${run.keepReplicaId}.`,
    },
    nextSteps,
    run,
    now,
  );
}
