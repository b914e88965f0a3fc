// UCP managers (Swarm Raft): UCP_QUORUM_LOST, UCP_QUORUM_AT_RISK, UCP_QUORUM_UNKNOWN,
// UCP_NO_LEADER, UCP_MANAGER_UNREACHABLE, UCP_MANAGER_UNHEALTHY, UCP_PING_DISAGREES,
// UCP_FEW_MANAGERS, UCP_EVEN_MANAGERS.
import type { ClusterNode, Warning } from '../types';
import { ucpMessageOf } from '../verdicts/manager';
import { managers, type AssessContext, type Rule } from './context';
import { listOf, plural } from './format';

const MANAGERS_HREF = '/nodes?role=manager';

const managerStatus = (node: ClusterNode) => node.manager?.status ?? 'unknown';

/** Managers not counted up in the quorum: Raft unreachable, or of unknown state. */
const notReachable = (ctx: AssessContext) =>
  managers(ctx)
    .filter((node) => (node.manager?.quorumVote ?? 'unknown') !== 'up')
    .map((node) => node.hostname);

const unknownManagers = (ctx: AssessContext) =>
  managers(ctx)
    .filter((node) => node.manager?.quorumVote === 'unknown')
    .map((node) => node.hostname);

function reachabilitySentence(ctx: AssessContext): string {
  const { reachable, total, majority } = ctx.snapshot.ucp.managers;
  return `${reachable} of ${plural(total, 'manager')} ${reachable === 1 ? 'is' : 'are'} reachable and Swarm Raft needs ${majority}`;
}

const basisOf = (ctx: AssessContext): string =>
  ctx.snapshot.ucp.managers.basis ? ` Evidence: ${ctx.snapshot.ucp.managers.basis}` : '';

export const ucpQuorumLost: Rule = (ctx) => {
  const summary = ctx.snapshot.ucp.managers;
  if (summary.total === 0 || summary.status !== 'lost') return [];
  const down = notReachable(ctx);
  return [
    {
      code: 'UCP_QUORUM_LOST',
      severity: 'critical',
      title: 'UCP has lost its manager quorum: the control plane is down',
      detail:
        `${reachabilitySentence(ctx)}. Nothing can change: no scheduling, no service or node updates, UCP login may fail, ` +
        'and DTR join, remove and emergency-repair cannot run. Containers already running keep running.' +
        basisOf(ctx),
      nextStep:
        `Bring the unreachable managers${down.length ? ` (${listOf(down)})` : ''} back: power, network (port 2377 between managers), Docker engine. ` +
        'If a majority is gone for good, follow the UCP disaster-recovery procedure: force a new cluster from one surviving manager, or restore UCP from backup.',
      subjects: down,
      href: MANAGERS_HREF,
    },
  ];
};

export const ucpQuorumAtRisk: Rule = (ctx) => {
  const summary = ctx.snapshot.ucp.managers;
  if (summary.total === 0 || summary.status !== 'at-risk') return [];
  const down = notReachable(ctx);
  const unknown = unknownManagers(ctx);
  const onlyIfUnknownDown = unknown.length > 0;
  return [
    {
      code: 'UCP_QUORUM_AT_RISK',
      severity: onlyIfUnknownDown ? 'warning' : 'critical',
      title: onlyIfUnknownDown
        ? 'UCP manager quorum holds, with no margin if the managers the console cannot judge are down'
        : 'UCP manager quorum is at risk: one more failure stops the control plane',
      detail:
        `${reachabilitySentence(ctx)}: ${onlyIfUnknownDown ? `if ${listOf(unknown)} ${unknown.length === 1 ? 'is' : 'are'} down, ` : ''}no margin left. If one more manager fails, no changes can be made to the cluster ` +
        'and DTR membership changes become impossible.' +
        basisOf(ctx),
      nextStep: onlyIfUnknownDown
        ? `Find out whether ${listOf(unknown)} ${unknown.length === 1 ? 'is' : 'are'} up (docker node ls through a UCP client bundle). Make no manager change until the console can judge every manager.`
        : `Bring ${down.length ? listOf(down) : 'the failed manager'} back. If it will not return, demote and remove it ` +
          '(docker node demote, then docker node rm) and promote a healthy worker in its place — one manager change at a time.',
      subjects: down,
      href: MANAGERS_HREF,
    },
  ];
};

