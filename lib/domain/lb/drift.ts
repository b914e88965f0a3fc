// Drift between the load balancer's pool (HAProxy's stats) and the DTR replicas that exist:
// DTR never tells the load balancer about a join or a removal, so the two part ways silently.
import { quoteWord } from '../shell';
import type { ClusterStatus, Instant, MemberStatus } from '../types';
import { lbReplicasFromStatus } from './from-status';

/** One server row of the load balancer's stats (FRONTEND/BACKEND aggregates are not servers). */
export interface LbServerState {
  backend: string;
  server: string;
  /** From the server names our configs write (`replica-<id>`); null for any other name. */
  replicaId: string | null;
  /** As HAProxy writes it: UP, DOWN, "UP 1/3" (failing), "DOWN 1/2" (recovering), MAINT, DRAIN, NOLB, "no check". */
  status: string;
  /** Last check result, e.g. L7OK, L4CON, L7STS; null for servers that only track another. */
  checkStatus: string | null;
  /** What the last check saw, e.g. "Layer4 connection problem: Connection refused". */
  checkDetail: string | null;
  /** Seconds since the status last changed. */
  lastChange: number | null;
  /** `host:port`, when the stats report it; matches servers whose names are not ours. */
  address: string | null;
}

/** A DTR replica as the drift check needs it. */
export interface DriftReplica {
  id: string;
  node?: string;
  status: MemberStatus;
  /** Where the load balancer should reach it; null when unknown. */
  address: string | null;
  httpPort: number;
  httpsPort: number;
  /** When `status` last changed; recent changes get the load balancer's checks time to follow. */
  since?: Instant | null;
}

export const DRIFT_CODES = [
  'stale-in-pool',
  'missing-from-pool',
  'lb-down-cluster-healthy',
  'lb-up-cluster-unhealthy',
] as const;
export type DriftCode = (typeof DRIFT_CODES)[number];

export interface DriftFinding {
  code: DriftCode;
  severity: 'critical' | 'warning';
  title: string;
  /** The consequence, in plain words. */
  detail: string;
  nextStep: string;
  /** The exact command for the next step, where there is one. */
  command?: string;
  href: '/load-balancer';
  /** Replica IDs, or `backend/server` for servers that match no replica. */
  subjects: string[];
}

/** GET /api/load-balancer/drift: the pool as last read and what it disagrees on. */
export interface LbDriftState {
  /** Whether LB_STATS_URL is set. */
  configured: boolean;
  /** host:port of the stats page (never its credentials). */
  source: string | null;
  /** Last successful read of the pool. */
  fetchedAt: Instant | null;
  /** Last attempt, successful or not. */
  checkedAt: Instant | null;
  /** Why the last attempt failed; the pool and findings are then those of `fetchedAt`. */
  error: string | null;
  pool: LbServerState[];
  findings: DriftFinding[];
  intervalMs: number | null;
}

export interface CompareOptions {
  now?: Date;
  /**
   * How long after a replica changed state a disagreement is expected (the load balancer's checks
   * need inter x fall to follow). Needs `now` and the replicas' `since`.
   */
  graceMs?: number;
}

export const RELOAD_HAPROXY = 'haproxy -c -f /etc/haproxy/haproxy.cfg && systemctl reload haproxy';
const REPLICA_SERVER = /^replica-([0-9a-f]{12})$/;
const CHECK_BACKEND = /^dtr_check_[0-9a-f]{12}$/;

/** The replica ID in a server name our generators wrote, else null. */
export function replicaIdOfServer(server: string): string | null {
  return REPLICA_SERVER.exec(server)?.[1] ?? null;
}

type Traffic = 'serving' | 'out' | 'unknown';

/** Whether a server takes new traffic, and whether HAProxy is mid-way through changing that. */
export function lbStateOf(status: string): {
  traffic: Traffic;
  changing: boolean;
  byHand: boolean;
} {
  const s = status.trim();
  const changing = /^(UP|DOWN) \d+\/\d+$/.test(s);
  if (s.startsWith('UP') || s === 'no check')
    return { traffic: 'serving', changing, byHand: false };
  if (s.startsWith('DOWN')) return { traffic: 'out', changing, byHand: false };
  if (/^(MAINT|DRAIN|NOLB)/.test(s)) return { traffic: 'out', changing: false, byHand: true };
  return { traffic: 'unknown', changing: false, byHand: false };
}

function splitHostPort(address: string): { host: string; port: number } | null {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address.trim());
  return match ? { host: match[1]!.toLowerCase(), port: Number(match[2]) } : null;
}

function matchReplica(row: LbServerState, replicas: readonly DriftReplica[]): string | null {
  if (row.replicaId !== null) return row.replicaId;
  const at = row.address === null ? null : splitHostPort(row.address);
  if (at === null) return null;
  const found = replicas.find(
    (r) =>
      r.address?.toLowerCase() === at.host && (at.port === r.httpPort || at.port === r.httpsPort),
  );
  return found?.id ?? null;
}

