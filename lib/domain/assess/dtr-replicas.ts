// What the replicas and the cluster view say about each other: DTR_REPLICA_STALE_REPORT,
// DTR_PING_DISAGREES, DTR_REPLICA_ON_MANAGER, DTR_TABLES_NOT_WRITABLE.
import type { ReplicaState, Warning } from '../types';
import { ageMs, nodeByHostname, type AssessContext, type Rule } from './context';
import { durationInWords, listOf, plural } from './format';

export const nodeHref = (hostname: string) => `/nodes?node=${encodeURIComponent(hostname)}`;

/** When the cluster view was read: now if the DTR source is current, else its last success. */
function viewReadAt(ctx: AssessContext): number {
  const dtr = ctx.snapshot.sources.dtr;
  if (dtr.state === 'ok' || dtr.lastSuccessAt === null) return ctx.nowMs;
  const at = Date.parse(dtr.lastSuccessAt);
  return Number.isNaN(at) ? ctx.nowMs : at;
}

export const dtrReplicaStaleReport: Rule = (ctx) => {
  const readAt = viewReadAt(ctx);
  // A replica down by other evidence is expected not to report: DTR_REPLICA_UNHEALTHY covers it.
  // One that still answers the console is the case worth its own words.
  return ctx.snapshot.dtr.replicas.flatMap((replica) => {
    if (replica.status === 'unreachable' || replica.status === 'ghost') return [];
    if (replica.status === 'unhealthy' && replica.ping?.status !== 'healthy') return [];
    const age = ageMs(ctx, replica.lastReport, readAt);
    if (age === null || age <= ctx.staleReportMs) return [];
    const stillAnswers =
      replica.ping?.status === 'healthy'
        ? ' It still answers /_ping, so the load balancer keeps sending it traffic while it may be cut off from the other replicas or have a stuck dtr-api or dtr-rethinkdb container.'
        : '';
    return [
      {
        code: 'DTR_REPLICA_STALE_REPORT' as const,
        severity: 'warning' as const,
        title: `DTR replica ${replica.id} stopped reporting to the cluster`,
        detail: `Its last report in cluster_status is ${durationInWords(age)} old; replicas report about once a minute.${stillAnswers}`,
        nextStep:
          `Check the dtr-* containers of replica ${replica.id} on ${replica.node} and the network between ${replica.node} and the other DTR nodes. ` +
          'If it does not recover, take it out of the load balancer, remove it and join a new replica.',
        subjects: [replica.id, replica.node],
        href: nodeHref(replica.node),
      },
    ];
  });
};

function disagreement(ctx: AssessContext, replica: ReplicaState): Warning | null {
  const view = ctx.snapshot.dtr.clusterView;
  const seenBy = view?.reportedBy ? ` (as seen by replica ${view.reportedBy})` : '';
  const base = {
    code: 'DTR_PING_DISAGREES' as const,
    severity: 'warning' as const,
    subjects: [replica.id, replica.node],
    href: nodeHref(replica.node),
  };
  const evidence = replica.verdict.evidence;
  // The replica answers the console, but the majority's view reports it failing: a partition.
  if (evidence.console === 'ok' && evidence.cluster === 'failing') {
    const says = replica.clusterHealth && replica.clusterHealth.toUpperCase() !== 'OK';
    return {
      ...base,
      title: `DTR replica ${replica.id} answers /_ping but the cluster reports it unhealthy`,
      detail:
        `cluster_status${seenBy} says: "${says ? replica.clusterHealth : (replica.error ?? 'not ready')}". The replica may be partitioned: it keeps answering requests ` +
        'with its own view while the other replicas cannot reach it.',
      nextStep: `Check the network between ${replica.node} and the other DTR nodes. Until it is fixed, take replica ${replica.id} out of the load balancer pool.`,
    };
  }
  // The console cannot reach (or cannot trust) a replica the majority vouches for.
  if (replica.status === 'unreachable-from-console') {
    const target = `${replica.address ?? replica.node} (port ${replica.httpsPort} over HTTPS, ${replica.httpPort} over HTTP)`;
    const what =
      evidence.console === 'inconclusive'
        ? `cannot trust its answer (${replica.ping?.error ?? 'TLS failure'})`
        : `gets no answer (${replica.ping?.error ?? 'no answer'})`;
    return {
      ...base,
      title: `The console cannot reach DTR replica ${replica.id}, which the cluster reports OK`,
      detail:
        `The other replicas count it in the majority${seenBy}, so the quorum does not depend on the console’s probe, but the console ${what}. ` +
        `Most likely something between the console and ${target} blocks the probe — a firewall, a route, a different port or DTR_PROBE_SCHEME; ` +
        'less likely, the replica failed moments ago and the cluster has not noticed yet (then the next polls will say so).',
      nextStep: `From the console’s host, try curl -sS ${replica.ping?.kind === 'tls' ? '--cacert <DTR CA> ' : ''}<scheme>://${replica.address ?? replica.node}:<port>/_ping. If the replica answers from elsewhere but not from the console, fix the path; if it answers nowhere, look at its dtr-* containers on ${replica.node}.`,
    };
  }
  return null;
}

