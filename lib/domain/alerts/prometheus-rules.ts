// Prometheus alert rules over the console's own /api/metrics series (lib/server/metrics.ts), and
// the scrape job that collects them. Which rules exist and how severe they are follows the
// cluster's size when the file is generated: an at-risk rule only where the group tolerates a
// failure, a member down is a warning only where the group survives two, a cache's replica down is
// a warning when it leaves one. Pure: the caller passes the sizes and the options.
import { Document } from 'yaml';
import type { ClusterSnapshot, Instant } from '@/lib/domain/types';
import { cacheBackings, replicaCount } from '@/lib/domain/cache-replicas';
import { failuresTolerated, majority } from '@/lib/domain/quorum';
import type { PrometheusOptions } from './prometheus-options';

export type RuleSeverity = 'critical' | 'warning' | 'info';

/** The sizes the thresholds are derived from, and when they were true. */
export interface ClusterSize {
  /** DTR replicas; null on a console without DTR (Swarm only). */
  dtrReplicas: number | null;
  /** UCP managers; null when UCP is not configured. */
  ucpManagers: number | null;
  /** Registered content caches and how many replicas (nodes) serve each; null: cannot be counted. */
  caches: { name: string; replicas: number | null }[];
  /** The snapshot's time. */
  asOf: Instant;
}

export function clusterSizeOf(snapshot: ClusterSnapshot): ClusterSize {
  const dtr = snapshot.sources.dtr.configured !== false;
  const ucp = snapshot.sources.ucp.configured !== false;
  const caches = dtr ? (snapshot.dtr.caches ?? []) : [];
  const backings = cacheBackings(caches, snapshot.ucp.nodes);
  return {
    dtrReplicas: dtr ? snapshot.dtr.quorum.replicas : null,
    ucpManagers: ucp ? snapshot.ucp.managers.total : null,
    caches: caches.map((c) => ({
      name: c.name,
      replicas: replicaCount(c, backings.get(c.id), snapshot.ucp.nodes).total,
    })),
    asOf: snapshot.generatedAt,
  };
}

export interface GeneratedRule {
  group: string;
  alert: string;
  expr: string;
  for: string;
  severity: RuleSeverity;
  /** Labels besides severity, fixed text (never templates). */
  labels?: Record<string, string>;
  /** One line; may name the alert's labels as `{{ $labels.x }}`. */
  summary: string;
  /** What it means and what follows, plain text. */
  description: string;
  runbookUrl: string;
}

export interface GeneratedFile {
  filename: string;
  contentType: string;
  text: string;
}

export interface PrometheusRules extends GeneratedFile {
  rules: GeneratedRule[];
  groups: string[];
}

/** A PromQL string literal: double quotes, with backslash, quote and line breaks escaped. */
export function promqlString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `"${escaped}"`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

interface Plane {
  key: 'dtr' | 'ucp';
  /** Alert name prefix. */
  prefix: 'Dtr' | 'Ucp';
  product: string;
  member: string;
  members: number;
  /** The per-member gauge (1 up, 0 down) and the label naming the member. */
  upMetric: string;
  memberAlert: string;
  memberDownSummary: string;
  lostConsequence: string;
  lostRunbook: string;
  memberRunbook: string;
}