const where = (row: LbServerState) => `${row.backend}/${row.server}`;
const list = (items: readonly string[]) =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
const named = (r: DriftReplica) => `replica ${r.id}${r.node ? ` (on ${r.node})` : ''}`;
const STATUS_WORDS: Record<MemberStatus, string> = {
  healthy: 'healthy',
  unhealthy: 'unhealthy',
  unreachable: 'unreachable',
  'unreachable-from-console': 'not reachable from the console (the cluster reports it OK)',
  unknown: 'of unknown health',
  ghost: 'a ghost (its node is gone from the swarm)',
};

const regenerate = {
  nextStep:
    'Regenerate the config on the Load balancer page (it lists exactly the replicas that exist now), install it on the load balancer, then check and reload HAProxy.',
  command: RELOAD_HAPROXY,
  href: '/load-balancer' as const,
};

function runtimeApi(row: LbServerState, state: 'ready' | 'maint'): string {
  return `echo ${quoteWord(`set server ${where(row)} state ${state}`)} | socat stdio /run/haproxy/admin.sock`;
}

function lastCheck(rows: readonly LbServerState[]): string {
  const checked = rows.find((row) => row.checkStatus !== null || row.checkDetail !== null);
  if (!checked) return '';
  const text = [checked.checkStatus, checked.checkDetail].filter(Boolean).join(' ');
  return ` HAProxy's last check of it: ${text}.`;
}

