// DTR cluster size by design (DESIGN.md §1): DTR_SINGLE_REPLICA, DTR_TWO_REPLICAS,
// DTR_EVEN_REPLICAS, DTR_TOO_MANY_REPLICAS.
import { MAX_RECOMMENDED_MEMBERS, failuresTolerated } from '../quorum';
import type { AssessContext, Rule } from './context';
import { plural } from './format';

const replicaIds = (ctx: AssessContext) => ctx.snapshot.dtr.replicas.map((r) => r.id);

export const dtrSingleReplica: Rule = (ctx) => {
  if (ctx.snapshot.dtr.replicas.length !== 1) return [];
  return [
    {
      code: 'DTR_SINGLE_REPLICA',
      severity: 'warning',
      title: 'DTR runs a single replica: no high availability',
      detail:
        'If this replica or its node fails, the registry is down until it is repaired or restored from backup. ' +
        'That can be a deliberate choice for a small setup, but nothing protects it.',
      nextStep:
        'For high availability, join two more replicas on dedicated UCP workers, one at a time, to survive one failure.',
      subjects: replicaIds(ctx),
      href: '/replicas/join',
    },
  ];
};

export const dtrTwoReplicas: Rule = (ctx) => {
  if (ctx.snapshot.dtr.replicas.length !== 2) return [];
  return [
    {
      code: 'DTR_TWO_REPLICAS',
      severity: 'warning',
      title: 'Two DTR replicas tolerate no failure',
      detail:
        'A majority of 2 is 2, so losing either replica stops the registry. That is no better than one replica and ' +
        'gives twice as many machines whose failure causes an outage. The cluster is not "at risk" because something ' +
        'broke: it was never able to survive a failure.',
      nextStep: 'Join a third replica on a dedicated UCP worker: 3 replicas survive one failure.',
      subjects: replicaIds(ctx),
      href: '/replicas/join',
    },
  ];
};

export const dtrEvenReplicas: Rule = (ctx) => {
  const n = ctx.snapshot.dtr.replicas.length;
  if (n < 4 || n % 2 !== 0) return [];
  const tolerated = failuresTolerated(n);
  const grow =
    n + 1 <= MAX_RECOMMENDED_MEMBERS
      ? `Join one more replica (${n + 1} survive ${plural(failuresTolerated(n + 1), 'failure')}), or remove`
      : 'Remove';
  return [
    {
      code: 'DTR_EVEN_REPLICAS',
      severity: 'info',
      title: `${n} DTR replicas survive no more failures than ${n - 1}`,
      detail:
        `${n} replicas survive ${plural(tolerated, 'failure')}, the same as ${n - 1}, with one more machine that can fail ` +
        'and one more copy every write must wait for.',
      nextStep: `${grow} one replica to get ${n - 1}: the same tolerance on fewer machines. Change one member at a time.`,
      subjects: replicaIds(ctx),
      href: '/sizing',
    },
  ];
};

export const dtrTooManyReplicas: Rule = (ctx) => {
  const n = ctx.snapshot.dtr.replicas.length;
  if (n <= MAX_RECOMMENDED_MEMBERS) return [];
  const most = MAX_RECOMMENDED_MEMBERS;
  return [
    {
      code: 'DTR_TOO_MANY_REPLICAS',
      severity: 'warning',
      title: `${n} DTR replicas: writes slow down`,
      detail:
        `Every write must reach a majority of ${n} replicas, so pushes and metadata changes get slower, ` +
        `for little gain: ${most} replicas already survive ${failuresTolerated(most)} failures, and the vendor sizes DTR at 3, 5 or ${most}.`,
      nextStep: `Remove replicas down to ${most} (or ${most - 2}), one at a time, keeping at least one in each failure zone.`,
      subjects: replicaIds(ctx),
      href: '/sizing',
    },
  ];
};
