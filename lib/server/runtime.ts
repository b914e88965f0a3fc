// The one long-lived part of the server process: config, the monitor and (in demo mode) the
// embedded demo cluster. Kept on globalThis because Next bundles instrumentation and each route
// separately: a module-level singleton would exist once per bundle.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { loadConfig, type ClusterTarget, type Config } from '@/lib/config';
import { Monitor } from '@/lib/monitor/monitor';
import { startDemoCluster, type DemoCluster } from '@/lib/demo';
import { generateSessionSecret } from '@/lib/auth/session';
import { driftReplicasFromStatus } from '@/lib/domain/lb/drift';
import { startLbDriftPoller, stopLbDriftPoller } from './lb-drift';
import { setAuditLog } from '@/lib/auth/audit';
import { closeStore } from '@/lib/store';
import { startHistory, stopHistory } from './history';
import { setWizardRunStore } from './wizard-runs';

export interface Runtime {
  config: Config;
  target: ClusterTarget;
  monitor: Monitor;
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
    };
    announceDemo(demo);
  } else {
    target = await config.resolveTarget();
  }
  const monitor = new Monitor({ target, mode: config.mode });
  // Attached before the first poll, so that poll is compared with what was stored before a restart.
  const history = await startHistory(monitor, config.databaseUrl);
  if (history) {
    setAuditLog(history.store.audit);
    setWizardRunStore(history.store.wizardRuns);
  }
  monitor.start();
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
  const sessionSecret = config.sessionSecret?.reveal() ?? generateSessionSecret();
  if (config.auth === 'off') {
    console.warn(
      'DTR HA Console: sign-in is OFF (AUTH=off): anyone who can reach this console acts as an administrator.',
    );
  }
  return { config, target, monitor, demo, sessionSecret, startedAt: new Date() };
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
  stopLbDriftPoller();
  stopHistory();
  await closeStore();
  await runtime.demo?.close();
}
