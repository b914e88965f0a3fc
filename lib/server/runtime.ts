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
import { isPlaintextRemote, loadConfig, type ClusterTarget, type Config } from '@/lib/config';
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
import { SharedMonitor } from '@/lib/monitor/shared-monitor';
import { alertingConfigFor, ConsoleAlerting } from './services/alerting';
import { StatusBroadcaster } from './services/broadcast';
import { commandOptionsFor, type CommandOptions } from './services/command-options';
import { HistoryRecorder } from './services/history';
import { ConsoleMetrics } from './services/metrics';
import { servedStatusOf, statusOf } from './services/status';
import type { WizardRunStore } from './services/wizard-runs';

export interface Runtime {
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
}

const RUNTIME = Symbol.for('dtr-ha-console.runtime');
type RuntimeGlobal = typeof globalThis & { [RUNTIME]?: Promise<Runtime> };

/** The process's runtime, booted on first use (normally by instrumentation.ts at start-up). */
export function getRuntime(): Promise<Runtime> {
  const g = globalThis as RuntimeGlobal;
  g[RUNTIME] ??= boot().catch((error: unknown) => {
    delete g[RUNTIME];
    throw error;
  });
  return g[RUNTIME];
}

/** The polling account the console uses against its own demo cluster; never shown to people. */
const DEMO_SERVICE_USER = 'console-service';

async function boot(): Promise<Runtime> {
  const config = loadConfig();
  let demo: DemoCluster | null = null;
  let target: ClusterTarget;
  if (config.mode === 'demo') {
    const servicePassword =
      config.demoServicePassword?.reveal() ?? randomBytes(18).toString('base64url');
    demo = await startDemoCluster({
      ...config.demo,
      extraUsers: [{ username: DEMO_SERVICE_USER, password: servicePassword, isAdmin: true }],
    });
    target = {
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
    announceDemo(demo);
  } else {
    target = await config.resolveTarget();
    for (const url of [config.ucp?.url, config.dtr?.url])
      if (url && isPlaintextRemote(url))
        console.warn(
          `DTR HA Console: WARNING: ALLOW_PLAINTEXT_CREDENTIALS=true: the service password and token go to ${url} over plain HTTP, readable by anyone on the network path. Use https://.`,
        );
  }
  // The audit log and sign-outs live there: a console that cannot open it does not start.
  const store = await openStore(config.databaseUrl);
  try {
    return await assemble(config, target, demo, store);
  } catch (error) {
    await store.close().catch(() => undefined);
    await demo?.close();
    throw error;
  }
}

async function assemble(
  config: Config,
  target: ClusterTarget,
  demo: DemoCluster | null,
  store: Store,
): Promise<Runtime> {
  const revocations = await loadRevocations(store);
  const history = new HistoryRecorder();
  const commands = commandOptionsFor(config, target);
  const sessionSecret = config.sessionSecret?.reveal() ?? generateSessionSecret();
  // Alerting sends what /api/status shows (the same assessment, made once per snapshot), and
  // seals channel secrets with the session secret.
  const alerting = new ConsoleAlerting(alertingConfigFor(config), {
    assess: (snapshot) => statusOf(snapshot, { config, target, demo, commands, history }).warnings,
    sessionSecret,
  });
  const { monitor, role } = await startMonitoring(config, target, store, { history, alerting });
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
  if (config.auth === 'off') {
    console.warn(
      'DTR HA Console: sign-in is OFF (AUTH=off): anyone who can reach this console acts as an administrator.',
    );
  }
  const auth: AuthSettings = {
    enabled: config.auth !== 'off',
    sessionSecret,
    sessionTtlMs: config.sessionTtlMs,
    trustedProxies: config.trustProxy,
    metricsToken: config.metricsToken?.reveal() ?? null,
    // A Swarm-only console (DOCKER_HOST, no UCP_URL) has no UCP to check passwords against;
    // lib/config/ refuses to start one unless AUTH=off, so this address is never dialled.
    ucp: target.ucp
      ? {
          url: target.ucp.url,
          insecureTls: target.ucp.insecureTls,
          ...(target.ucp.ca ? { ca: target.ucp.ca } : {}),
        }
      : { url: 'https://no-ucp-configured.invalid', insecureTls: false },
    audit: store.audit,
    revocations,
    loginLimiter: new LoginRateLimiter(),
    sessionCache: new SessionCache(),
  };
  const runtime: Runtime = {
    config,
    target,
    monitor,
    role,
    demo,
    sessionSecret,
    startedAt: new Date(),
    store,
    auth,
    audit: store.audit,
    wizardRuns: store.wizardRuns,
    runLocks: new Map(),
    history,
    lbDrift,
    broadcaster: new StatusBroadcaster({
      feed: monitor,
      toStatus: (snapshot) => servedStatusOf(statusOf(snapshot, runtime)),
    }),
    metrics: new ConsoleMetrics(),
    commands,
    alerting,
  };
  return runtime;
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
  config: Config,
  target: ClusterTarget,
  store: Store,
  { history, alerting }: { history: HistoryRecorder; alerting: ConsoleAlerting },
): Promise<{ monitor: SnapshotFeed; role: () => InstanceRole }> {
  const createMonitor = (onSnapshot?: (snapshot: ClusterSnapshot) => void) =>
    new Monitor({ target, mode: config.mode, onSnapshot });
  if (store.dialect === 'postgres' && store.connectionString) {
    const connectionString = store.connectionString;
    const shared = new SharedMonitor({
      snapshots: store.snapshots,
      connect: () => openCoordination(connectionString),
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
    shared.start();
    return { monitor: shared, role: () => shared.role() };
  }
  const monitor = createMonitor();
  // Attached before the first poll, so that poll is compared with what was stored before a restart.
  await history.start(monitor, store);
  monitor.start();
  await alerting.start(monitor, store);
  const instance = `${hostname()}:${process.pid}`;
  const single: InstanceRole = { role: 'single', instance, poller: instance, since: null };
  return { monitor, role: () => single };
}

function announceDemo(demo: DemoCluster): void {
  const people = demo.users.filter((user) => user.username !== DEMO_SERVICE_USER);
  console.log(
    [
      'DTR HA Console: no cluster configured, running the built-in demo cluster.',
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
  if (!pending) return;
  const runtime = await pending.catch(() => null);
  if (!runtime) return;
  runtime.monitor.stop();
  runtime.lbDrift?.stop();
  runtime.history.stop();
  await runtime.alerting.stop();
  await runtime.store.close();
  await runtime.demo?.close();
}
