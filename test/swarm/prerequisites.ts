// What the real-Swarm harness needs from the machine, and installing it with apt when we may.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** PATH for the commands we run: root's sbin directories are often missing from a test's PATH. */
export const toolPath = [...new Set([...(process.env.PATH ?? '').split(':'), ...SYSTEM_DIRS])]
  .filter(Boolean)
  .join(':');

export function findExecutable(name: string): string | undefined {
  for (const dir of toolPath.split(':')) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Why the real-Swarm tests cannot run here, or undefined when they can. */
export function swarmUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux (network namespaces)';
  if (process.getuid?.() !== 0) {
    return 'needs root: it creates network namespaces, a bridge and runs dockerd';
  }
  for (const tool of ['nsenter', 'unshare']) {
    if (!findExecutable(tool)) return `needs ${tool} (util-linux)`;
  }
  const canInstall = findExecutable('apt-get') !== undefined;
  if (!findExecutable('dockerd') && !canInstall) {
    return "needs Debian's docker.io (dockerd) and apt-get is not available to install it";
  }
  if (!findExecutable('ip') && !canInstall) {
    return 'needs iproute2 (ip) and apt-get is not available to install it';
  }
  return undefined;
}

let reasonPrinted = false;

/** For `describe.skipIf(!canRunSwarm())`: prints why once when the answer is no. */
export function canRunSwarm(): boolean {
  const reason = swarmUnavailableReason();
  if (reason && !reasonPrinted) {
    reasonPrinted = true;
    console.warn(`Skipping the real Docker Swarm tests: ${reason}.`);
  }
  return reason === undefined;
}

function runInherited(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PATH: toolPath, DEBIAN_FRONTEND: 'noninteractive' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`)),
    );
  });
}

/** Installs docker.io and iproute2 with apt-get when dockerd or ip is missing (root only). */
export async function ensureSwarmPackages(): Promise<void> {
  const missing = [
    ...(findExecutable('dockerd') ? [] : ['docker.io']),
    ...(findExecutable('ip') ? [] : ['iproute2']),
  ];
  if (missing.length === 0) return;
  console.log(`Installing ${missing.join(', ')} with apt-get for the Swarm tests…`);
  await runInherited('apt-get', ['update', '-qq']);
  await runInherited('apt-get', ['install', '-y', '-qq', ...missing]);
}
