// The one long-lived part of the server process: config, the store, the monitor and everything
// that keeps state (audit log, wizard runs, sign-outs, login limiter, history recorder, LB-drift
// poller, broadcaster, metrics) and, in demo mode, the embedded demo cluster. Built once by
// boot() and kept in the process's one global slot, because Next bundles instrumentation and each
// route separately: a module-level singleton would exist once per bundle. Route wrappers
// (route.ts) hand it to handlers; services take what they need from it as arguments.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AuditLog } from '@/lib/domain/audit';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { isPlaintextRemote, loadFleetConfig, type ClusterTarget, type Config } from '@/lib/config';
import { clusterBase, DEFAULT_CLUSTER } from '@/lib/domain/cluster-path';
import { WarningClock } from '@/lib/domain/fleet';
import { Monitor } from '@/lib/monitor/monitor';
import { startDemoCluster, type DemoCluster } from '@/lib/demo';
import { generateSessionSecret } from '@/lib/auth/session';
import { LoginRateLimiter } from '@/lib/auth/rate-limit';
import { Revocations } from '@/lib/auth/revocations';
import { SessionCache } from '@/lib/auth/session-cache';
import type { AuthSettings } from '@/lib/auth/settings';
import { driftReplicasFromStatus } from '@/lib/domain/lb/drift';
import { LbDriftPoller } from '@/lib/monitor/lb-drift';
import { cannotOpen, openStore, type Store } from '@/lib/store';
import { openCoordination } from '@/lib/store/coordination';
import type { InstanceRole, SnapshotFeed } from '@/lib/monitor/feed';
import { PollerSpread, SharedMonitor } from '@/lib/monitor/shared-monitor';
import { alertingConfigFor, ConsoleAlerting } from './services/alerting';
import { StatusBroadcaster } from './services/broadcast';
import { commandOptionsFor, type CommandOptions } from './services/command-options';
import { HistoryRecorder } from './services/history';
import { ConsoleMetrics } from './services/metrics';
import { servedStatusOf, statusOf } from './services/status';
import type { WizardRunStore } from './services/wizard-runs';
import {
  demoDriver,
  engineDriver,
  executionContext,
  recoverExecutions,
  type ExecutionContext,
} from './services/execution';
import { ucpCaPem } from '@/lib/sources/ucp-ca';

/** One cluster's part of the console: what every page, route and service of that cluster reads. */
export interface Runtime {
  /** The cluster's name ("default" for a console configured by today's variables alone). */
  cluster: string;
  /** The URL prefix of this cluster's pages and API: "" with one cluster, "/c/<name>" in a fleet. */
  base: string;
  /** The fleet this cluster belongs to (the other clusters, the shared store and sign-in). */
  fleet: Fleet;
  config: Config;
  target: ClusterTarget;
  /** Where cluster state comes from: the poll loop, or the shared snapshot on a standby instance. */
  monitor: SnapshotFeed;
  /** This instance's part among consoles sharing one database. */
  role(): InstanceRole;
  /** The embedded demo cluster, in demo mode only. */
  demo: DemoCluster | null;
  /** Signs session cookies: SESSION_SECRET, or a fresh one per process in demo mode. Never logged. */
  sessionSecret: string;
  startedAt: Date;
  /** The database: history, audit, wizard runs, sign-outs, the shared snapshot. */
  store: Store;
  /** What every request is checked with, and the auth parts that keep state. */
  auth: AuthSettings;
  /** The audit trail (the store's): sign-ins, refusals, faults, wizard commands. */
  audit: AuditLog;
  wizardRuns: WizardRunStore;
  /** One change to a wizard run at a time (see withRunLock). */
  runLocks: Map<string, Promise<unknown>>;
  /** Records the monitor into the store while this instance polls; restores "offline since". */
  history: HistoryRecorder;
  /** The LB_STATS_URL poller, or null when none is configured. */
  lbDrift: LbDriftPoller | null;
  /** Fan-out of the status to every GET /api/events stream. */
  broadcaster: StatusBroadcaster;
  /** The /api/metrics registry. */
  metrics: ConsoleMetrics;
  /** What printed commands take from the configuration (version, image, UCP CA). */
  commands: CommandOptions;
  /** Incidents to channels and Alertmanager, while this instance polls. */
  alerting: ConsoleAlerting;
  /** When each active warning was first seen (the fleet overview's "for 5 min"). */
  warningClock: WarningClock;
  /** EXECUTE=on: what runs a wizard's step for the operator (issue 22); null when off. */
  execution: ExecutionContext | null;
}

