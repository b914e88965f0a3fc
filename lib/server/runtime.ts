// The one long-lived part of the server process: config, the monitor and (in demo mode) the
// embedded demo cluster. Kept on globalThis because Next bundles instrumentation and each route
// separately: a module-level singleton would exist once per bundle.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ClusterSnapshot } from '@/lib/domain/types';
import {
  ConfigError,
  isPlaintextRemote,
  loadConfig,
  type ClusterTarget,
  type Config,
} from '@/lib/config';
import { Monitor } from '@/lib/monitor/monitor';
import { startDemoCluster, type DemoCluster } from '@/lib/demo';
import { generateSessionSecret, loadRevocations, setRevocationStore } from '@/lib/auth/session';
import { driftReplicasFromStatus } from '@/lib/domain/lb/drift';
import { startLbDriftPoller, stopLbDriftPoller } from '@/lib/monitor/lb-drift';
import { setAuditLog } from '@/lib/auth/audit';
import { cannotOpen, closeStore, getStore, type Store } from '@/lib/store';
import { openCoordination } from '@/lib/store/coordination';
import type { InstanceRole, SnapshotFeed } from '@/lib/monitor/feed';
import { restoreSince, startHistory, stopHistory } from './history';
import { SharedMonitor } from '@/lib/monitor/shared-monitor';
import { setWizardRunStore } from './wizard-runs';
import { loadConsoleAlerting, startConsoleAlerting, stopConsoleAlerting } from './alerting';

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
  // Alerting runs where history does (the polling instance), with channel secrets sealed by this.
  const sessionSecret = config.sessionSecret?.reveal() ?? generateSessionSecret();
  loadConsoleAlerting(config);
  const { monitor, role } = await startMonitoring(config, target, {
    config,
    target,
    demo,
    sessionSecret,
  });
  if (config.lbStatsUrl) {
    startLbDriftPoller({
      statsUrl: config.lbStatsUrl,
      intervalMs: config.pollIntervalMs,
      timeoutMs: config.probeTimeoutMs,
      getReplicas: () => {
        const snapshot = monitor.latest();
        return snapshot ? driftReplicasFromStatus(snapshot) : null;
      },
    });
  }
  if (config.auth === 'off') {
    console.warn(
      'DTR HA Console: sign-in is OFF (AUTH=off): anyone who can reach this console acts as an administrator.',
    );
  }
  return { config, target, monitor, role, demo, sessionSecret, startedAt: new Date() };
}

/** Opens the store for what every instance shares (audit, wizard runs, sign-outs); throws if it cannot. */
async function openSharedStore(databaseUrl: string): Promise<Store> {
  try {
    const store = await getStore(databaseUrl);
    setAuditLog(store.audit);
    setWizardRunStore(store.wizardRuns);
    // Sign-outs outlive a restart. One console on SQLite is the only writer, so its memory
    // answers every check; consoles sharing Postgres ask the database (cached for a second).
    const now = Date.now();
    await store.revokedSessions.purgeExpired(now);
    loadRevocations(await store.revokedSessions.listActive(now), now);
    setRevocationStore({
      revoke: (id, expiresAt) => store.revokedSessions.revoke(id, expiresAt),
      isRevoked: (id) => store.revokedSessions.isRevoked(id),
      notRevokedForMs: store.dialect === 'postgres' ? 1000 : Infinity,
    });
    return store;
  } catch (error) {
    // Reading the sign-outs back is part of opening it: without them a signed-out session
    // would come back, so the console stops here too rather than run on in memory.
    throw cannotOpen(databaseUrl, error);
  }
}

/**
 * One console (SQLite): this process polls. Several consoles on one Postgres database: the
 * instance holding the poller lock polls and records history, the others serve its snapshot.
 */
async function startMonitoring(
  config: Config,
  target: ClusterTarget,
  alerting: Parameters<typeof startConsoleAlerting>[2],
): Promise<{ monitor: SnapshotFeed; role: () => InstanceRole }> {
  const store = await openSharedStore(config.databaseUrl);
  const createMonitor = (onSnapshot?: (snapshot: ClusterSnapshot) => void) =>
    new Monitor({ target, mode: config.mode, onSnapshot });
  if (store?.dialect === 'postgres' && store.connectionString) {
    const connectionString = store.connectionString;
    const shared = new SharedMonitor({
      snapshots: store.snapshots,
      connect: () => openCoordination(connectionString),
      createMonitor,
      intervalMs: config.pollIntervalMs,
      timeoutMs: config.probeTimeoutMs,
      // The poller records history; attaching reads the states the previous poller left.
      onLead: async (monitor) => {
        await startHistory(monitor, config.databaseUrl);
        await startConsoleAlerting(monitor, store, alerting);
      },
      onStepDown: () => {
        stopHistory();
        void stopConsoleAlerting();
      },
      prepare: restoreSince,
    });
    shared.start();
    return { monitor: shared, role: () => shared.role() };
  }
  const monitor = createMonitor();
  // Attached before the first poll, so that poll is compared with what was stored before a restart.
  if (store) await startHistory(monitor, config.databaseUrl);
  monitor.start();
  if (store) await startConsoleAlerting(monitor, store, alerting);
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

/** Stops the monitor and the demo cluster and forgets the runtime (tests and shutdown). */
export async function shutdownRuntime(): Promise<void> {
  const g = globalThis as RuntimeGlobal;
  const pending = g[RUNTIME];
  delete g[RUNTIME];
  if (!pending) return;
  const runtime = await pending.catch(() => null);
  if (!runtime) return;
  runtime.monitor.stop();
  setRevocationStore(null);
  stopLbDriftPoller();
  stopHistory();
  await stopConsoleAlerting();
  await closeStore();
  await runtime.demo?.close();
}
