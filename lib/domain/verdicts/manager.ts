// A UCP manager's verdict: Swarm Raft decides membership (ManagerStatus.Reachability from a node
// list read in this poll); the manager's own /_ping and UCP's Status.Message say whether its UCP
// components are healthy. A /_ping the console cannot reach is the console's problem, not a
// missing Raft member.
import type {
  ClusterNode,
  ConsoleEvidence,
  MemberStatus,
  ProbeResult,
  QuorumVote,
  Verdict,
} from '../types';
import { consoleEvidence } from './evidence';

/** Raft's word on one manager: from a fresh node list, else unknown. */
export type RaftEvidence = 'reachable' | 'unreachable' | 'unknown';
export const RAFT_EVIDENCE: readonly RaftEvidence[] = ['reachable', 'unreachable', 'unknown'];

/**
 * Raft × the manager's /_ping → status. Where Raft says reachable and the manager answers
 * healthy (or is not probed), UCP's own Status.Message can still make it unhealthy.
 */
export const MANAGER_VERDICT_TABLE: Readonly<
  Record<RaftEvidence, Readonly<Record<ConsoleEvidence, MemberStatus>>>
> = {
  reachable: {
    ok: 'healthy',
    failing: 'unhealthy',
    'no-answer': 'unreachable-from-console',
    inconclusive: 'unreachable-from-console',
    'not-probed': 'healthy',
  },
  unreachable: {
    ok: 'unhealthy',
    failing: 'unreachable',
    'no-answer': 'unreachable',
    inconclusive: 'unreachable',
    'not-probed': 'unreachable',
  },
  unknown: {
    ok: 'healthy',
    failing: 'unhealthy',
    'no-answer': 'unknown',
    inconclusive: 'unknown',
    'not-probed': 'unknown',
  },
};

export interface ManagerVerdictInput {
  node: ClusterNode;
  /** The node list was read in this poll. */
  listFresh: boolean;
  /** The manager's confirmed /_ping; null when not probed (a plain Swarm, or no address). */
  ping: ProbeResult | null;
}

export interface ManagerJudgement {
  status: MemberStatus;
  verdict: Verdict;
  quorumVote: QuorumVote;
  raft: RaftEvidence;
}

/** What UCP's Status.Message says: healthy, unhealthy, pending (transient) or nothing. */
export type UcpMessage = 'healthy' | 'unhealthy' | 'pending' | 'none';

export function ucpMessageOf(message: string): UcpMessage {
  const m = message.trim();
  if (m === '') return 'none';
  if (/^\[pending\]/i.test(m)) return 'pending';
  if (/^unhealthy\b/i.test(m)) return 'unhealthy';
  if (/^healthy\b/i.test(m)) return 'healthy';
  return 'none';
}

export function raftEvidence(node: ClusterNode, listFresh: boolean): RaftEvidence {
  if (!listFresh) return 'unknown';
  return node.manager?.reachability ?? 'unknown';
}

export function judgeManager(input: ManagerVerdictInput): ManagerJudgement {
  const { node, listFresh, ping } = input;
  const raft = raftEvidence(node, listFresh);
  const consoleSays = consoleEvidence(ping);
  let status = MANAGER_VERDICT_TABLE[raft][consoleSays];
  const message = ucpMessageOf(node.message);
  // Raft reachable and healthy by /_ping (or not pinged), but UCP itself says unhealthy.
  if (status === 'healthy' && raft === 'reachable' && message === 'unhealthy') status = 'unhealthy';
  // With an old list, a manager Raft last called unreachable stays so until it answers again.
  const lastWordDown = !listFresh && node.manager?.reachability === 'unreachable';
  if (status === 'unknown' && lastWordDown) status = 'unreachable';
  const quorumVote: QuorumVote =
    raft === 'reachable'
      ? 'up'
      : raft === 'unreachable'
        ? 'down'
        : consoleSays === 'ok'
          ? 'up'
          : lastWordDown
            ? 'down'
            : 'unknown';
  return {
    status,
    raft,
    quorumVote,
    verdict: {
      evidence: {
        console: consoleSays,
        cluster: raft === 'reachable' ? 'ok' : raft === 'unreachable' ? 'failing' : 'silent',
        inventory: node.state === 'ready' ? 'ready' : node.state === 'unknown' ? 'unknown' : 'down',
      },
      reason: reasonOf(status, input, raft, message, lastWordDown),
    },
  };
}

function raftPart(raft: RaftEvidence, lastWordDown: boolean, leader: boolean): string {
  switch (raft) {
    case 'reachable':
      return leader
        ? 'Swarm Raft reports it reachable (the leader)'
        : 'Swarm Raft reports it reachable';
    case 'unreachable':
      return 'Swarm Raft reports it unreachable: the other managers cannot reach it';
    case 'unknown':
      return lastWordDown
        ? 'the node list cannot be read now, and Raft last reported it unreachable'
        : 'the console has no current word from Raft on it';
  }
}

function pingPart(ping: ProbeResult | null): string | null {
  if (ping === null) return null;
  const why = ping.error ? ` (${ping.error})` : '';
  switch (consoleEvidence(ping)) {
    case 'ok':
      return 'its /_ping answers the console healthy';
    case 'failing':
      return `its /_ping answers unhealthy${why}: a UCP component on it is failing`;
    case 'no-answer':
      return `the console gets no answer from its /_ping${why}`;
    case 'inconclusive':
      return `the console cannot trust its /_ping answer${why}`;
    case 'not-probed':
      return null;
  }
}

function reasonOf(
  status: MemberStatus,
  input: ManagerVerdictInput,
  raft: RaftEvidence,
  message: UcpMessage,
  lastWordDown: boolean,
): string {
  const parts = [
    raftPart(raft, lastWordDown, input.node.manager?.leader === true),
    pingPart(input.ping),
    message === 'unhealthy' || message === 'pending' ? `UCP says “${input.node.message}”` : null,
  ].filter((p): p is string => p !== null);
  const conclusion =
    status === 'unreachable-from-console'
      ? ' — so it counts towards the majority; the console cannot reach its own address (firewall, routing, or a console that reaches only UCP’s load balancer)'
      : status === 'unknown'
        ? ' — so the console cannot tell whether it is up'
        : '';
  const sentence = parts.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${conclusion}.`;
}
