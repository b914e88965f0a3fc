// The console under test: a production build (rebuilt when stale, as `npm start` does) served
// by `next start` on a free loopback port, in live mode against the bench's own demo cluster.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, spawnTracked, type Tracked } from './processes';
import { waitFor } from './stats';
import type { StatusDocument } from './status-document';

// Same list as scripts/start.mjs: what a production build is made from.
const BUILD_SOURCES = [
  'app',
  'components',
  'lib',
  'public',
  'instrumentation.ts',
  'proxy.ts',
  'next.config.js',
  'package-lock.json',
  'postcss.config.mjs',
  'tsconfig.json',
];

function newestMtime(root: string, entry: string): number {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(full))
    newest = Math.max(newest, newestMtime(root, path.join(entry, child)));
  return newest;
}

export function buildIsCurrent(root: string): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  const builtAt = statSync(buildId).mtimeMs;
  return BUILD_SOURCES.every((entry) => newestMtime(root, entry) <= builtAt);
}

/** Builds when there is no build or the sources are newer; returns what it did. */
export function ensureBuild(root: string, allowBuild: boolean): 'current' | 'built' | 'stale' {
  if (buildIsCurrent(root)) return 'current';
  if (!allowBuild) {
    if (!existsSync(path.join(root, '.next', 'BUILD_ID')))
      throw new Error('no production build in .next and --no-build was given');
    return 'stale';
  }
  console.error('bench: the production build is missing or stale: running next build…');
  const result = spawnSync(process.execPath, [nextBin(root), 'build'], {
    cwd: root,
    stdio: ['ignore', 2, 2], // keep stdout for the table
    env: { ...baseEnv(), NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
  return 'built';
}

function nextBin(root: string): string {
  return path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
}

/** Only what a process needs to run: no UCP_*, DTR_* or other settings leak in from the shell. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TZ']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

export interface ConsoleTarget {
  ucpUrl: string;
  dtrUrl: string;
  username: string;
  password: string;
}

/** Several clusters in one console: a CLUSTERS_FILE, and the replicas each must show healthy. */
export interface ConsoleFleet {
  clustersFile: string;
  clusters: { name: string; replicas: number }[];
}

export interface RunningConsole {
  url: string;
  pid: number;
  auth: 'on' | 'off';
  logFile: string;
  /** `cookie` header of a signed-in viewer (AUTH=on), or undefined. */
  cookie: string | undefined;
  stop(): Promise<void>;
}

export interface StartConsoleOptions {
  root: string;
  workDir: string;
  name: string;
  /** One cluster, by the UCP_* and DTR_* variables; or `fleet`: several, by a CLUSTERS_FILE. */
  target: ConsoleTarget | ConsoleFleet;
  auth: 'on' | 'off';
  /** Signs in with these (a demo viewer) when auth is on. */
  viewer?: { username: string; password: string };
  /** Healthy replicas /api/status must show before the console counts as ready (`fleet`: each its own). */
  replicas: number;
  /** Node flags for the console's process (e.g. `--cpu-prof` when profiling by hand). */
  nodeArgs?: string[];
}

export async function startConsole(options: StartConsoleOptions): Promise<RunningConsole> {
  const { root, workDir, name, target } = options;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(workDir, `${name}.log`);
  const env = {
    ...baseEnv(),
    NODE_ENV: 'production' as const,
    NEXT_TELEMETRY_DISABLED: '1',
    ...('clustersFile' in target
      ? { CLUSTERS_FILE: target.clustersFile }
      : {
          UCP_URL: target.ucpUrl,
          UCP_USERNAME: target.username,
          UCP_PASSWORD: target.password,
          DTR_URL: target.dtrUrl,
          DTR_PROBE_SCHEME: 'http',
        }),
    AUTH: options.auth,
    SESSION_SECRET: randomBytes(36).toString('base64'),
    DATABASE_URL: `file:${path.join(workDir, `${name}.db`)}`,
  };
  const proc: Tracked = spawnTracked(
    `console ${name}`,
    process.execPath,
    [...(options.nodeArgs ?? []), nextBin(root), 'start', '-p', String(port), '-H', '127.0.0.1'],
    { cwd: root, env, logFile },
  );
  const tail = () => readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
  try {
    await waitFor(
      `console ${name} to answer /api/healthz after a first poll`,
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`exited with ${proc.child.exitCode}`);
        const res = await fetch(`${url}/api/healthz`);
        const body = (await res.json()) as { lastPollAt?: string | null };
        return res.status === 200 && body.lastPollAt ? true : null;
      },
      90_000,
      250,
    );
    const cookie =
      options.auth === 'on' && options.viewer ? await signIn(url, options.viewer) : undefined;
    // One cluster answers at /api/…; each of a fleet's at /c/<name>/api/….
    const clusters =
      'clustersFile' in target
        ? target.clusters.map((c) => ({ prefix: `/c/${c.name}`, replicas: c.replicas }))
        : [{ prefix: '', replicas: options.replicas }];
    for (const { prefix, replicas } of clusters)
      await waitFor(
        `console ${name} to see ${replicas} healthy replicas at ${prefix || '/'}`,
        async () => {
          const res = await fetch(`${url}${prefix}/api/status`, {
            headers: cookie ? { cookie } : {},
          });
          if (!res.ok) throw new Error(`GET ${prefix}/api/status: HTTP ${res.status}`);
          const status = (await res.json()) as StatusDocument;
          const healthy = status.dtr.replicas.filter((r) => r.status === 'healthy').length;
          return healthy === replicas ? true : null;
        },
        60_000,
        250,
      );
    return { url, pid: proc.pid, auth: options.auth, logFile, cookie, stop: proc.stop };
  } catch (error) {
    await proc.stop();
    throw new Error(`${(error as Error).message}\n--- ${logFile} ---\n${tail()}`);
  }
}

/** POST /api/auth/login; returns the session cookie as a `cookie` request header. */
async function signIn(url: string, user: { username: string; password: string }): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  if (!res.ok) throw new Error(`sign-in as ${user.username} failed: HTTP ${res.status}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
  if (cookies.length === 0) throw new Error('sign-in set no cookie');
  return cookies.join('; ');
}
