// UCP managers (Swarm Raft): UCP_QUORUM_LOST, UCP_QUORUM_AT_RISK, UCP_MANAGER_UNREACHABLE,
// UCP_FEW_MANAGERS, UCP_EVEN_MANAGERS.
import type { ClusterNode } from '../types';
import { managers, type AssessContext, type Rule } from './context';
import { listOf, plural } from './format';

const MANAGERS_HREF = '/nodes?role=manager';

const notReachable = (ctx: AssessContext) =>
  managers(ctx)
    .filter((node) => node.manager?.reachability !== 'reachable')
    .map((node) => node.hostname);

function reachabilitySentence(ctx: AssessContext): string {
  const { reachable, total, majority } = ctx.snapshot.ucp.managers;
  return `${reachable} of ${plural(total, 'manager')} ${reachable === 1 ? 'is' : 'are'} reachable and Swarm Raft needs ${majority}`;
}

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
        'and DTR join, remove and emergency-repair cannot run. Containers already running keep running.',
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
  return [
    {
      code: 'UCP_QUORUM_AT_RISK',
      severity: 'critical',
      title: 'UCP manager quorum is at risk: one more failure stops the control plane',
      detail:
        `${reachabilitySentence(ctx)}: no margin left. If one more manager fails, no changes can be made to the cluster ` +
        'and DTR membership changes become impossible.',
      nextStep:
        `Bring ${down.length ? listOf(down) : 'the failed manager'} back. If it will not return, demote and remove it ` +
        '(docker node demote, then docker node rm) and promote a healthy worker in its place — one manager change at a time.',
      subjects: down,
      href: MANAGERS_HREF,
    },
  ];
};

function managerProblem(node: ClusterNode): string | null {
  const detail = node.manager;
  if (!detail) return null;
  if (detail.reachability === 'unreachable') return 'the other managers cannot reach it over Raft';
  const ping = detail.ping;
  if (ping && (ping.status === 'unhealthy' || ping.status === 'unreachable')) {
    return ping.status === 'unreachable'
      ? `the console cannot reach its /_ping${ping.error ? ` (${ping.error})` : ''}`
      : `its /_ping reports unhealthy${ping.error ? ` (${ping.error})` : ''}`;
  }
  return null;
}

export const ucpManagerUnreachable: Rule = (ctx) => {
  const status = ctx.snapshot.ucp.managers.status;
  const severity = status === 'lost' || status === 'at-risk' ? 'critical' : 'warning';
  return managers(ctx).flatMap((node) => {
    const problem = managerProblem(node);
    if (!problem) return [];
    const message = node.message ? ` UCP says: "${node.message}".` : '';
    return [
      {
        code: 'UCP_MANAGER_UNREACHABLE' as const,
        severity,
        title: `UCP manager ${node.hostname} is not healthy`,
        detail:
          `${problem[0]?.toUpperCase()}${problem.slice(1)}.${message} ` +
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