function planeRules(
  plane: Plane,
  o: PrometheusOptions,
  sel: (m: string, extra?: string) => string,
) {
  const group = `dtr-ha-console-${plane.key}`;
  const n = plane.members;
  const need = majority(n);
  const tolerates = failuresTolerated(n);
  const planeSel = (metric: string) => sel(metric, `plane="${plane.key}"`);
  const rules: GeneratedRule[] = [
    {
      group,
      alert: `${plane.prefix}QuorumLost`,
      expr: `max without (instance) (${planeSel('dtr_console_quorum_lost')}) == 1`,
      for: o.criticalFor,
      severity: 'critical',
      summary: `${plane.product} has lost quorum`,
      description: `Fewer than ${need} of the ${plural(n, plane.member)} are healthy, so ${plane.product} has no majority: ${plane.lostConsequence} Bring members back rather than adding new ones; the console's advice says which and how.`,
      runbookUrl: `${o.consoleUrl}${plane.lostRunbook}`,
    },
  ];
  if (tolerates >= 1)
    rules.push({
      group,
      alert: `${plane.prefix}QuorumAtRisk`,
      expr: `min without (instance) (${planeSel('dtr_console_quorum_margin')}) == 0`,
      for: o.warningFor,
      severity: 'warning',
      summary: `${plane.product} survives no further ${plane.member} failure`,
      description: `${plane.product} needs ${need} of its ${plural(n, plane.member)} healthy and is down to exactly ${need}: one more failure loses quorum (${plane.lostConsequence.replace(/\.$/, '')}). Bring the failed ${plane.member}s back first.`,
      runbookUrl: `${o.consoleUrl}/`,
    });
  // Where a member down also means at risk or lost, those alerts page; this one names the member.
  const memberSeverity: RuleSeverity = tolerates >= 2 ? 'warning' : 'info';
  rules.push({
    group,
    alert: plane.memberAlert,
    expr: `max without (instance) (${sel(plane.upMetric)}) == 0`,
    for: o.warningFor,
    severity: memberSeverity,
    summary: plane.memberDownSummary,
    description:
      tolerates >= 2
        ? `With ${plural(n, plane.member)}, ${plane.product} survives ${tolerates} failures; each ${plane.member} down uses one of them, and nothing else alerts until only one is left.`
        : tolerates === 1
          ? `With ${plural(n, plane.member)}, ${plane.product} survives one failure: this ${plane.member} down uses it, and ${plane.prefix}QuorumAtRisk or ${plane.prefix}QuorumLost says what follows for the cluster.`
          : `With ${plural(n, plane.member)}, ${plane.product} survives no failure: ${plane.prefix}QuorumLost says what follows for the cluster.`,
    runbookUrl: `${o.consoleUrl}${plane.memberRunbook}`,
  });
  rules.push({
    group,
    alert: `${plane.prefix}${plane.key === 'dtr' ? 'Replica' : 'Manager'}CountChanged`,
    expr: `max without (instance) (${planeSel('dtr_console_quorum_members')}) != ${n}`,
    for: o.infoFor,
    severity: 'info',
    summary: `${plane.product} no longer has ${plural(n, plane.member)}, the size these rules were generated for`,
    description: `The thresholds of these rules follow a cluster of ${plural(n, plane.member)} (majority ${need}, survives ${plural(tolerates, 'failure')}). After a join or removal, generate the rules again so the severities match the new size.`,
    runbookUrl: `${o.consoleUrl}/alerts/prometheus`,
  });
  return rules;
}

function consoleRules(o: PrometheusOptions, sel: (m: string, extra?: string) => string) {
  const group = 'dtr-ha-console-health';
  const job = `job=${promqlString(o.job)}`;
  const rules: GeneratedRule[] = [
    {
      group,
      alert: 'DtrConsoleScrapeFailing',
      expr: `up{${job}} == 0`,
      for: o.warningFor,
      severity: 'warning',
      summary: 'Prometheus cannot scrape the DTR HA console at {{ $labels.instance }}',
      description:
        'The scrape of /api/metrics fails: the console is down, unreachable, or refuses the bearer token. While it fails, none of the cluster alerts in these rules can fire.',
      runbookUrl: `${o.consoleUrl}/`,
    },
    {
      group,
      alert: 'DtrConsoleMetricsAbsent',
      expr: `absent(${sel('dtr_console_snapshot_timestamp_seconds')})`,
      for: o.warningFor,
      severity: 'warning',
      summary: `Prometheus has no cluster metrics from the DTR HA console (job ${o.job})`,
      description:
        'No console metrics arrive: the scrape job is missing or misnamed, or every console is down. Nothing watches DTR and UCP quorum until they do.',
      runbookUrl: `${o.consoleUrl}/`,
    },
    {
      group,
      alert: 'DtrConsoleSnapshotStale',
      expr: `${sel('dtr_console_snapshot_age_seconds')} > 3 * ${sel('dtr_console_poll_interval_seconds')} + 30`,
      for: o.warningFor,
      severity: 'warning',
      summary: 'The DTR HA console at {{ $labels.instance }} serves a stale cluster snapshot',
      description:
        "The console's latest snapshot is older than three poll intervals plus 30 s: polling has stalled, so what it reports, and these alerts, no longer follow the cluster.",
      runbookUrl: `${o.consoleUrl}/`,
    },
    {
      group,
      alert: 'DtrConsoleSourceDown',
      expr: `max without (instance) (${sel('dtr_console_source_up')}) == 0`,
      for: o.warningFor,
      severity: 'warning',
      summary: 'The DTR HA console cannot read {{ $labels.source }}',
      description:
        'The last poll of this source failed: the quorum and members the console reports for it are stale or unknown, so its quorum alerts may stay silent through an outage.',
      runbookUrl: `${o.consoleUrl}/`,
    },
  ];
  return rules;
}

