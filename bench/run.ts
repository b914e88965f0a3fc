// `npm run bench`: the console's performance figures against its targets (issue #9), printed as a
// table and written to bench/results/latest.json. See bench/README.md.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDemoCluster, type DemoCluster, type StartDemoClusterOptions } from '../lib/demo';
import { parseBenchArgs, USAGE, type BenchArgs, type Scenario } from './lib/args';
import { ensureBuild, startConsole, type RunningConsole } from './lib/console';
import { findHaproxy, HAPROXY_CHECK, haproxyVersion, startHaproxy } from './lib/haproxy';
import { cleanUpAll, onCleanup } from './lib/processes';
import { publish } from './lib/summary';
import { type Results } from './lib/rows';
import { SseViewer } from './lib/sse-viewer';
import { runApi } from './scenarios/api';
import { runDetection } from './scenarios/detection';
import { runFanIn, runFleetFanIn } from './scenarios/fan-in';
import { crossCheckWithHtml, measurePageWeight } from './scenarios/page-weight';
import { runSoak } from './scenarios/soak';
import { runSseDelta } from './scenarios/sse-delta';

// The console's defaults (DESIGN.md §5); the bench leaves POLL_INTERVAL_MS and PROBE_TIMEOUT_MS unset.
const POLL_INTERVAL_MS = 2000;
const PROBE_TIMEOUT_MS = 1500;
// Paced: every client asks once a second (a page refreshing); back to back: all the server can take.
// One paced run accepts compression as browsers do, which makes Next gzip each answer; one asks
// GET /api/healthz the same way, the floor the browser-like run is compared with.
const BROWSER_ENCODING = 'gzip, deflate, br, zstd';
const API_LOADS = [
  { connections: 50, ratePerClient: 1 },
  { connections: 200, ratePerClient: 1 },
  { connections: 200, ratePerClient: 1, acceptEncoding: BROWSER_ENCODING },
  { connections: 200, ratePerClient: 1, acceptEncoding: BROWSER_ENCODING, path: '/api/healthz' },
  { connections: 50, ratePerClient: null },
  { connections: 200, ratePerClient: null },
] as const;
const BIG_CLUSTER = { managers: 3, replicas: 7, caches: 2, workers: 1988 } as const; // 2,000 nodes
// The soak's cluster: where the enterprises that need the console live, and then some.
const HUGE_CLUSTER = { managers: 5, replicas: 7, caches: 2, workers: 9986 } as const; // 10,000 nodes
const nodesOf = (c: { managers: number; replicas: number; caches: number; workers: number }) =>
  c.managers + c.replicas + c.caches + c.workers;
const SSE_DELTA_TRIALS = 9;

const root = path.resolve(path.dirname(process.argv[1] ?? 'bench/run.ts'), '..');
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

interface Context {
  args: BenchArgs;
  workDir: string;
  results: Results;
}

async function demoCluster(options: StartDemoClusterOptions) {
  const service = {
    username: 'bench-service',
    password: randomBytes(18).toString('base64url'),
    isAdmin: true,
  };
  const demo = await startDemoCluster({ ...options, extraUsers: [service] });
  const close = onCleanup('demo cluster', () => demo.close());
  const viewer = demo.users.find((u) => !u.isAdmin && u.username !== service.username);
  const target = { ucpUrl: demo.ucpUrl, dtrUrl: demo.dtrUrl, ...service };
  return { demo, target, viewer, close };
}

/** Page-weight cross-check, fan-in and detection: the default demo topology, AUTH=off. */
async function smallClusterScenarios(ctx: Context): Promise<void> {
  const { args, workDir, results } = ctx;
  const { demo, target, close } = await demoCluster({});
  const replicas = demo.describe().replicas;
  log(`console on the default demo cluster (${replicas.length} replicas), AUTH=off`);
  const app = await startConsole({
    root,
    workDir,
    name: 'console-small',
    target,
    auth: 'off',
    replicas: replicas.length,
  });
  const viewer = new SseViewer(app.url);
  const closeViewer = onCleanup('SSE viewer', () => viewer.close());
  await viewer.open();
  if (results.pageWeight) await crossCheckWithHtml(results.pageWeight, app.url, root);
  if (args.only.has('fan-in')) {
    results.fanIn = await runFanIn({
      demo,
      consoleUrl: app.url,
      headers: {},
      viewer,
      crowd: args.viewers,
      windowMs: args.fanInSeconds * 1000,
      log,
    });
  }
  if (args.only.has('api')) {
    [results.apiReference] = await runApi({
      root,
      workDir,
      label: 'default demo',
      targets: [app],
      loads: [
        { connections: 200, ratePerClient: 1 },
        { connections: 200, ratePerClient: null },
      ],
      seconds: args.apiSeconds,
      rounds: 1,
      log,
    });
  }
  if (args.only.has('detection')) await detection(ctx, demo, viewer);
  await closeViewer();
  await app.stop();
  await close();
}

