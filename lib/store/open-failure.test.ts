// A database the console cannot open stops start-up with one line and a non-zero exit: never a
// console running on with the audit log and sign-outs in memory, never a spinning process.
import Sqlite from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@/lib/config';
import { ensureDirectory } from './db';
import { openStore } from './index';

const ROOT = path.resolve(__dirname, '../..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'dtr-console-open-failure-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Boot {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Boots the runtime in a child process (test/boot-once.ts); SIGKILL after `limitMs`. */
function boot(databaseUrl: string, limitMs = 15_000): Promise<Boot> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--conditions=react-server', '--import', 'tsx', 'test/boot-once.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

function expectRefused(result: Boot) {
  expect(result.signal, 'it exits on its own, it is not killed').toBeNull();
  expect(result.code).not.toBe(0);
  expect(result.stdout).not.toContain('BOOTED');
  const lines = result.stderr.split('\n').filter((line) => line.trim());
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^DTR HA Console cannot start: DATABASE_URL: cannot open the database/);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('a database the console cannot open', () => {
  it('a path where directories cannot be made (/proc): exits at once, no spinning', async () => {
    const result = await boot('file:/proc/dtr-console-nope/console.db');
    expectRefused(result);
    expect(result.ms).toBeLessThan(15_000);
  }, 30_000);

  it('a path that is a directory: refuses to start instead of running without the database', async () => {
    expectRefused(await boot(`file:${scratch}`));
  }, 30_000);

  it('one that opens but cannot give back its sign-outs: refuses to start too', async () => {
    // Migrated, then the sign-outs table lost: before, the console ran on with sign-outs in
    // memory only ("running without history"), so a signed-out session came back on restart.
    const file = path.join(scratch, 'no-revocations.db');
    await (await openStore(`file:${file}`)).close();
    const db = new Sqlite(file);
    db.exec('DROP TABLE revoked_sessions');
    db.close();
    expectRefused(await boot(`file:${file}`));
  }, 30_000);

  it('openStore says what and where in one line, as a ConfigError', async () => {
    const error = await openStore(`file:${scratch}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(1);
    expect((error as Error).message).toContain(scratch);
    expect((error as Error).message).not.toContain('\n');
  });

  it('redacts a Postgres password in the line', async () => {
    const error = await openStore('postgres://console:s3cret-pw@127.0.0.1:1/console').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('s3cret-pw');
  }, 20_000);
});

describe('ensureDirectory', () => {
  it('makes missing parents one level at a time', () => {
    const dir = path.join(scratch, 'a', 'b', 'c');
    ensureDirectory(dir);
    ensureDirectory(dir);
    expect(() => ensureDirectory(path.join('/proc', 'dtr-console-nope', 'x'))).toThrow();
  });
});