export const ucpQuorumUnknown: Rule = (ctx) => {
  const summary = ctx.snapshot.ucp.managers;
  if (summary.total === 0 || summary.status !== 'unknown') return [];
  const unknown = unknownManagers(ctx);
  return [
    {
      code: 'UCP_QUORUM_UNKNOWN',
      severity: 'critical',
      title: 'The console cannot tell whether UCP has its manager quorum',
      detail:
        `${summary.reachable} of ${plural(summary.total, 'manager')} are known reachable and Swarm Raft needs ${summary.majority}; the state of ${listOf(unknown)} decides it. ` +
        'The control plane may be working or down: the console will not call it lost without corroboration.' +
        basisOf(ctx),
      nextStep:
        'Check UCP directly (docker node ls through a client bundle, or the UCP web UI), then what stops the console reading it: UCP_URL, the console’s credentials, the network between them.',
      subjects: unknown,
      href: MANAGERS_HREF,
    },
  ];
};

export const ucpNoLeader: Rule = (ctx) => {
  const summary = ctx.snapshot.ucp.managers;
  if (summary.total === 0 || !summary.noLeader) return [];
  return [
    {
      code: 'UCP_NO_LEADER',
      severity: 'critical',
      title: 'Swarm Raft has no leader',
      detail:
        'Without a leader, Raft commits nothing: no scheduling, no service or node changes, and DTR membership changes cannot run. ' +
        (summary.status === 'lost'
          ? 'Swarm says too few managers are online to elect one.'
          : `${reachabilitySentence(ctx)}, so an election should finish within seconds; a leader still missing after a minute means the managers cannot reach each other on port 2377.`),
      nextStep:
        'Wait one poll for an election. If it persists, check each manager’s Docker engine and the network between managers (port 2377); docker node ls on a manager says which it can reach.',
      subjects: managers(ctx).map((node) => node.hostname),
      href: MANAGERS_HREF,
    },
  ];
};

function severityByQuorum(ctx: AssessContext): 'critical' | 'warning' {
  const status = ctx.snapshot.ucp.managers.status;
  return status === 'lost' || status === 'at-risk' || status === 'unknown' ? 'critical' : 'warning';
}

export const ucpManagerUnreachable: Rule = (ctx) => {
  const severity = severityByQuorum(ctx);
  return managers(ctx).flatMap((node) => {
    if (managerStatus(node) !== 'unreachable') return [];
    const message = node.message ? ` UCP says: "${node.message}".` : '';
    return [
      {
        code: 'UCP_MANAGER_UNREACHABLE' as const,
        severity,
        title: `UCP manager ${node.hostname} is unreachable`,
        detail:
          `${node.manager?.verdict?.reason ?? 'Swarm Raft reports it unreachable.'}${message} ` +
          (severity === 'critical'
            ? 'The managers have no margin left (see the UCP quorum warning).'
            : 'The other managers still hold a majority, but the control plane survives one failure less.'),
        nextStep:
          `Check ${node.hostname}: power, network to the other managers (port 2377) and the Docker engine and ucp-* containers. ` +
          'If it will not come back, demote and remove it, then promote a healthy worker — one manager change at a time.',
        subjects: [node.hostname],
        href: `/nodes?node=${encodeURIComponent(node.hostname)}`,
      },
    ];
  });
};

