// Real Prometheus (Debian's `prometheus`) scraping a console: the demo cluster and the real
// monitor, with the console's metrics exporter served on loopback behind METRICS_TOKEN, the way
// GET /api/metrics serves it. Prometheus runs with the generated scrape job and rule file; it
// must load every rule group healthy, see the target up, fire DtrQuorumAtRisk when a demo replica
// stops, and resolve it after the reset. Skips without prometheus only when not root.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { assessCluster } from '@/lib/domain/assess';
import { PrometheusOptionsSchema } from '@/lib/domain/alerts/prometheus-options';
import { clusterSizeOf, prometheusRules, scrapeConfig } from '@/lib/domain/alerts/prometheus-rules';
import { startDemoCluster, type DemoCluster } from '@/lib/demo';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { Monitor } from '@/lib/monitor/monitor';
import { ConsoleMetrics } from '@/lib/server/services/metrics';
import { findBinary, need } from './support';
import { freePort, waitFor as waitUntil } from '@/test/support/net';

const prometheus = findBinary('prometheus');
const SERVICE = { username: 'console-service', password: randomBytes(18).toString('base64url') };
const TOKEN = randomBytes(24).toString('base64url');
const JOB = 'dtr-ha-console';

const work = mkdtempSync(path.join(tmpdir(), 'dtr-prom-live-'));
const closers: (() => Promise<void> | void)[] = [];
let output = '';

/** The shared wait, every 200 ms, with Prometheus's own output in the message when it times out. */
const waitFor = <T>(what: string, probe: () => Promise<T | null>, timeoutMs: number) =>
  waitUntil(() => `${what}\nprometheus output:\n${output.slice(-3000)}`, probe, timeoutMs, 200);

afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  rmSync(work, { recursive: true, force: true });
}, 30_000);

/** The demo cluster, polled by the real monitor; resolves once the first snapshot is in. */
async function startConsoleSide(): Promise<{ demo: DemoCluster; monitor: Monitor }> {
  const demo = await startDemoCluster({
    seed: 'live-prometheus',
    extraUsers: [{ ...SERVICE, isAdmin: true }],
  });
  closers.push(() => demo.close());
  const monitor = new Monitor({
    target: {
      ucp: { url: demo.ucpUrl, ...SERVICE, insecureTls: false },
      dtr: { url: demo.dtrUrl, ...SERVICE, insecureTls: false, probeScheme: 'http' },
      pollIntervalMs: 500,
      probeTimeoutMs: 400,
      dtrVersion: null,
      trustMemberOrigins: true,
      probeAllowedHosts: [...demo.probeAllowedHosts],
    },
    mode: 'demo',
    log: () => undefined,
  });
  closers.push(() => monitor.stop());
  const first = new Promise<void>((resolve) => {
    const stop = monitor.subscribe(() => {
      stop();
      resolve();
    });
  });
  monitor.start();
  await first;
  return { demo, monitor };
}

