// One dockerd per node: its own network namespace, hostname, data and exec roots, and socket.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { engineCall } from './engine-client';
import { saveRecord, type HostRecord } from './host-resources';
import { findExecutable, toolPath } from './prerequisites';
import { delay } from './wait';

export interface NodePlan {
  hostname: string;
  address: string;
  role: 'manager' | 'worker';
  netns: string;
  dir: string;
  socketPath: string;
}

export function dockerdFlags(node: NodePlan, supportsIp6tables: boolean): string[] {
  const configFile = path.join(node.dir, 'daemon.json');
  writeFileSync(configFile, '{}\n'); // not the host's /etc/docker/daemon.json
  return [
    '--config-file',
    configFile,
    '--data-root',
    path.join(node.dir, 'data'),
    '--exec-root',
    path.join(node.dir, 'exec'),
    '--pidfile',
    path.join(node.dir, 'docker.pid'),
    '-H',
    `unix://${node.socketPath}`,
    '--bridge',
    'none',
    '--iptables=false',
    ...(supportsIp6tables ? ['--ip6tables=false'] : []),
    // Containers do run (the stand-in bootstrapper of test/swarm/standin.ts), without network
    // (`--bridge none`): vfs needs no kernel support and leaves no overlay mounts.
    '--storage-driver',
    'vfs',
  ];
}

export function logTail(node: NodePlan): string {
  try {
    const lines = readFileSync(path.join(node.dir, 'dockerd.log'), 'utf8').trimEnd().split('\n');
    return `\n--- ${node.hostname} dockerd.log (tail) ---\n${lines.slice(-15).join('\n')}`;
  } catch {
    return '';
  }
}

export async function startDaemon(
  record: HostRecord,
  node: NodePlan,
  flags: string[],
  deadline: number,
): Promise<number> {
  const dockerd = findExecutable('dockerd');
  if (!dockerd) throw new Error('dockerd not found');
  const log = openSync(path.join(node.dir, 'dockerd.log'), 'a');
  // nsenter (not `ip netns exec`, which remounts /sys and hides the cgroup mounts dockerd
  // needs) → unshare --uts for the node's own hostname → exec dockerd: one pid throughout.
  const child = spawn(
    'nsenter',
    [
      `--net=/var/run/netns/${node.netns}`,
      'unshare',
      '--uts',
      '--',
      'sh',
      '-c',
      'echo "$1" > /proc/sys/kernel/hostname && shift && exec "$@"',
      'sh',
      node.hostname,
      dockerd,
      ...flags,
    ],
    { stdio: ['ignore', log, log], env: { ...process.env, PATH: toolPath } },
  );
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start dockerd for ${node.hostname}`);
  record.daemonPids.push(child.pid);
  saveRecord(record);
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `exited (${signal ?? code})`));
  for (;;) {
    if (exited) throw new Error(`dockerd on ${node.hostname} ${exited}${logTail(node)}`);
    if (Date.now() > deadline)
      throw new Error(`dockerd on ${node.hostname} never answered /_ping${logTail(node)}`);
    const ping = await engineCall(node.socketPath, '/_ping', { timeoutMs: 1_000 });
    if (ping.kind === 'response' && ping.status === 200) break;
    await delay(200);
  }
  const pid = Number(readFileSync(path.join(node.dir, 'docker.pid'), 'utf8').trim());
  if (pid !== child.pid)
    throw new Error(`dockerd pid ${pid} is not the started process ${child.pid}`);
  return pid;
}
