// Starts a TypeScript child process the way Next's server bundle runs our code (`react-server`
// makes `server-only` the empty module) and waits for the line `READY {json}` it prints once up.
// Used by the crash-safety and console-HA suites, which kill such children on purpose.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface ReadyChild<Ready> {
  child: ChildProcess;
  /** The JSON after READY. */
  ready: Ready;
  /** Date.now() when READY arrived. */
  readyAt: number;
  stderr(): string;
  /** Everything it printed on stdout, READY line included. */
  stdout(): string;
}

export function startReadyChild<Ready>(
  script: string,
  env: Record<string, string>,
  options: {
    /** Names the child in errors. */
    label: string;
    timeoutMs: number;
    /** Children still running: the caller kills them after the suite. */
    live: Set<ChildProcess>;
  },
): Promise<ReadyChild<Ready>> {
  const { label, timeoutMs, live } = options;
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${label}: no READY within ${timeoutMs} ms; stderr: ${err}`)),
      timeoutMs,
    );
    const exitedEarly = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited before READY (${code ?? signal}); stderr: ${err}`));
    };
    child.once('exit', exitedEarly);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^READY (.+)$/m.exec(out);
      if (!line?.[1]) return;
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      resolve({
        child,
        ready: JSON.parse(line[1]) as Ready,
        readyAt: Date.now(),
        stderr: () => err,
        stdout: () => out,
      });
    });
  });
}