/** Compares the pool with the replicas; findings are ordered critical first, then by subject. */
export function compareLbPool(
  replicas: readonly DriftReplica[],
  pool: readonly LbServerState[],
  options: CompareOptions = {},
): DriftFinding[] {
  const known = new Map(replicas.map((r) => [r.id, r]));
  const matched = pool.map((row) => ({ row, id: matchReplica(row, replicas) }));
  // Backends that carry DTR replicas; other services on the same load balancer are none of ours.
  const dtrBackends = new Set(matched.filter((m) => m.id !== null).map((m) => m.row.backend));
  const traffic = [...dtrBackends].filter((b) => !CHECK_BACKEND.test(b)).sort();
  const findings: DriftFinding[] = [];

  // Servers that are no replica of this cluster (any more).
  const strangers = new Map<string, LbServerState[]>();
  for (const { row, id } of matched) {
    if (!dtrBackends.has(row.backend) || (id !== null && known.has(id))) continue;
    const key = id ?? where(row);
    strangers.set(key, [...(strangers.get(key) ?? []), row]);
  }
  for (const [subject, rows] of strangers) {
    const serving = rows.filter(
      (row) => !CHECK_BACKEND.test(row.backend) && lbStateOf(row.status).traffic === 'serving',
    );
    const isReplica = REPLICA_SERVER.test(rows[0]!.server);
    findings.push({
      code: 'stale-in-pool',
      severity: serving.length > 0 ? 'critical' : 'warning',
      title: isReplica
        ? `Replica ${subject} is gone from the cluster but still in the load balancer's pool`
        : `Server ${subject} in the load balancer's DTR pool is no DTR replica`,
      detail:
        (serving.length > 0
          ? `The load balancer still sends clients to it (UP in ${list(serving.map((row) => row.backend))}), and whatever answers there is not part of this DTR cluster.`
          : `It is out of service now (${rows[0]!.status}), so clients are not hurt yet; but whatever starts listening at that address later gets DTR traffic.`) +
        ' A removed replica must leave the pool: DTR does not update load balancers.',
      ...regenerate,
      subjects: [subject],
    });
  }

  const outOfService: string[] = [];
  for (const replica of replicas) {
    const rows = matched.filter((m) => m.id === replica.id).map((m) => m.row);
    const trafficRows = rows.filter((row) => !CHECK_BACKEND.test(row.backend));
    const present = new Set(trafficRows.map((row) => row.backend));
    const absent = traffic.filter((backend) => !present.has(backend));
    if (trafficRows.length === 0 || absent.length > 0) {
      findings.push({
        code: 'missing-from-pool',
        severity: 'warning',
        title: `Replica ${replica.id} is not in the load balancer's pool`,
        detail:
          (trafficRows.length === 0
            ? `The load balancer has no server for ${named(replica)}`
            : `${named(replica)} is missing from ${list(absent)}`) +
          `: it takes no client traffic, and if the replicas in the pool fail, clients get errors although ${replica.status === 'healthy' ? 'this one is healthy' : 'the cluster has it'}.`,
        ...regenerate,
        subjects: [replica.id],
      });
    }
    if (trafficRows.length === 0 || replica.status === 'unknown') continue;

    const states = trafficRows.map((row) => ({ row, ...lbStateOf(row.status) }));
    if (states.some((s) => s.changing)) continue;
    const since = replica.since ? Date.parse(replica.since) : NaN;
    const recent =
      options.now !== undefined &&
      options.graceMs !== undefined &&
      options.now.getTime() - since < options.graceMs;
    if (recent) continue;
    const serving = states.filter((s) => s.traffic === 'serving');
    const out = states.filter((s) => s.traffic === 'out');
    if (replica.status === 'healthy' && out.length > 0) {
      outOfService.push(replica.id);
      const byHand = out.find((s) => s.byHand);
      findings.push({
        code: 'lb-down-cluster-healthy',
        severity: 'warning',
        title: `The load balancer keeps healthy replica ${replica.id} out of the pool`,
        detail:
          `The console sees ${named(replica)} healthy, but the load balancer marks it ${list(out.map((s) => `${s.row.status} in ${s.row.backend}`))}, ` +
          `so the other replicas carry its share and one failure less is covered.${byHand ? '' : lastCheck(rows)}`,
        ...(byHand
          ? {
              nextStep: `Someone put it in ${byHand.row.status} by hand. Put it back through HAProxy's runtime API (a \`stats socket ... level admin\` in the global section), or reload HAProxy.`,
              command: runtimeApi(byHand.row, 'ready'),
            }
          : replica.address === null
            ? {
                nextStep:
                  "From the load balancer host, check what its health check sees: GET /_ping on the replica's HTTPS port must answer HTTP 200. A firewall in between, or a check on the wrong port or scheme, keeps a healthy replica out.",
              }
            : {
                nextStep:
                  'From the load balancer host, check what its health check sees: this must answer HTTP 200. A firewall in between, or a check on the wrong port or scheme, keeps a healthy replica out.',
                command: `curl -ksS -o /dev/null -w '%{http_code}\\n' ${quoteWord(`https://${replica.address.includes(':') ? `[${replica.address}]` : replica.address}:${replica.httpsPort}/_ping`)}`,
              }),
        href: '/load-balancer',
        subjects: [replica.id],
      });
    }
    if (
      (replica.status === 'unhealthy' || replica.status === 'unreachable') &&
      serving.length > 0
    ) {
      const unchecked = serving.some((s) => s.row.status === 'no check');
      findings.push({
        code: 'lb-up-cluster-unhealthy',
        severity: 'critical',
        title: `The load balancer still sends clients to ${STATUS_WORDS[replica.status]} replica ${replica.id}`,
        detail:
          `The console sees ${named(replica)} ${STATUS_WORDS[replica.status]}, but the load balancer has it UP in ${list(serving.map((s) => s.row.backend))}: ` +
          `some pushes, pulls and logins fail. ${unchecked ? 'Those servers have no health check.' : 'Its health check does not see the failure (a check on a port or path that still answers?).'}`,
        nextStep:
          'Take it out of rotation now through the runtime API, then regenerate the config (its /_ping check takes failed replicas out by itself) and reload HAProxy.',
        command: serving.map((s) => runtimeApi(s.row, 'maint')).join('\n'),
        href: '/load-balancer',
        subjects: [replica.id],
      });
    }
  }

  // Nothing left in rotation while the cluster has healthy replicas: the registry is down for clients.
  if (outOfService.length > 0 && !replicas.some((r) => isServing(r.id, matched))) {
    for (const finding of findings) {
      if (finding.code === 'lb-down-cluster-healthy') {
        finding.severity = 'critical';
        finding.detail += ' No replica is in rotation: clients get no answer at all.';
      }
    }
  }

  const rank = { critical: 0, warning: 1 };
  return findings.sort(
    (a, b) =>
      rank[a.severity] - rank[b.severity] ||
      (a.subjects[0] ?? '').localeCompare(b.subjects[0] ?? '') ||
      DRIFT_CODES.indexOf(a.code) - DRIFT_CODES.indexOf(b.code),
  );
}

function isServing(id: string, matched: readonly { row: LbServerState; id: string | null }[]) {
  return matched.some(
    (m) =>
      m.id === id &&
      !CHECK_BACKEND.test(m.row.backend) &&
      lbStateOf(m.row.status).traffic === 'serving',
  );
}

/** The replicas of a status or snapshot, at the addresses the load balancer configs use. */
export function driftReplicasFromStatus(
  status: Pick<ClusterStatus, 'dtr' | 'ucp'>,
): DriftReplica[] {
  const addresses = new Map(lbReplicasFromStatus(status).map((r) => [r.id, r.address]));
  return status.dtr.replicas.map((replica) => ({
    id: replica.id,
    node: replica.node,
    status: replica.status,
    address: addresses.get(replica.id) ?? null,
    httpPort: replica.httpPort,
    httpsPort: replica.httpsPort,
    since: replica.since,
  }));
}
