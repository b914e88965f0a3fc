// Runs the demo cluster on its own: `npm run demo-cluster -- --replicas 5 --workers 2000`.
import { parseArgs } from 'node:util';
import { startDemoCluster, type DemoClusterOptions } from '../lib/demo';

const USAGE = `Usage: npm run demo-cluster -- [--managers N] [--replicas N] [--caches N] [--regional-caches N] [--workers N]
                                [--ucp-port P] [--dtr-port P] [--cache-port P] [--seed TEXT]`;

function parseCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${flag} must be a whole number, got "${value}"`);
  return Number(value);
}

function readOptions(): DemoClusterOptions | null {
  const { values } = parseArgs({
    options: {
      managers: { type: 'string' },
      replicas: { type: 'string' },
      caches: { type: 'string' },
      'regional-caches': { type: 'string' },
      workers: { type: 'string' },
      'ucp-port': { type: 'string' },
      'dtr-port': { type: 'string' },
      'cache-port': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return null;
  return {
    managers: parseCount('managers', values.managers),
    replicas: parseCount('replicas', values.replicas),
    caches: parseCount('caches', values.caches),
    regionalCaches: parseCount('regional-caches', values['regional-caches']),
    workers: parseCount('workers', values.workers),
    ucpPort: parseCount('ucp-port', values['ucp-port']),
    dtrHttpPort: parseCount('dtr-port', values['dtr-port']),
    cachePort: parseCount('cache-port', values['cache-port']),
    seed: values.seed,
  };
}

async function main(): Promise<void> {
  let options: DemoClusterOptions | null;
  try {
    options = readOptions();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (!options) {
    console.log(USAGE);
    return;
  }

  const cluster = await startDemoCluster(options);
  const { members } = cluster.describe();
  const admin = cluster.users.find((user) => user.isAdmin) ?? cluster.users[0];
  const served = members.filter((member) => member.url !== null);
  const apps = members.filter(
    (member) => member.kind === 'worker' && member.node.startsWith('app-'),
  );
  const first = apps[0];
  const last = apps.at(-1);
  console.log(
    [
      'Demo cluster running (plain HTTP on loopback). Ctrl-C stops it.',
      '',
      `UCP URL: ${cluster.ucpUrl}`,
      `DTR URL: ${cluster.dtrUrl}`,
      '',
      'Members:',
      ...served.map(
        (m) => `  ${m.kind.padEnd(8)} ${m.target.padEnd(16)} ${m.node.padEnd(16)} ${m.url}`,
      ),
      first && last
        ? `  ${apps.length} application workers (listed in /nodes, not served): ` +
          `${first.node} ${first.address} … ${last.node} ${last.address}`
        : '  no application workers',
      '',
      'Users:',
      ...cluster.users.map((u) => `  ${u.username} / ${u.password}${u.isAdmin ? ' (admin)' : ''}`),
      '',
      'Point a console at it:',
      `  UCP_URL=${cluster.ucpUrl} UCP_USERNAME=${admin?.username ?? 'admin'} UCP_PASSWORD=${admin?.password ?? ''} ` +
        `DTR_URL=${cluster.dtrUrl} DTR_PROBE_SCHEME=http` +
        (cluster.probeAllowedHosts.length > 0
          ? ` PROBE_ALLOWED_HOSTS=${cluster.probeAllowedHosts.join(',')}`
          : ''),
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the demo cluster`);
    cluster.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
