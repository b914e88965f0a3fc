// Real HAProxy in front of the demo replicas, configured by the console's own generator with the
// vendor's sample check settings, and read through its stats CSV.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { generateLbConfig } from '../../lib/domain/lb';
import { freePort, spawnTracked } from './processes';
import { waitFor } from './stats';

export const HAPROXY_CHECK = {
  checkIntervalMs: 2000, // `inter` default, as in the vendor's sample
  fall: 3, // default
  rise: 2, // default
  // The sample sets no `timeout check` (HAProxy then allows up to `inter`); we give HAProxy the
  // console's own probe timeout, which can only make it faster on a hang.
  checkTimeoutMs: 1500,
} as const;

export interface LbReplica {
  id: string;
  address: string;
  httpPort: number;
  httpsPort: number;
}

export interface RunningHaproxy {
  pid: number;
  statsUrl: string;
  configFile: string;
  /** Check state of each replica (UP, DOWN, "UP 1/3", …) from one read of the stats CSV. */
  states(): Promise<Map<string, string>>;
  stop(): Promise<void>;
}

export function findHaproxy(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs.map((dir) => path.join(dir, 'haproxy')).find((file) => existsSync(file)) ?? null;
}

export function haproxyVersion(binary: string): string {
  const out = spawnSync(binary, ['-v'], { encoding: 'utf8' }).stdout ?? '';
  return /version (\S+)/.exec(out)?.[1] ?? 'unknown';
}

/** Parses HAProxy's `;csv` stats into check state per replica ID (rows of the dtr_check_* backends). */
export function parseStatsCsv(csv: string): Map<string, string> {
  const lines = csv.split('\n').filter((line) => line.trim() !== '');
  const header = (lines[0] ?? '').replace(/^# /, '').split(',');
  const px = header.indexOf('pxname');
  const sv = header.indexOf('svname');
  const status = header.indexOf('status');
  const states = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const cols = line.split(',');
    const backend = cols[px] ?? '';
    const server = cols[sv] ?? '';
    if (backend.startsWith('dtr_check_') && server.startsWith('replica-'))
      states.set(server.slice('replica-'.length), cols[status] ?? '');
  }
  return states;
}

export async function startHaproxy(
  binary: string,
  replicas: LbReplica[],
  workDir: string,
): Promise<RunningHaproxy> {
  const [httpPort, httpsPort, statsPort] = [await freePort(), await freePort(), await freePort()];
  const { text } = generateLbConfig(replicas, {
    kind: 'haproxy',
    generatedAt: new Date().toISOString(),
    httpPort,
    httpsPort,
    stats: true,
    statsPort,
    checkScheme: 'http', // the demo replicas serve HTTP only, as DTR_PROBE_SCHEME=http probes
    ...HAPROXY_CHECK,
  });
  // Loopback only: the generator binds every address, as a real load balancer must.
  const config = text.replace(/^(\s*bind )(?=:\d+)/gm, '$1127.0.0.1');
  const configFile = path.join(workDir, 'haproxy.cfg');
  writeFileSync(configFile, config);
  const check = spawnSync(binary, ['-c', '-q', '-f', configFile], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy -c rejected the config: ${check.stderr}`);

  const proc = spawnTracked('haproxy', binary, ['-db', '-f', configFile], {
    logFile: path.join(workDir, 'haproxy.log'),
  });
  const statsUrl = `http://127.0.0.1:${statsPort}/;csv`;
  const states = async () => parseStatsCsv(await (await fetch(statsUrl)).text());
  try {
    await waitFor(
      'HAProxy stats to answer',
      async () => ((await states()).size > 0 ? true : null),
      15_000,
    );
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return { pid: proc.pid, statsUrl, configFile, states, stop: proc.stop };
}
