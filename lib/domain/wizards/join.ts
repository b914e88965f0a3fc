// The join wizard's rules: when joining is safe, and the command. Which nodes can take a replica
// is join-targets.ts; the placement seeds (dedicated nodes, zones, shared storage) join-gates.ts.
import { DEFAULT_ZONE_LABEL } from '../assess/context';
import { listOf, plural } from '../assess/format';
import { buildJoinCommand, type DtrCommand, type UcpCaSource } from '../commands';
import type { ClusterSnapshot } from '../types';
import { DTR_NODE_MINIMUM, DTR_NODE_RECOMMENDED } from '../sizing/hardware';
import {
  applyAcknowledgements,
  blocks,
  buildCommand,
  DEFAULT_CA,
  dtrReadGates,
  existingReplicaGates,
  dtrUncertaintyGates,
  isDown,
  suggestHealthy,
  ucpQuorumGates,
  versionGates,
  type Gate,
  type PlanOptions,
} from './gates';
import { joinImpact, type Impact } from './impact';
import { applicationWorkerGates, sharedStorageGates, zoneGates } from './join-gates';
import {
  joinInputProblems,
  joinPortDefaults,
  joinPortFlags,
  type JoinOptionProblems,
  type JoinPortDefaults,
} from './join-options';
import { eligibleJoinTargets, type JoinTarget } from './join-targets';

export interface JoinInput {
  /** Hostname of the UCP worker to run the new replica on. */
  node: string;
  existingReplicaId?: string;
  /** Fix the new replica's ID (12 lowercase hex); the tool picks one otherwise. */
  replicaId?: string;
  httpPort?: number;
  httpsPort?: number;
  /** How the tool trusts UCP; default: download the CA first. */
  ca?: UcpCaSource;
  acknowledge?: readonly string[];
}

export interface JoinPlan {
  ok: boolean;
  gates: Gate[];
  target: JoinTarget | null;
  suggestedExisting: string | null;
  existingReplicaId: string | null;
  impact: Impact;
  /** The existing replicas' shared ports: the new replica's default. */
  portDefaults: JoinPortDefaults;
  /** The port flags the command sets; a port left out is the tool's default (80/443). */
  ports: { httpPort?: number; httpsPort?: number };
  /** What is wrong with the typed values, by field (also a block gate). */
  inputProblems: JoinOptionProblems;
  command?: DtrCommand;
}

function healthGates(status: ClusterSnapshot): Gate[] {
  const { quorum, replicas } = status.dtr;
  if (quorum.status === 'lost') {
    return [
      {
        id: 'quorum-lost',
        severity: 'block',
        message: `DTR has lost quorum (${quorum.healthy} of ${quorum.replicas} healthy, ${quorum.majority} needed). A join cannot run now: emergency-repair one replica first, then join new ones.`,
        href: '/replicas/repair',
        hrefLabel: 'Emergency repair',
      },
    ];
  }
  const failed = replicas.filter(isDown);
  const [first] = failed;
  if (!first) return [];
  return [
    {
      id: 'replica-unhealthy',
      severity: 'block',
      message:
        `${listOf(failed.map((r) => `Replica ${r.id} on ${r.node} is ${r.status}`))}. ` +
        'Joining while a failed replica still counts as a member can split the cluster: remove the failed replica first, then join. ' +
        `If ${failed.length === 1 ? 'it is' : 'they are'} only rebooting, wait until ${failed.length === 1 ? 'it is' : 'they are'} healthy again.`,
      href: `/replicas/remove?replica=${encodeURIComponent(first.id)}`,
      hrefLabel: `Remove ${first.id} first`,
    },
  ];
}

function sizeGates(impact: Impact): Gate[] {
  const n = impact.after.replicas;
  const gates: Gate[] = [];
  if (n > 7) {
    gates.push({
      id: 'too-many-after',
      severity: 'warn',
      message: `${n} replicas: more than 7 slows every write, since each one waits for a majority. Consider staying at 7.`,
    });
  }
  if (n === 2) {
    gates.push({
      id: 'even-after',
      severity: 'warn',
      message:
        '2 replicas tolerate no failure, like 1, and add a second machine whose failure stops the registry. Plan the next join too: 3 replicas survive one failure.',
    });
  } else if (n % 2 === 0) {
    gates.push({
      id: 'even-after',
      severity: 'warn',
      message: `${n} replicas tolerate ${plural(impact.after.failuresTolerated, 'failure')}, no more than ${n - 1}. Plan the next join too: ${n + 1} replicas survive ${plural(Math.floor(n / 2), 'failure')}.`,
    });
  }
  return gates;
}

