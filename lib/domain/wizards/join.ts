// The join wizard's rules: which UCP nodes can take a replica, and when joining is safe.
import { listOf, plural } from '../assess/format';
import { buildJoinCommand, isHostname, type DtrCommand, type UcpCaSource } from '../commands';
import type { ClusterNode, ClusterSnapshot } from '../types';
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

/** Vendor minimum for a DTR node (DESIGN.md §1). */
export const MIN_MEMORY_BYTES = 8 * 1024 ** 3;
export const MIN_NANO_CPUS = 2e9;

export interface JoinTarget {
  hostname: string;
  eligible: boolean;
  /** Why the node cannot take a replica; null when eligible. */
  reason: string | null;
  /** Things to know about an eligible node (below the vendor minimum, ...). */
  notes: string[];
  node: ClusterNode;
}

const NODE_STATE_REASON: Record<Exclude<ClusterNode['state'], 'ready'>, string> = {
  down: 'is down',
  unknown: 'is in an unknown state',
  disconnected: 'is disconnected from UCP',
};

function ineligibility(status: ClusterSnapshot, node: ClusterNode): string | null {
  if (node.role === 'manager') return 'is a UCP manager; DTR replicas run on UCP workers';
  const replica = status.dtr.replicas.find((r) => r.node === node.hostname);
  if (replica) return `already runs DTR replica ${replica.id}`;
  if (node.hosts.includes('dtr-replica')) return 'already runs a DTR replica';
  if (node.hosts.includes('dtr-cache') || node.labels['dtr.cache'] === 'true')
    return 'hosts a DTR cache';
  if (node.state !== 'ready') return NODE_STATE_REASON[node.state];
  if (node.availability !== 'active')
    return node.availability === 'unknown'
      ? 'has an unknown availability'
      : `is set to ${node.availability}`;
  if (node.os === null) return 'runs an unknown operating system; DTR needs Linux';
  if (node.os.toLowerCase() !== 'linux') return `runs ${node.os}; DTR needs Linux`;
  if (!isHostname(node.hostname)) return 'has a host name that cannot go in a command safely';
  return null;
}

function notesFor(node: ClusterNode): string[] {
  const notes: string[] = [];
  if (node.memoryBytes !== null && node.memoryBytes < MIN_MEMORY_BYTES)
    notes.push('has less than the 8 GB of memory DTR needs at minimum');
  if (node.nanoCpus !== null && node.nanoCpus < MIN_NANO_CPUS)
    notes.push('has fewer than the 2 CPUs DTR needs at minimum');
  if (node.labels['zone'] !== undefined) notes.push(`zone ${node.labels['zone']}`);
  return notes;
}

/** Every UCP node, eligible ones first (then by hostname), each with the reason it is not. */
export function eligibleJoinTargets(status: ClusterSnapshot): JoinTarget[] {
  return status.ucp.nodes
    .map((node) => {
      const reason = ineligibility(status, node);
      return {
        hostname: node.hostname,
        eligible: reason === null,
        reason,
        notes: reason === null ? notesFor(node) : [],
        node,
      };
    })
    .sort(
      (a, b) =>
        Number(b.eligible) - Number(a.eligible) || a.hostname.localeCompare(b.hostname, 'en'),
    );
}

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
  const target = eligibleJoinTargets(status).find((t) => t.hostname === input.node) ?? null;
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
  } else if (target.notes.some((note) => note.includes('minimum'))) {
    gates.push({
      id: 'node-resources',
      severity: 'warn',
      message: `${target.hostname} ${listOf(target.notes.filter((note) => note.includes('minimum')))} (8 GB and 2 vCPU minimum, 16 GB and 4 vCPU recommended).`,
    });
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
  const plan: JoinPlan = {
    ok: false,
    gates: judged,
    target,
    suggestedExisting: suggestHealthy(status),
    existingReplicaId: existing.existing,
    impact,
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
      ...(input.httpPort !== undefined && { httpPort: input.httpPort }),
      ...(input.httpsPort !== undefined && { httpsPort: input.httpsPort }),
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