export const dtrPingDisagrees: Rule = (ctx) => {
  // A cluster view from a failing DTR source is old; comparing it with fresh pings would invent disagreements.
  if (ctx.snapshot.dtr.clusterView === null || ctx.snapshot.sources.dtr.state !== 'ok') return [];
  return ctx.snapshot.dtr.replicas.flatMap((replica) => disagreement(ctx, replica) ?? []);
};

export const dtrReplicaOnManager: Rule = (ctx) =>
  ctx.snapshot.dtr.replicas.flatMap((replica) => {
    if (nodeByHostname(ctx, replica.node)?.role !== 'manager') return [];
    return [
      {
        code: 'DTR_REPLICA_ON_MANAGER' as const,
        severity: 'warning' as const,
        title: `DTR replica ${replica.id} runs on UCP manager ${replica.node}`,
        detail:
          'DTR must run on UCP worker nodes. Here it competes with the manager’s Raft store for resources, and one node ' +
          'failure costs both a UCP manager and a DTR replica.',
        nextStep:
          'Once every replica is healthy, join a replacement replica on a dedicated worker, then remove this one — one change at a time.',
        subjects: [replica.id, replica.node],
        href: '/replicas/join',
      },
    ];
  });

export const dtrTablesNotWritable: Rule = (ctx) => {
  const view = ctx.snapshot.dtr.clusterView;
  if (view?.tablesReadyForWrites !== false) return [];
  const tables = view.tablesNotWritable;
  const issues = view.currentIssues.map((issue) => issue.description).filter(Boolean);
  const named =
    tables.length > 0
      ? `${plural(tables.length, 'table')} cannot take writes: ${listOf(tables)}.`
      : 'Some tables cannot take writes.';
  const notReady =
    view.replicasNotReady.length > 0
      ? ` Replicas not ready in RethinkDB: ${listOf(view.replicasNotReady)}.`
      : '';
  const lost = ctx.snapshot.dtr.quorum.status === 'lost';
  return [
    {
      code: 'DTR_TABLES_NOT_WRITABLE',
      severity: 'critical',
      title: 'DTR metadata tables are not writable',
      detail:
        `${named} Pushes, deletes and settings changes that touch them fail until RethinkDB makes them ready again.${notReady}` +
        (issues.length > 0 ? ` RethinkDB reports: ${listOf(issues, 3)}.` : ''),
      nextStep: lost
        ? 'Quorum is lost: follow the first step of the "DTR has lost quorum" warning.'
        : 'Bring the replicas that are not ready back. Right after a join or remove this can last a few minutes while data is copied; ' +
          'do not make another membership change until every table is writable again.',
      subjects: view.replicasNotReady.length > 0 ? [...view.replicasNotReady] : ['dtr'],
      ...(lost && { href: '/replicas/repair' }),
    },
  ];
};
