// Every process and resource the benchmark starts, stopped by pid (LIFO) on success, error or signal.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import net, { type AddressInfo } from 'node:net';

type Cleanup = () => Promise<void> | void;

const cleanups: { name: string; run: Cleanup }[] = [];

/** Registers a cleanup; returns a function that runs it now (once) and unregisters it. */
export function onCleanup(name: string, run: Cleanup): () => Promise<void> {
  const entry = { name, run };
  cleanups.push(entry);
  return async () => {
    const i = cleanups.indexOf(entry);
    if (i === -1) return;
    cleanups.splice(i, 1);
    await entry.run();
  };
}

let cleaning: Promise<void> | null = null;

/**
 * Runs every registered cleanup, newest first; a failing one does not stop the others. Callers
 * that arrive while a cleanup is under way (a signal during an error) wait for the same one.
 */
export function cleanUpAll(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const entry = cleanups.pop() as (typeof cleanups)[number];
      try {
        await entry.run();
      } catch (error) {
        console.error(`cleanup of ${entry.name} failed: ${(error as Error).message}`);
      }
    }
  })().finally(() => {
    cleaning = null;
  });
  return cleaning;
}

export interface Tracked {
  child: ChildProcess;
  pid: number;
  /** SIGTERM by pid, SIGKILL 10 s later; resolves once the process has exited. */
  stop(): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Spawns a child whose output goes to `logFile`, registered for cleanup by its pid. */
export function spawnTracked(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions & { logFile: string },
): Tracked {
  const { logFile, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const pid = child.pid;
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const stop = async () => {
    if (alive(child)) {
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (alive(child)) process.kill(pid, 'SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
  };
  const unregister = onCleanup(`${name} (pid ${pid})`, () => stop());
  return { child, pid, exited, stop: () => unregister() };
}

/** A free TCP port on the loopback address (closed again before it is returned). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