/**
 * Every cluster this console watches, and what they share: the process-wide settings, the
 * database, sign-in. One cluster named "default" unless CLUSTERS_FILE or DEMO_CLUSTERS says more.
 */
export interface Fleet {
  /** The process-wide settings (PORT, DATABASE_URL, AUTH, …). */
  config: Config;
  /** In configured order; at least one. */
  clusters: readonly Runtime[];
  /** More than one cluster: pages and API live under /c/<name>/, and / is the fleet overview. */
  multi: boolean;
  /** The cluster called `name`, or null. */
  get(name: string): Runtime | null;
  store: Store;
  auth: AuthSettings;
  sessionSecret: string;
  startedAt: Date;
}

const RUNTIME = Symbol.for('dtr-ha-console.runtime');
const READY = Symbol.for('dtr-ha-console.runtime-ready');
type RuntimeGlobal = typeof globalThis & { [RUNTIME]?: Promise<Fleet>; [READY]?: Fleet };

/** The process's fleet, booted on first use (normally by instrumentation.ts at start-up). */
export function getFleet(): Promise<Fleet> {
  const g = globalThis as RuntimeGlobal;
  if (!g[RUNTIME]) {
    const booting = boot().then(
      (fleet) => {
        if (g[RUNTIME] === booting) g[READY] = fleet;
        return fleet;
      },
      (error: unknown) => {
        delete g[RUNTIME];
        throw error;
      },
    );
    g[RUNTIME] = booting;
  }
  return g[RUNTIME];
}

/** The fleet once booted, without waiting: null while it boots or after a shutdown. */
export function readyFleet(): Fleet | null {
  return (globalThis as RuntimeGlobal)[READY] ?? null;
}

/** Thrown for a cluster name the fleet does not have (the proxy answers 404 before this). */
export class UnknownClusterError extends Error {
  override readonly name = 'UnknownClusterError';
}

/**
 * One cluster's runtime: `cluster` by name, or the first configured cluster (the only one, in a
 * one-cluster console) when null or absent.
 */
export async function getRuntime(cluster?: string | null): Promise<Runtime> {
  const fleet = await getFleet();
  if (cluster === undefined || cluster === null || cluster === '') return fleet.clusters[0]!;
  const runtime = fleet.get(cluster);
  if (!runtime)
    throw new UnknownClusterError(`This console watches no cluster named "${cluster}".`);
  return runtime;
}

/** The polling account the console uses against its own demo cluster; never shown to people. */
const DEMO_SERVICE_USER = 'console-service';
/** In a demo fleet: a viewer on the first cluster, an admin on the others (roles per cluster). */
const DEMO_OPERATOR = 'operator';

