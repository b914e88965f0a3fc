// Product finding (issue #20), left failing on purpose: in the production server (`next start`),
// a fleet console stops answering every /c/<name>/… request once 256 event streams are open
// through /c/<name>/api/events, across all clusters: the 257th stream, and any /c/<name>/ page or
// API request after it, gets no response headers at all (undici gives up after 300 s), while
// unprefixed URLs (/api/fleet, /api/healthz) still answer at once. A one-cluster console serves
// 300 streams on /api/events without trouble. Found by the three-cluster fan-in bench (600
// viewers, 200 per cluster); the bench now shares its 200 viewers among the clusters. Suspect: the
// proxy's rewrite of /c/<name>/… (x-middleware-rewrite names http://localhost:<port>/…), which
// Next may forward over a pooled HTTP connection per request rather than serve in-process.
// When 300 streams and a page answer, this passes: drop `.fails`.
//
// Needs a production build (`npx next build --webpack`); skipped, saying so, without one.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@/test/support/net';

const ROOT = path.resolve(__dirname, '../..');
const hasBuild = existsSync(path.join(ROOT, '.next', 'BUILD_ID'));
if (!hasBuild)
  console.warn(
    'Skipping the fleet event-stream test: no production build (npx next build --webpack).',
  );

const STREAMS = 300;
const BATCH = 50;

describe.skipIf(!hasBuild)('a fleet console under many event streams (next start)', () => {
  let child: ChildProcess | undefined;
  let workDir: string | undefined;
  const streams: AbortController[] = [];

  afterAll(() => {
    for (const stream of streams) stream.abort();
    child?.kill('SIGKILL');
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it.fails(
    `serves ${STREAMS} event streams across two clusters and still answers a cluster's page`,
    async () => {
      workDir = mkdtempSync(path.join(os.tmpdir(), 'dtr-fleet-sse-'));
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const next = path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
      child = spawn(process.execPath, [next, 'start', '-p', String(port), '-H', '127.0.0.1'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          NODE_ENV: 'production',
          NEXT_TELEMETRY_DISABLED: '1',
          DEMO_CLUSTERS: '2',
          AUTH: 'off',
          DATABASE_URL: `file:${path.join(workDir, 'console.db')}`,
        },
        stdio: 'ignore',
      });
      await waitFor(
        'the console to serve /api/fleet',
        async () => ((await fetch(`${base}/api/fleet`)).ok ? true : null),
        60_000,
        250,
      );

      let open = 0;
      for (let i = 0; i < STREAMS; i += BATCH) {
        const cluster = (i / BATCH) % 2 === 0 ? 'prod' : 'dr';
        const opened = await Promise.all(
          Array.from({ length: BATCH }, async () => {
            const stream = new AbortController();
            streams.push(stream);
            const timer = setTimeout(() => stream.abort(), 10_000);
            try {
              const response = await fetch(`${base}/c/${cluster}/api/events`, {
                signal: stream.signal,
              });
              clearTimeout(timer);
              void response.body?.pipeTo(new WritableStream()).catch(() => undefined);
              return response.ok;
            } catch {
              return false;
            }
          }),
        );
        open += opened.filter(Boolean).length;
        expect(open, `event streams answered after batch ${i / BATCH + 1}`).toBe(i + BATCH);
      }
      const page = await fetch(`${base}/c/dr/api/status`, { signal: AbortSignal.timeout(5_000) });
      expect(page.status).toBe(200);
    },
    120_000,
  );
});