/** An RE2 pattern matching exactly `value`. */
export function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function cacheRules(
  caches: ClusterSize['caches'],
  o: PrometheusOptions,
  sel: (m: string, extra?: string) => string,
): GeneratedRule[] {
  const group = 'dtr-ha-console-caches';
  const rules: GeneratedRule[] = [];
  // One rule per replica count, selecting the caches of that size: severity and advice follow the
  // count, and Prometheus wants no two rules of one name with the same labels.
  const bySize = new Map<number | null, string[]>();
  for (const cache of caches)
    bySize.set(cache.replicas, [...(bySize.get(cache.replicas) ?? []), cache.name]);
  const sizes = [...bySize.keys()].sort((a, b) => (a ?? -1) - (b ?? -1));
  for (const r of sizes) {
    const names = bySize.get(r) ?? [];
    const which = `cache=~${promqlString(names.map(regexLiteral).join('|'))}`;
    const labels = { cache_replicas: r === null ? 'unknown' : String(r) };
    rules.push({
      group,
      alert: 'DtrCacheDown',
      expr: `max without (instance) (${sel('dtr_console_dtr_cache_up', which)}) == 0`,
      for: o.warningFor,
      severity: 'warning',
      labels,
      summary: 'The DTR content cache {{ $labels.cache }} does not answer',
      description:
        r === null
          ? 'Its registered address fails its /v2/ probe, and the console cannot tell which nodes serve it: users set to pull through it get errors until it is back.'
          : r <= 1
            ? 'Its registered address fails its /v2/ probe and it has a single replica, so nothing takes over: users set to pull through it get errors until it is back. A second replica behind a load balancer removes this single point of failure.'
            : `Its registered address fails its /v2/ probe although ${r} replicas serve it: the load balancer in front of them, or every replica, is failing. Users set to pull through it get errors.`,
      runbookUrl: `${o.consoleUrl}/caches`,
    });
    if (r !== null && r >= 2)
      rules.push({
        group,
        alert: 'DtrCacheReplicaDown',
        expr: `max without (instance) (${sel('dtr_console_dtr_cache_replica_up', which)}) == 0`,
        for: o.warningFor,
        severity: r === 2 ? 'warning' : 'info',
        labels,
        summary: 'Replica {{ $labels.node }} of the DTR content cache {{ $labels.cache }} is down',
        description:
          r === 2
            ? 'The cache has 2 replicas: the other one serves alone now, and if it fails too, pulls through the cache fail.'
            : `The cache has ${r} replicas: the others keep serving; the load balancer should have taken this one out of its pool.`,
        runbookUrl: `${o.consoleUrl}/caches`,
      });
  }
  rules.push({
    group,
    alert: 'DtrCacheCountChanged',
    // Counted once however many consoles serve the snapshot; no cache at all counts 0, not nothing.
    expr: `(count without (cache) (max without (instance) (${sel('dtr_console_dtr_cache_up')})) or max without (instance) (${sel('dtr_console_snapshot_timestamp_seconds')}) * 0) != ${caches.length}`,
    for: o.infoFor,
    severity: 'info',
    summary: `The number of DTR content caches is no longer ${caches.length}, the number these rules were generated for`,
    description:
      'A content cache was registered or removed since these rules were generated: generate them again so every cache has its own rules.',
    runbookUrl: `${o.consoleUrl}/alerts/prometheus`,
  });
  return rules;
}

/** Every rule for a cluster of `size`, in the order of the file. */
export function generateRules(size: ClusterSize, options: PrometheusOptions): GeneratedRule[] {
  const job = `job=${promqlString(options.job)}`;
  const sel = (metric: string, extra?: string) => `${metric}{${extra ? `${job},${extra}` : job}}`;
  const rules = consoleRules(options, sel);
  if (size.dtrReplicas !== null && size.dtrReplicas > 0)
    rules.push(
      ...planeRules(
        {
          key: 'dtr',
          prefix: 'Dtr',
          product: 'DTR',
          member: 'replica',
          members: size.dtrReplicas,
          upMetric: 'dtr_console_dtr_replica_up',
          memberAlert: 'DtrReplicaDown',
          memberDownSummary: 'DTR replica {{ $labels.replica }} on {{ $labels.node }} is down',
          lostConsequence:
            'pushes, deletions, sign-ins that write and every other write fail, and pulls may fail too.',
          lostRunbook: '/replicas/repair',
          memberRunbook: '/replicas',
        },
        options,
        sel,
      ),
    );
  if (size.ucpManagers !== null && size.ucpManagers > 0) {
    rules.push(
      ...planeRules(
        {
          key: 'ucp',
          prefix: 'Ucp',
          product: 'UCP',
          member: 'manager',
          members: size.ucpManagers,
          upMetric: 'dtr_console_ucp_manager_reachable',
          memberAlert: 'UcpManagerUnreachable',
          memberDownSummary: 'UCP manager {{ $labels.node }} is not reachable in the Raft cluster',
          lostConsequence:
            'the swarm cannot schedule, update or remove services, and UCP cannot change anything.',
          lostRunbook: '/nodes',
          memberRunbook: '/nodes',
        },
        options,
        sel,
      ),
    );
    rules.push({
      group: 'dtr-ha-console-ucp',
      alert: 'UcpNoLeader',
      expr: `max without (instance, node) (${sel('dtr_console_ucp_manager_leader')}) == 0 unless on (job) max without (instance, plane) (${sel('dtr_console_quorum_lost', 'plane="ucp"')}) == 1`,
      for: options.criticalFor,
      severity: 'critical',
      summary: 'The UCP managers have no Raft leader',
      description:
        'A majority of managers is reachable, yet none leads: the swarm cannot change services or nodes until the managers elect one. Reported only while quorum holds; UcpQuorumLost covers the rest.',
      runbookUrl: `${options.consoleUrl}/nodes`,
    });
  }
  if (size.dtrReplicas !== null) rules.push(...cacheRules(size.caches, options, sel));
  return rules;
}