/** The fleet's clusters for fan-in: three default demo topologies, each its own upstream. */
const FLEET_CLUSTERS = ['prod', 'dr', 'lab'] as const;

/**
 * Fan-in with three clusters in one console: three demo clusters the bench starts, listed in a
 * CLUSTERS_FILE (service password in a file of its own), AUTH=off; viewers on /c/<name>/api/events.
 */
async function fleetFanIn(ctx: Context): Promise<void> {
  const { args, workDir, results } = ctx;
  const started = [];
  for (const name of FLEET_CLUSTERS)
    started.push({ name, ...(await demoCluster({ seed: `bench-fleet-${name}` })) });
  const clusters = started.map(({ name, demo, target }) => {
    const passwordFile = path.join(workDir, `fleet-${name}-password`);
    writeFileSync(passwordFile, `${target.password}\n`, { mode: 0o600 });
    return {
      name,
      ucpUrl: target.ucpUrl,
      username: target.username,
      passwordFile,
      dtrUrl: target.dtrUrl,
      dtrProbeScheme: 'http',
      probeAllowedHosts: [...demo.probeAllowedHosts],
    };
  });
  const clustersFile = path.join(workDir, 'fleet-clusters.json');
  writeFileSync(clustersFile, JSON.stringify({ clusters }, null, 2));
  log(
    `console on ${started.length} demo clusters (${FLEET_CLUSTERS.join(', ')}) by CLUSTERS_FILE, AUTH=off`,
  );
  const app = await startConsole({
    root,
    workDir,
    name: 'console-fleet',
    target: {
      clustersFile,
      clusters: started.map(({ name, demo }) => ({
        name,
        replicas: demo.describe().replicas.length,
      })),
    },
    auth: 'off',
    replicas: 0, // each cluster's own count is in target.clusters
  });
  const viewers = started.map(({ name }) => new SseViewer(`${app.url}/c/${name}`));
  const closeViewers = onCleanup('fleet SSE viewers', () =>
    Promise.all(viewers.map((v) => v.close())).then(() => undefined),
  );
  await Promise.all(viewers.map((v) => v.open()));
  results.fleetFanIn = await runFleetFanIn({
    clusters: started.map(({ name, demo }, i) => ({
      name,
      demo,
      consoleUrl: `${app.url}/c/${name}`,
      viewer: viewers[i]!,
    })),
    headers: {},
    // The same crowd as the one-cluster run, shared by the clusters: --viewers on the console.
    crowd: Math.max(2, Math.round(args.viewers / started.length)),
    windowMs: args.fanInSeconds * 1000,
    log,
  });
  await closeViewers();
  await app.stop();
  for (const { close } of started) await close();
}

async function detection(ctx: Context, demo: DemoCluster, viewer: SseViewer): Promise<void> {
  const binary = findHaproxy();
  if (!binary) throw new Error('haproxy is not installed (apt-get install -y haproxy)');
  const replicas = demo.describe().replicas;
  // Not the replica DTR_URL points at: its probe alone decides, as behind a real load balancer.
  const victim = replicas.at(-1);
  if (!victim) throw new Error('the demo cluster has no replicas');
  const address = new URL(victim.url).hostname;
  const haproxy = await startHaproxy(
    binary,
    replicas.map((r) => ({
      id: r.id,
      address: new URL(r.url).hostname,
      httpPort: r.httpPort,
      httpsPort: r.httpsPort,
    })),
    ctx.workDir,
  );
  log(
    `detection: HAProxy ${haproxyVersion(binary)} (pid ${haproxy.pid}) checking ${replicas.length} replicas; faulting ${victim.id} at ${address}`,
  );
  try {
    const result = await runDetection({
      demo,
      viewer,
      haproxy,
      replicaId: victim.id,
      trials: ctx.args.trials,
      intervalMs: POLL_INTERVAL_MS,
      log,
    });
    ctx.results.detection = { ...result, replicas: replicas.length };
  } finally {
    await haproxy.stop();
  }
}