export const ucpManagerUnhealthy: Rule = (ctx) =>
  managers(ctx).flatMap((node): Warning[] => {
    const status = managerStatus(node);
    const pending = ucpMessageOf(node.message) === 'pending';
    if (status !== 'unhealthy' && !(status === 'healthy' && pending)) return [];
    if (status !== 'unhealthy') {
      return [
        {
          code: 'UCP_MANAGER_UNHEALTHY' as const,
          severity: 'info' as const,
          title: `UCP manager ${node.hostname} is settling: "${node.message}"`,
          detail:
            'UCP marks a manager “[Pending]” while it reconfigures (after a restart, an upgrade or a certificate rotation). It still counts towards Raft.',
          nextStep:
            'Nothing to do while it lasts a few minutes; if it stays pending, look at its ucp-* containers.',
          subjects: [node.hostname],
          href: `/nodes?node=${encodeURIComponent(node.hostname)}`,
        },
      ];
    }
    const raftDown = node.manager?.quorumVote !== 'up';
    return [
      {
        code: 'UCP_MANAGER_UNHEALTHY' as const,
        severity: raftDown ? severityByQuorum(ctx) : ('warning' as const),
        title: `UCP manager ${node.hostname} is unhealthy`,
        detail:
          `${node.manager?.verdict?.reason ?? ''} ` +
          (raftDown
            ? 'Raft does not count it either.'
            : 'Raft still counts it, so the manager quorum is not affected, but the UCP components on it (its API, ucp-kv, authentication) may fail requests that land there.'),
        nextStep: `Look at the ucp-* containers on ${node.hostname} (docker ps -a --filter name=ucp- on the node) and restart the failing one; UCP’s own health page names the component.`,
        subjects: [node.hostname],
        href: `/nodes?node=${encodeURIComponent(node.hostname)}`,
      },
    ];
  });

export const ucpPingDisagrees: Rule = (ctx) => {
  const cut = managers(ctx).filter((node) => managerStatus(node) === 'unreachable-from-console');
  if (cut.length === 0) return [];
  const all = cut.length === managers(ctx).length;
  return [
    {
      code: 'UCP_PING_DISAGREES',
      severity: all ? 'info' : 'warning',
      title: all
        ? 'The console reaches UCP but none of its managers directly: it judges them by Raft alone'
        : `The console cannot reach ${listOf(cut.map((n) => n.hostname))} directly, which Raft reports reachable`,
      detail:
        `Swarm Raft counts ${cut.length === 1 ? 'it' : 'them'} in the majority, so the manager quorum does not depend on the console’s probe; ` +
        `but the console cannot check ${cut.length === 1 ? 'its' : 'their'} own /_ping (${cut[0]?.manager?.ping?.error ?? 'no answer'}). ` +
        (all
          ? 'That is expected when the console reaches UCP only through its load balancer; a UCP component failing on one manager then goes unnoticed.'
          : 'Something between the console and those managers blocks it (a firewall, a route, the port), or they failed moments ago.'),
      nextStep: all
        ? 'If you want per-manager health, let the console reach every manager’s address on UCP’s port.'
        : `From the console’s host, try curl -sS --cacert <UCP CA> https://${cut[0]?.addr ?? cut[0]?.hostname}:<UCP port>/_ping.`,
      subjects: cut.map((n) => n.hostname),
      href: MANAGERS_HREF,
    },
  ];
};

export const ucpFewManagers: Rule = (ctx) => {
  const total = ctx.snapshot.ucp.managers.total;
  if (total === 0 || total >= 3) return [];
  return [
    {
      code: 'UCP_FEW_MANAGERS',
      severity: 'warning',
      title: `Only ${plural(total, 'UCP manager')}: no manager failure is survivable`,
      detail:
        total === 1
          ? 'If the only manager fails, the control plane stops: no scheduling, no changes, no DTR membership changes.'
          : 'A majority of 2 is 2, so losing either manager stops the control plane — worse than one manager, with twice the machines that can fail.',
      nextStep:
        'Promote workers, one at a time, until there are 3 dedicated managers (5 for larger clusters).',
      subjects: managers(ctx).map((node) => node.hostname),
      href: '/sizing',
    },
  ];
};

export const ucpEvenManagers: Rule = (ctx) => {
  const total = ctx.snapshot.ucp.managers.total;
  // 2 managers get UCP_FEW_MANAGERS.
  if (total < 4 || total % 2 !== 0) return [];
  return [
    {
      code: 'UCP_EVEN_MANAGERS',
      severity: 'info',
      title: `${total} UCP managers survive no more failures than ${total - 1}`,
      detail: `${total} managers survive ${plural(ctx.snapshot.ucp.managers.failuresTolerated, 'failure')}, the same as ${total - 1}, with one more machine that can fail and one more Raft member every change must reach.`,
      nextStep: `Promote one more node to reach ${total + 1}, or demote one manager to ${total - 1} — one change at a time.`,
      subjects: managers(ctx).map((node) => node.hostname),
      href: '/sizing',
    },
  ];
};