function describeSize(size: ClusterSize): string[] {
  const lines: string[] = [];
  if (size.dtrReplicas !== null)
    lines.push(
      `DTR: ${plural(size.dtrReplicas, 'replica')} (majority ${majority(size.dtrReplicas)}, survives ${plural(failuresTolerated(size.dtrReplicas), 'failure')})`,
    );
  else lines.push('DTR: not configured (no DTR rules)');
  if (size.ucpManagers !== null)
    lines.push(
      `UCP: ${plural(size.ucpManagers, 'manager')} (majority ${majority(size.ucpManagers)}, survives ${plural(failuresTolerated(size.ucpManagers), 'failure')})`,
    );
  else lines.push('UCP: not configured (no UCP rules)');
  if (size.caches.length === 0) lines.push('Content caches: none');
  for (const cache of size.caches)
    lines.push(
      `Content cache ${JSON.stringify(cache.name)}: ${cache.replicas === null ? 'replicas cannot be counted' : plural(cache.replicas, 'replica')}`,
    );
  return lines;
}

/** The rule file Prometheus loads (`rule_files:`), with a header saying what it was sized for. */
export function prometheusRules(size: ClusterSize, options: PrometheusOptions): PrometheusRules {
  const rules = generateRules(size, options);
  const groups = [...new Set(rules.map((r) => r.group))];
  const doc = new Document({
    groups: groups.map((name) => ({
      name,
      rules: rules
        .filter((r) => r.group === name)
        .map((r) => ({
          alert: r.alert,
          expr: r.expr,
          for: r.for,
          labels: { severity: r.severity, ...r.labels },
          annotations: {
            summary: r.summary,
            description: r.description,
            runbook_url: r.runbookUrl,
          },
        })),
    })),
  });
  doc.commentBefore = [
    ' Prometheus alert rules generated by DTR HA Console for the cluster as it was',
    ` at ${size.asOf}:`,
    ...describeSize(size).map((line) => `   ${line}`),
    ` They read the console's /api/metrics, scraped as job ${JSON.stringify(options.job)}.`,
    ` Regenerate after a member joins or leaves: ${options.consoleUrl}/alerts/prometheus`,
  ].join('\n');
  return {
    filename: 'dtr-ha-console-rules.yml',
    contentType: 'application/yaml; charset=utf-8',
    text: doc.toString({ lineWidth: 0 }),
    rules,
    groups,
  };
}

/** The scrape job for /api/metrics, to paste under `scrape_configs:`. */
export function scrapeConfig(options: PrometheusOptions): GeneratedFile {
  const url = new URL(options.consoleUrl);
  const prefix = url.pathname.replace(/\/+$/, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const doc = new Document([
    {
      job_name: options.job,
      scheme: url.protocol.replace(':', ''),
      metrics_path: `${prefix}/api/metrics`,
      scrape_interval: '30s',
      authorization: { type: 'Bearer', credentials_file: options.tokenFile },
      static_configs: [{ targets: [`${url.hostname}:${port}`] }],
    },
  ]);
  doc.commentBefore = [
    ' Scrape job for the DTR HA console: add under scrape_configs in prometheus.yml.',
    ` ${options.tokenFile} holds the console's METRICS_TOKEN (and nothing else).`,
  ].join('\n');
  return {
    filename: 'dtr-ha-console-scrape.yml',
    contentType: 'application/yaml; charset=utf-8',
    text: doc.toString({ lineWidth: 0 }),
  };
}