/** API load (AUTH=off, then on) and SSE bytes per change: 7 replicas, 2,000 nodes. */
async function bigClusterScenarios(ctx: Context): Promise<void> {
  const { args, workDir, results } = ctx;
  const { demo, target, viewer, close } = await demoCluster(BIG_CLUSTER);
  const start = (name: string, auth: 'on' | 'off'): Promise<RunningConsole> =>
    startConsole({
      root,
      workDir,
      name,
      target,
      auth,
      replicas: BIG_CLUSTER.replicas,
      ...(viewer ? { viewer } : {}),
    });
  if (args.only.has('api')) {
    // Side by side, compared in alternating rounds (scenarios/api.ts): the AUTH=on ratio is a
    // comparison within the same run.
    log('consoles on the big demo cluster, AUTH=off and AUTH=on');
    const off = await start('console-api-auth-off', 'off');
    const on = await start('console-api-auth-on', 'on');
    results.api = await runApi({
      root,
      workDir,
      label: 'big cluster',
      targets: [off, on],
      loads: API_LOADS,
      seconds: args.apiSeconds,
      rounds: args.apiRounds,
      log,
    });
    await on.stop();
    await off.stop();
  }
  if (args.only.has('sse')) {
    log('sse: SSE bytes per viewer for one replica change, big demo cluster, AUTH=on');
    const app = await start('console-sse', 'on');
    results.sseDelta = await runSseDelta({
      demo,
      target: app,
      nodes: nodesOf(BIG_CLUSTER),
      trials: SSE_DELTA_TRIALS,
      intervalMs: POLL_INTERVAL_MS,
      log,
    });
    await app.stop();
  }
  await close();
}

/** The soak: a fresh console polling 10,000 nodes with one viewer, AUTH=on. */
async function soak(ctx: Context): Promise<void> {
  const { args, workDir, results } = ctx;
  const { target, viewer, close } = await demoCluster(HUGE_CLUSTER);
  log(
    `soak: fresh console on a ${nodesOf(HUGE_CLUSTER)}-node demo, AUTH=on, ${args.soakMinutes} min`,
  );
  const app = await startConsole({
    root,
    workDir,
    name: 'console-soak',
    target,
    auth: 'on',
    replicas: HUGE_CLUSTER.replicas,
    ...(viewer ? { viewer } : {}),
  });
  results.soak = await runSoak({
    target: app,
    nodes: nodesOf(HUGE_CLUSTER),
    minutes: args.soakMinutes,
    log,
  });
  await app.stop();
  await close();
}

async function main(): Promise<number> {
  let args: BenchArgs | null;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!args) {
    console.log(USAGE);
    return 0;
  }
  const startedAt = new Date();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'dtr-bench-'));
  onCleanup('work directory', () => rmSync(workDir, { recursive: true, force: true }));
  const build = ensureBuild(root, args.build);
  const results: Results = { pollIntervalMs: POLL_INTERVAL_MS, probeTimeoutMs: PROBE_TIMEOUT_MS };
  const ctx: Context = { args, workDir, results };

  if (args.only.has('page-weight')) results.pageWeight = measurePageWeight(root);
  if (['fan-in', 'detection', 'page-weight', 'api'].some((s) => args.only.has(s as Scenario)))
    await smallClusterScenarios(ctx);
  if (args.only.has('fan-in')) await fleetFanIn(ctx);
  if (args.only.has('api') || args.only.has('sse')) await bigClusterScenarios(ctx);
  if (args.only.has('soak')) await soak(ctx);

  const files = publish({
    startedAt,
    loadAtStart,
    args,
    build,
    results,
    settings: {
      pollIntervalMs: POLL_INTERVAL_MS,
      probeTimeoutMs: PROBE_TIMEOUT_MS,
      haproxy: HAPROXY_CHECK,
      bigCluster: BIG_CLUSTER,
      soakCluster: HUGE_CLUSTER,
    },
    dir: path.join(root, 'bench', 'results'),
  });
  console.log(`Results: ${files.join(', ')}`);
  return 0;
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping everything the bench started…`);
    void cleanUpAll().finally(() => process.exit(130));
  });
}

main()
  .catch((error: unknown) => {
    if (stopping) return 130; // the signal handler is cleaning up; errors from torn-down parts are expected
    console.error(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    // fetch's own message ("fetch failed") says nothing: the reason is its cause.
    const cause = error instanceof Error ? error.cause : undefined;
    if (cause) console.error(`  cause: ${cause instanceof Error ? cause.message : String(cause)}`);
    return 1;
  })
  .then(async (code) => {
    await cleanUpAll();
    process.exit(code);
  });