/** GET /api/metrics as the console answers it: the bearer token, then the exporter's text. */
async function serveMetrics(monitor: Monitor): Promise<number> {
  const metrics = new ConsoleMetrics();
  const info = {
    mode: 'demo' as const,
    role: {
      role: 'single' as const,
      instance: 'console-test',
      poller: 'console-test',
      since: null,
    },
  };
  const server = http.createServer((req, res) => {
    const snapshot = monitor.latest();
    if (req.url !== '/api/metrics' || !snapshot) {
      res.writeHead(404).end();
      return;
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end();
      return;
    }
    const status = {
      ...snapshot,
      warnings: assessCluster(snapshot, { now: new Date(snapshot.generatedAt) }),
    };
    void metrics.render(status, info).then((body) => {
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

async function api<T>(port: number, urlPath: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${port}${urlPath}`);
  if (!response.ok) throw new Error(`${urlPath}: HTTP ${response.status}`);
  return ((await response.json()) as { data: T }).data;
}

interface RulesData {
  groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[];
}
interface TargetsData {
  activeTargets: { labels: Record<string, string>; health: string; lastError: string }[];
}
interface AlertsData {
  alerts: { labels: Record<string, string>; state: string }[];
}

function startPrometheus(binary: string, configFile: string, port: number): ChildProcess {
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(work, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  closers.push(async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  });
  return child;
}

describe('Prometheus scraping a console, with the generated rules', () => {
  it('loads every rule group healthy, sees the target up, and fires and resolves at-risk', async (ctx) => {
    const binary = need(ctx, prometheus, 'prometheus');
    const { demo, monitor } = await startConsoleSide();
    const consolePort = await serveMetrics(monitor);
    const tokenFile = path.join(work, 'metrics-token');
    writeFileSync(tokenFile, TOKEN);

    const options = PrometheusOptionsSchema.parse({
      job: JOB,
      consoleUrl: `http://127.0.0.1:${consolePort}`,
      tokenFile,
      criticalFor: '1s',
      warningFor: '2s',
      infoFor: '1m',
    });
    const snapshot = monitor.latest() as ClusterSnapshot;
    const size = clusterSizeOf(snapshot);
    expect(size.dtrReplicas).toBe(3);
    const rules = prometheusRules(size, options);
    const rulesFile = path.join(work, 'rules.yml');
    writeFileSync(rulesFile, rules.text);
    // The scrape job exactly as generated, only scraped every second for the test.
    const [job] = parse(scrapeConfig(options).text) as Record<string, unknown>[];
    const configFile = path.join(work, 'prometheus.yml');
    writeFileSync(
      configFile,
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [rulesFile],
        scrape_configs: [{ ...job, scrape_interval: '1s' }],
      }),
    );

    const port = await freePort();
    startPrometheus(binary, configFile, port);

    const loaded = await waitFor(
      'the rule groups to load and evaluate healthy',
      async () => {
        const data = await api<RulesData>(port, '/api/v1/rules');
        const all = data.groups.flatMap((g) => g.rules);
        return all.length > 0 && all.every((r) => r.health === 'ok') ? data : null;
      },
      20_000,
    );
    // The API lists groups by name; each keeps its rules in the file's order.
    expect(loaded.groups.map((g) => g.name)).toEqual([...rules.groups].sort());
    for (const group of loaded.groups)
      expect(group.rules.map((r) => r.name)).toEqual(
        rules.rules.filter((r) => r.group === group.name).map((r) => r.alert),
      );

    const target = await waitFor(
      'the console target to be up',
      async () => {
        const data = await api<TargetsData>(port, '/api/v1/targets');
        const t = data.activeTargets.find((a) => a.labels.job === JOB);
        return t?.health === 'up' ? t : null;
      },
      20_000,
    );
    expect(target.labels.instance).toBe(`127.0.0.1:${consolePort}`);

    const firing = async (alertname: string) =>
      (await api<AlertsData>(port, '/api/v1/alerts')).alerts.filter(
        (a) => a.labels.alertname === alertname && a.state === 'firing',
      );
    expect(await firing('DtrQuorumAtRisk')).toEqual([]);

    const victim = demo.describe().replicas[2];
    if (!victim) throw new Error('the demo has no third replica');
    await demo.setFault(victim.id, 'stop');
    const atRisk = await waitFor(
      'DtrQuorumAtRisk to fire after a replica stopped',
      async () => {
        const alerts = await firing('DtrQuorumAtRisk');
        return alerts.length > 0 ? alerts : null;
      },
      30_000,
    );
    expect(atRisk.map((a) => a.labels)).toEqual([
      { alertname: 'DtrQuorumAtRisk', job: JOB, plane: 'dtr', severity: 'warning' },
    ]);

    await demo.reset();
    await waitFor(
      'DtrQuorumAtRisk to resolve after the reset',
      async () => ((await firing('DtrQuorumAtRisk')).length === 0 ? true : null),
      30_000,
    );
  }, 90_000);
});