export function planJoin(
  status: ClusterSnapshot,
  input: JoinInput,
  options: PlanOptions = {},
): JoinPlan {
  const gates: Gate[] = [
    ...dtrReadGates(status),
    ...dtrUncertaintyGates(status),
    ...ucpQuorumGates(status),
    ...healthGates(status),
  ];
  const zoneLabel = options.zoneLabel ?? DEFAULT_ZONE_LABEL;
  const targets = eligibleJoinTargets(status, { zoneLabel });
  const target = targets.find((t) => t.hostname === input.node) ?? null;
  if (!target) {
    gates.push({
      id: 'unknown-node',
      severity: 'block',
      message: `There is no node ${input.node} in UCP’s node list. Pick a worker from the list.`,
    });
  } else if (!target.eligible) {
    gates.push({
      id: 'node-not-eligible',
      severity: 'block',
      message: `${target.hostname} ${target.reason}. Pick an eligible worker.`,
    });
  } else {
    gates.push(...applicationWorkerGates(target, targets));
    if (target.shortfalls.length > 0) {
      gates.push({
        id: 'node-resources',
        severity: 'warn',
        message: `${target.hostname} ${listOf(target.shortfalls)} (${DTR_NODE_MINIMUM.memoryGb} GB and ${DTR_NODE_MINIMUM.vcpus} vCPU minimum, ${DTR_NODE_RECOMMENDED.memoryGb} GB and ${DTR_NODE_RECOMMENDED.vcpus} vCPU recommended).`,
      });
    }
    gates.push(...zoneGates(status, target, targets, zoneLabel));
  }
  gates.push(...sharedStorageGates(status));
  const portDefaults = joinPortDefaults(status);
  const inputProblems = joinInputProblems(input, portDefaults);
  const problems = Object.values(inputProblems);
  if (problems.length > 0) {
    gates.push({ id: 'invalid-input', severity: 'block', message: problems.join(' ') });
  }
  if (input.replicaId !== undefined && status.dtr.replicas.some((r) => r.id === input.replicaId)) {
    gates.push({
      id: 'replica-id-taken',
      severity: 'block',
      message: `Replica ID ${input.replicaId} is already in use. Leave the ID empty to let the tool pick one.`,
    });
  }
  const existing = existingReplicaGates(status, input.existingReplicaId, []);
  gates.push(...existing.gates);
  if (
    status.dtr.clusterView?.tablesReadyForWrites === false &&
    status.dtr.quorum.status !== 'lost'
  ) {
    gates.push({
      id: 'tables-not-writable',
      severity: 'block',
      message:
        'Some DTR tables are not writable right now. A join copies every table: wait until all are writable (after a recent change this takes a few minutes).',
    });
  }
  const impact = joinImpact(status);
  gates.push(...sizeGates(impact));
  const ca = input.ca ?? DEFAULT_CA;
  if (ca.kind === 'insecure') {
    gates.push({
      id: 'insecure-tls',
      severity: 'warn',
      message:
        '--ucp-insecure-tls skips checking UCP’s certificate: someone on the network path could pose as UCP and receive the password you type. Prefer the UCP CA.',
    });
  }
  gates.push(...versionGates(status));

  const judged = applyAcknowledgements(gates, input.acknowledge);
  const ports = joinPortFlags(input, portDefaults);
  const plan: JoinPlan = {
    ok: false,
    gates: judged,
    target,
    suggestedExisting: suggestHealthy(status),
    existingReplicaId: existing.existing,
    impact,
    portDefaults,
    ports,
    inputProblems,
  };
  const existingReplicaId = existing.existing;
  if (blocks(judged).length > 0 || !target || existingReplicaId === null) return plan;

  const built = buildCommand(status, options, existingReplicaId, (connection) =>
    buildJoinCommand({
      ...connection,
      ucpCa: ca,
      ucpNode: target.hostname,
      existingReplicaId,
      ...(input.replicaId !== undefined && { replicaId: input.replicaId }),
      ...ports,
    }),
  );
  const all = [...judged, ...built.gates];
  return {
    ...plan,
    gates: all,
    ok: blocks(all).length === 0,
    ...(built.command && { command: built.command }),
  };
}