async function boot(): Promise<Fleet> {
  const fleetConfig = loadFleetConfig();
  for (const notice of fleetConfig.notices) console.log(`DTR HA Console: ${notice}`);
  const prepared: PreparedCluster[] = [];
  try {
    for (const { name, config } of fleetConfig.clusters)
      prepared.push(
        await prepareCluster(name, config, prepared[0]?.demo ?? null, fleetConfig.clusters.length),
      );
    // The audit log and sign-outs live there: a console that cannot open it does not start.
    const store = await openStore(fleetConfig.base.databaseUrl);
    try {
      return await assemble(fleetConfig.base, prepared, store);
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
  } catch (error) {
    await Promise.all(prepared.map((cluster) => cluster.demo?.close()));
    throw error;
  }
}

interface PreparedCluster {
  name: string;
  config: Config;
  target: ClusterTarget;
  demo: DemoCluster | null;
}

/** A cluster's poll target: the configured one, or (demo mode) its own freshly started demo. */
async function prepareCluster(
  name: string,
  config: Config,
  firstDemo: DemoCluster | null,
  clusterCount: number,
): Promise<PreparedCluster> {
  if (config.mode === 'demo') {
    const servicePassword =
      config.demoServicePassword?.reveal() ?? randomBytes(18).toString('base64url');
    // Several demo clusters share the first one's people, as one directory behind several UCPs.
    // In a demo fleet, `operator` is a viewer on the first cluster and an admin on the others.
    const people = firstDemo?.users.filter((user) => user.username !== DEMO_SERVICE_USER);
    const operator =
      clusterCount > 1 && !firstDemo
        ? [
            {
              username: DEMO_OPERATOR,
              password: randomBytes(12).toString('base64url'),
              isAdmin: false,
            },
          ]
        : [];
    const demo = await startDemoCluster({
      ...config.demo,
      // Each demo cluster of a fleet has IDs of its own, so one never looks like the other.
      ...(name === DEFAULT_CLUSTER ? {} : { seed: `dtr-demo-${name}` }),
      ...(people
        ? {
            users: people.map((user) => ({
              ...user,
              isAdmin: user.isAdmin || user.username === DEMO_OPERATOR,
            })),
          }
        : {}),
      extraUsers: [
        ...operator,
        { username: DEMO_SERVICE_USER, password: servicePassword, isAdmin: true },
      ],
    });
    const target: ClusterTarget = {
      ucp: {
        url: demo.ucpUrl,
        username: DEMO_SERVICE_USER,
        password: servicePassword,
        insecureTls: false,
      },
      dtr: {
        url: demo.dtrUrl,
        username: DEMO_SERVICE_USER,
        password: servicePassword,
        insecureTls: false,
        probeScheme: 'http',
      },
      pollIntervalMs: config.pollIntervalMs,
      probeTimeoutMs: config.probeTimeoutMs,
      dtrVersion: null,
      // The HA cache's load balancer, as an operator allows it with PROBE_ALLOWED_HOSTS.
      probeAllowedHosts: [...demo.probeAllowedHosts],
      // Plain HTTP on loopback to servers this process started: the credentials (a random
      // demo account) never leave the machine, and every member is the console's own.
      trustMemberOrigins: true,
    };
    if (!firstDemo) announceDemo(name, demo);
    else
      console.log(
        `DTR HA Console: demo cluster "${name}" at ${demo.ucpUrl}, same demo users; admins here: ${demo.users
          .filter((user) => user.isAdmin && user.username !== DEMO_SERVICE_USER)
          .map((user) => user.username)
          .join(', ')}.`,
      );
    return { name, config, target, demo };
  }
  const target = await config.resolveTarget();
  for (const url of [config.ucp?.url, config.dtr?.url])
    if (url && isPlaintextRemote(url))
      console.warn(
        `DTR HA Console: WARNING: ALLOW_PLAINTEXT_CREDENTIALS=true: the service password and token go to ${url} over plain HTTP, readable by anyone on the network path. Use https://.`,
      );
  return { name, config, target, demo: null };
}

async function assemble(base: Config, prepared: PreparedCluster[], store: Store): Promise<Fleet> {
  const revocations = await loadRevocations(store);
  const sessionSecret = base.sessionSecret?.reveal() ?? generateSessionSecret();
  if (base.auth === 'off') {
    console.warn(
      'DTR HA Console: sign-in is OFF (AUTH=off): anyone who can reach this console acts as an administrator.',
    );
  }
  const auth: AuthSettings = {
    enabled: base.auth !== 'off',
    sessionSecret,
    sessionTtlMs: base.sessionTtlMs,
    trustedProxies: base.trustProxy,
    metricsToken: base.metricsToken?.reveal() ?? null,
    // Each cluster's UCP decides the person's role on that cluster. A Swarm-only cluster (no UCP)
    // has none to ask: lib/config/ refuses to start one unless AUTH=off.
    ucp: prepared.flatMap(({ name, target: { ucp } }) =>
      ucp
        ? [
            {
              cluster: name,
              url: ucp.url,
              insecureTls: ucp.insecureTls,
              ...(ucp.ca ? { ca: ucp.ca } : {}),
            },
          ]
        : [],
    ),
    // Sign-ins, sign-outs and refusals at the door belong to the whole console.
    audit: store.fleetAudit,
    revocations,
    loginLimiter: new LoginRateLimiter(),
    sessionCache: new SessionCache(),
  };
  const clusters: Runtime[] = [];
  const byName = new Map<string, Runtime>();
  const fleet: Fleet = {
    config: base,
    clusters,
    multi: prepared.length > 1,
    get: (name) => byName.get(name) ?? null,
    store,
    auth,
    sessionSecret,
    startedAt: new Date(),
  };
  // With several consoles on Postgres: the clusters this instance polls, so it leaves free locks
  // to less busy instances (lib/monitor/shared-monitor.ts).
  const spread = new PollerSpread();
  try {
    for (const cluster of prepared) {
      const runtime = await assembleCluster(fleet, cluster, spread);
      clusters.push(runtime);
      byName.set(cluster.name, runtime);
    }
  } catch (error) {
    await Promise.all(clusters.map((runtime) => stopCluster(runtime)));
    throw error;
  }
  return fleet;
}

/** One cluster's monitor, history, alerting, LB-drift poller and broadcaster, on the shared store. */
async function assembleCluster(
  fleet: Fleet,
  prepared: PreparedCluster,
  spread: PollerSpread,
): Promise<Runtime> {
  const { name, config, target, demo } = prepared;
  const store = clusterStore(fleet.store, name);
  const history = new HistoryRecorder();
  const commands = commandOptionsFor(config, target);
  // Alerting sends what /api/status shows (the same assessment, made once per snapshot), and
  // seals channel secrets with the session secret.
  const assess = (snapshot: ClusterSnapshot) =>
    statusOf(snapshot, { config, target, demo, commands, history }).warnings;
  const alerting = new ConsoleAlerting(alertingConfigFor(config, fleet.multi ? name : undefined), {
    assess,
    sessionSecret: fleet.sessionSecret,
  });
  // Every snapshot's warnings, the first included, so the fleet overview can tell their age.
  const warningClock = new WarningClock();
  const { monitor, role } = await startMonitoring(name, config, target, store, {
    history,
    alerting,
    spread,
    onChange: (snapshot) => warningClock.observe(assess(snapshot), snapshot.generatedAt),
  });
  let lbDrift: LbDriftPoller | null = null;
  if (config.lbStatsUrl) {
    lbDrift = new LbDriftPoller({
      statsUrl: config.lbStatsUrl,
      intervalMs: config.pollIntervalMs,
      timeoutMs: config.probeTimeoutMs,
      getReplicas: () => {
        const snapshot = monitor.latest();
        return snapshot ? driftReplicasFromStatus(snapshot) : null;
      },
    });
    lbDrift.start();
  }
  const runtime: Runtime = {
    cluster: name,
    base: clusterBase(name, fleet.multi),
    fleet,
    config,
    target,
    monitor,
    role,
    demo,
    sessionSecret: fleet.sessionSecret,
    startedAt: fleet.startedAt,
    store,
    auth: fleet.auth,
    audit: store.audit,
    wizardRuns: store.wizardRuns,
    runLocks: new Map(),
    history,
    lbDrift,
    broadcaster: new StatusBroadcaster({
      feed: monitor,
      toStatus: (snapshot) => servedStatusOf(statusOf(snapshot, runtime)),
    }),
    metrics: new ConsoleMetrics(undefined, fleet.multi ? { cluster: name } : undefined),
    commands,
    alerting,
    warningClock,
    execution: executionFor(config, target, demo),
  };
  if (runtime.execution) {
    console.log(
      `DTR HA Console: EXECUTE=on for cluster "${name}": UCP administrators of it may run join, remove and emergency repair through ${runtime.execution.driver.where}.`,
    );
    // A console that stopped mid-step left its execution's lease to expire: say so, never re-run.
    void recoverExecutions(runtime).catch((error: unknown) =>
      console.error(`DTR HA Console: execution recovery for "${name}" failed:`, error),
    );
  }
  return runtime;
}

/** EXECUTE=on: the demo runs steps in its own cluster; a real cluster through its Docker API. */
function executionFor(
  config: Config,
  target: ClusterTarget,
  demo: DemoCluster | null,
): ExecutionContext | null {
  if (!config.execute) return null;
  if (demo) return executionContext(demoDriver(demo));
  if (!target.execute) return null;
  return executionContext(
    engineDriver({
      engine: target.execute.engine,
      viaBundle: target.execute.viaBundle,
      timeoutMs: Math.max(10_000, config.probeTimeoutMs),
      caPem: () => ucpCaPem(target.ucp, config.probeTimeoutMs),
    }),
  );
}

/**
 * The store as one cluster sees it: its own history, wizard runs, audit entries (and the fleet's),
 * snapshot and incidents; the database handle itself is shared.
 */
function clusterStore(store: Store, name: string): Store {
  const scoped = store.forCluster(name);
  return {
    ...store,
    history: scoped.history,
    wizardRuns: scoped.wizardRuns,
    audit: scoped.audit,
    snapshots: scoped.snapshots,
    alerts: scoped.alerts,
    executions: scoped.executions,
  };
}

async function stopCluster(runtime: Runtime): Promise<void> {
  runtime.monitor.stop();
  runtime.lbDrift?.stop();
  runtime.history.stop();
  await runtime.alerting.stop();
  await runtime.demo?.close();
}
/**
 * Sign-outs outlive a restart. One console on SQLite is the only writer, so its memory answers
 * every check; consoles sharing Postgres ask the database (cached for a second). Reading them back
 * is part of opening the store: without them a signed-out session would come back, so the console
 * stops here too rather than run on in memory.
 */
async function loadRevocations(store: Store): Promise<Revocations> {
  try {
    const now = Date.now();
    await store.revokedSessions.purgeExpired(now);
    const revocations = new Revocations({
      store: {
        revoke: (id, expiresAt) => store.revokedSessions.revoke(id, expiresAt),
        isRevoked: (id) => store.revokedSessions.isRevoked(id),
        notRevokedForMs: store.dialect === 'postgres' ? 1000 : Infinity,
      },
    });
    revocations.load(await store.revokedSessions.listActive(now), now);
    return revocations;
  } catch (error) {
    throw cannotOpen(store.location, error);
  }
}

/**
 * One console (SQLite): this process polls. Several consoles on one Postgres database: the
 * instance holding the poller lock polls and records history, the others serve its snapshot.
 */
async function startMonitoring(
  cluster: string,
  config: Config,
  target: ClusterTarget,
  store: Store,
  {
    history,
    alerting,
    spread,
    onChange,
  }: {
    history: HistoryRecorder;
    alerting: ConsoleAlerting;
    spread: PollerSpread;
    /** Subscribed before the monitor starts, so it hears the first snapshot too. */
    onChange: (snapshot: ClusterSnapshot) => void;
  },
): Promise<{ monitor: SnapshotFeed; role: () => InstanceRole }> {
  const createMonitor = (onSnapshot?: (snapshot: ClusterSnapshot) => void) =>
    new Monitor({ target, mode: config.mode, onSnapshot });
  if (store.dialect === 'postgres' && store.connectionString) {
    const connectionString = store.connectionString;
    const shared = new SharedMonitor({
      // One poller per cluster: each cluster's own advisory lock, and only its announcements.
      cluster,
      snapshots: store.snapshots,
      connect: () => openCoordination(connectionString),
      spread,
      createMonitor,
      intervalMs: config.pollIntervalMs,
      timeoutMs: config.probeTimeoutMs,
      // The poller records history and sends alerts; attaching reads what the previous poller left.
      onLead: async (monitor) => {
        await history.start(monitor, store);
        await alerting.start(monitor, store);
      },
      onStepDown: () => {
        history.stop();
        void alerting.stop();
      },
      prepare: (snapshot) => history.restoreSince(snapshot),
    });
    shared.subscribe(onChange);
    shared.start();
    return { monitor: shared, role: () => shared.role() };
  }
  const monitor = createMonitor();
  // Attached before the first poll, so that poll is compared with what was stored before a restart.
  await history.start(monitor, store);
  monitor.subscribe(onChange);
  monitor.start();
  await alerting.start(monitor, store);
  const instance = `${hostname()}:${process.pid}`;
  const single: InstanceRole = { role: 'single', instance, poller: instance, since: null };
  return { monitor, role: () => single };
}

function announceDemo(name: string, demo: DemoCluster): void {
  const people = demo.users.filter((user) => user.username !== DEMO_SERVICE_USER);
  console.log(
    [
      name === DEFAULT_CLUSTER
        ? 'DTR HA Console: no cluster configured, running the built-in demo cluster.'
        : `DTR HA Console: running the built-in demo cluster "${name}".`,
      `  demo UCP at ${demo.ucpUrl}, demo DTR at ${demo.dtrUrl}`,
      ...people.map(
        (user) =>
          `  demo user ${user.username}${user.isAdmin ? ' (admin)' : ''}: password ${user.password}`,
      ),
    ].join('\n'),
  );
}

export interface DemoUserCredentials {
  username: string;
  password: string;
  isAdmin: boolean;
}

/** The demo cluster's sign-in accounts for people (not the console's own), or null in live mode. */
export async function getDemoUsers(): Promise<DemoUserCredentials[] | null> {
  const runtime = await getRuntime();
  if (!runtime.demo) return null;
  return runtime.demo.users
    .filter((user) => user.username !== DEMO_SERVICE_USER)
    .map(({ username, password, isAdmin }) => ({ username, password, isAdmin }));
}

/** Stops everything the runtime started and forgets it (tests and shutdown). */
export async function shutdownRuntime(): Promise<void> {
  const g = globalThis as RuntimeGlobal;
  const pending = g[RUNTIME];
  delete g[RUNTIME];
  delete g[READY];
  if (!pending) return;
  const fleet = await pending.catch(() => null);
  if (!fleet) return;
  await Promise.all(fleet.clusters.map((runtime) => stopCluster(runtime)));
  await fleet.store.close();
}
