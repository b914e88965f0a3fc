// Shared parts of the alerting suites: the demo cluster watched by the real Monitor, a local HTTP
// receiver that records what reaches it, a temp store, and small waiting helpers.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertingConfig, FileChannel } from '@/lib/config/alerts';
import { DEFAULT_INCIDENT_POLICY } from '@/lib/domain/alerts/incidents';
import { assessCluster } from '@/lib/domain/assess';
import { startDemoCluster, type DemoCluster } from '@/lib/demo';
import { Monitor } from '@/lib/monitor/monitor';

export const SESSION_SECRET = 'alerts-suite-session-secret-0123456789abcdef';
const SERVICE = { username: 'console-service', password: 'svc-pw-alerts-7f3e' };

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface Receiver {
  url: string;
  port: number;
  seen: Received[];
  /** The status to answer the n-th request (1-based) with; 200 when not set. */
  answer: (n: number, path: string) => number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const seen: Received[] = [];
  const receiver: Receiver = {
    url: '',
    port: 0,
    seen,
    answer: () => 200,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const status = receiver.answer(seen.length + 1, req.url ?? '');
      seen.push({ path: req.url ?? '', headers: req.headers, body, status });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}`;
  receiver.close = () => new Promise<void>((r) => server.close(() => r()));
  return receiver;
}

export { freePort } from '@/test/support/net';

export async function waitFor<T>(
  what: string,
  check: () => T | undefined | null | false,
  timeoutMs: number,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WatchedDemo {
  demo: DemoCluster;
  monitor: Monitor;
  replicaIds: string[];
  close(): Promise<void>;
}

/** A demo cluster and the console's real Monitor polling it every 300 ms. */
export async function watchedDemo(seed: string): Promise<WatchedDemo> {
  const demo = await startDemoCluster({ seed, extraUsers: [{ ...SERVICE, isAdmin: true }] });
  const monitor = new Monitor({
    target: {
      ucp: { url: demo.ucpUrl, ...SERVICE, insecureTls: false },
      dtr: { url: demo.dtrUrl, ...SERVICE, insecureTls: false, probeScheme: 'http' },
      pollIntervalMs: 300,
      probeTimeoutMs: 1000,
      dtrVersion: null,
      probeAllowedHosts: [...demo.probeAllowedHosts],
      trustMemberOrigins: true,
    },
    mode: 'demo',
    log: () => undefined,
  });
  await monitor.pollNow();
  monitor.start();
  return {
    demo,
    monitor,
    replicaIds: demo.describe().replicas.map((r) => r.id),
    async close() {
      monitor.stop();
      await demo.close();
    },
  };
}

/** The console's assessment, as /api/status groups it. */
export const assess = assessCluster;

/** Alerting settings for a test: fast `for`, ticks and retries. */
export function testAlertingConfig(fileChannels: FileChannel[]): AlertingConfig {
  return {
    policy: {
      ...DEFAULT_INCIDENT_POLICY,
      forMs: { critical: 600, warning: 60_000, info: 300_000 },
    },
    consoleUrl: 'http://console.test:3000',
    clusterName: 'demo',
    alertmanagerRepostMs: 1_000,
    timeoutMs: 2_000,
    retries: 2,
    backoffMs: 150,
    tickMs: 200,
    keepResolvedMs: 30 * 86_400_000,
    channelsFile: null,
    fileChannels,
  };
}
