// A real PostgreSQL server for tests (Debian's `postgresql` package): a throwaway cluster in a
// temp directory on a free loopback port, fsync off, one per test file. As root the server runs as
// the `postgres` user (initdb and postgres refuse root). Stopped by its pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort } from '../support/net';

const PG_ROOT = '/usr/lib/postgresql';

function binDir(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => /^\d+$/.test(v) && existsSync(path.join(PG_ROOT, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(PG_ROOT, versions[0], 'bin') : undefined;
}

/** Why a Postgres server cannot be started here, or undefined when it can. */
export function postgresUnavailableReason(): string | undefined {
  if (!binDir()) return "needs Debian's postgresql package (apt-get install -y postgresql)";
  if (process.getuid?.() === 0 && !existsSync('/usr/bin/setpriv'))
    return 'needs setpriv (util-linux) to run postgres as the postgres user';
  if (process.getuid?.() === 0 && idOf('-u') === undefined)
    return 'runs as root but there is no postgres user to run the server as';
  return undefined;
}

let reasonPrinted = false;

/**
 * For `describe.skipIf(!canRunPostgres())`. In CI a missing server is a failure, not a skip:
 * .ci/run installs it, so its absence means the set-up broke.
 */
export function canRunPostgres(): boolean {
  const reason = postgresUnavailableReason();
  if (reason && process.env.CI) throw new Error(`Postgres tests cannot run in CI: ${reason}`);
  if (reason && !reasonPrinted) {
    reasonPrinted = true;
    console.warn(`Skipping the Postgres tests: ${reason}.`);
  }
  return reason === undefined;
}

function idOf(flag: '-u' | '-g'): number | undefined {
  const result = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

/** Runs a postgres binary as the postgres user when we are root, as ourselves otherwise. */
function command(bin: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [bin, args];
  return [
    '/usr/bin/setpriv',
    ['--reuid=postgres', '--regid=postgres', '--clear-groups', bin, ...args],
  ];
}

export interface PostgresServer {
  /** Superuser URL of the `postgres` database. */
  adminUrl: string;
  port: number;
  /** The server's pid (to kill it in a test). */
  pid: number;
  /** A fresh, empty database; its URL. */
  createDatabase(prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = binDir();
  if (!bin) throw new Error(postgresUnavailableReason());
  const dir = mkdtempSync(path.join(tmpdir(), 'console-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = idOf('-u');
    const gid = idOf('-g');
    if (uid === undefined || gid === undefined) throw new Error('no postgres user');
    chownSync(dir, uid, gid);
  }
  const [initCmd, initArgs] = command(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'console',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--no-instructions',
  ]);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr || init.stdout}`);
  }
  const port = await freePort();
  const [cmd, args] = command(path.join(bin, 'postgres'), [
    '-D',
    data,
    '-k',
    dir,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
  ]);
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const adminUrl = `postgres://console@127.0.0.1:${port}/postgres`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 20_000;
  for (;;) {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`postgres did not start: ${String(error)}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  let stopped: Promise<void> | null = null;
  return {
    adminUrl,
    port,
    pid: child.pid ?? -1,
    async createDatabase(prefix = 'console') {
      const name = `${prefix}_${randomBytes(6).toString('hex')}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://console@127.0.0.1:${port}/${name}`;
    },
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null) {
          child.kill('SIGINT'); // fast shutdown: disconnects clients, no checkpoint wait
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

let shared: Promise<PostgresServer> | null = null;

/** One server per test file (module), started on first use; stop it in afterAll. */
export function sharedPostgres(): Promise<PostgresServer> {
  shared ??= startPostgres();
  return shared;
}

export async function stopSharedPostgres(): Promise<void> {
  const server = shared;
  shared = null;
  await (await server?.catch(() => null))?.stop();
}
