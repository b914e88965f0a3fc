// A console process for test/crash/crash-safety.test.ts, killed with SIGKILL over and over while it
// writes history. It boots the way lib/server/runtime.ts does in demo mode (demo cluster, store,
// Monitor, history started before monitor.start(), the store's wizard runs), with a
// short poll interval and sample cadence so a kill always lands among writes.
//
// Run: node --conditions=react-server --import tsx test/crash/console-child.ts
// (react-server makes `server-only` the empty module, as in Next's server bundle.)
// Env: CRASH_DB (the SQLite file), CRASH_POLL_MS, CRASH_SAMPLE_MS.
// Prints one line `READY {"pid":…,"runId":…,"created":…}` once the first snapshot is in.
import { randomBytes } from 'node:crypto';
import { startDemoCluster } from '@/lib/demo';
import { Monitor } from '@/lib/monitor/monitor';
import { HistoryRecorder } from '@/lib/server/services/history';
import { openStore } from '@/lib/store';

const file = process.env.CRASH_DB;
if (!file) throw new Error('CRASH_DB is not set');
const pollIntervalMs = Number(process.env.CRASH_POLL_MS ?? 100);
const sampleEveryMs = Number(process.env.CRASH_SAMPLE_MS ?? 200);
const SERVICE_USER = 'console-service';

async function main(): Promise<void> {
  const password = randomBytes(18).toString('base64url');
  const demo = await startDemoCluster({
    seed: 'crash-safety',
    extraUsers: [{ username: SERVICE_USER, password, isAdmin: true }],
  });
  const monitor = new Monitor({
    target: {
      ucp: { url: demo.ucpUrl, username: SERVICE_USER, password, insecureTls: false },
      dtr: {
        url: demo.dtrUrl,
        username: SERVICE_USER,
        password,
        insecureTls: false,
        probeScheme: 'http',
      },
      pollIntervalMs,
      probeTimeoutMs: 250,
      dtrVersion: null,
    },
    mode: 'demo',
    log: (line) => console.error(line),
  });
  const store = await openStore(`file:${file}`);
  await new HistoryRecorder({ sampleEveryMs, log: (line) => console.error(line) }).start(
    monitor,
    store,
  );

  // A wizard run left open by an earlier life of this console resumes; the first life opens one.
  const runs = store.wizardRuns;
  const open = await runs.list({ limit: 10, status: 'open' });
  let run = open[0];
  const created = !run;
  run ??= await runs.create({
    kind: 'join',
    status: 'open',
    step: 'prepare-node',
    state: { lives: 0 },
    createdBy: 'crash-test',
  });
  const lives = ((run.state as { lives?: number }).lives ?? 0) + 1;
  // Written on every start, so some kills land on a wizard-run write too.
  await runs.update(run.id, { state: { lives } });

  const first = new Promise<void>((resolve) => {
    const stop = monitor.subscribe(() => {
      stop();
      resolve();
    });
  });
  monitor.start();
  await first;
  console.log(`READY ${JSON.stringify({ pid: process.pid, runId: run.id, created, lives })}`);
  // Keep the process alive: every timer of the monitor and history is unref'd.
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  console.error(
    `console-child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});
