// A second console of a spec's own (EXECUTE=on, a fleet…): `scripts/start.mjs` on E2E_PORT plus an
// offset, its own SQLite file, started before the spec's tests and stopped, with its process
// group, after them. Each call keeps its own process and directory: two specs in one worker share
// this module, never a console.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/** Registers beforeAll/afterAll that run a console with `env` on its own port; gives its URL. */
export function ownConsole(name: string, portOffset: number, env: Record<string, string>): string {
  const port = Number(process.env.E2E_PORT ?? 3210) + portOffset;
  const base = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let dataDir = '';

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    dataDir = mkdtempSync(path.join(tmpdir(), `${name}-e2e-`));
    child = spawn(process.execPath, ['scripts/start.mjs'], {
      env: {
        ...process.env,
        ...env,
        PORT: String(port),
        DATABASE_URL: `file:${path.join(dataDir, 'console.db')}`,
      },
      stdio: 'ignore',
      detached: true,
    });
    await expect
      .poll(
        async () => {
          try {
            return (await fetch(`${base}/api/healthz`)).status;
          } catch {
            return 0;
          }
        },
        { timeout: 200_000, intervals: [500] },
      )
      .toBe(200);
  });

  test.afterAll(() => {
    if (child?.pid) process.kill(-child.pid, 'SIGTERM');
    child = null;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  return base;
}
