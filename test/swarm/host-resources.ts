// Everything the Swarm harness creates on the host, recorded as it is created (in memory and
// in `<root>/manifest.json`) so that teardown removes exactly that — even after a crash.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { toolPath } from './prerequisites';

export interface HostRecord {
  ownerPid: number;
  /** Temp directory holding every daemon's data, exec root, socket and log. */
  root: string;
  bridge?: string;
  /** iptables arguments after `-I FORWARD` / `-D FORWARD`, when the rule was inserted. */
  forwardRule?: string[];
  netns: string[];
  /** Host-side ends of the veth pairs. */
  veths: string[];
  daemonPids: number[];
}

export const MANIFEST = 'manifest.json';
export const ROOT_PREFIX = 'dhc-swarm-';

export function saveRecord(record: HostRecord): void {
  writeFileSync(path.join(record.root, MANIFEST), JSON.stringify(record, null, 2));
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, PATH: toolPath },
  });
  const output =
    `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`.trim();
  return { ok: result.status === 0, output };
}

export function mustRun(command: string, args: string[]): string {
  const { ok, output } = run(command, args);
  if (!ok) throw new Error(`${command} ${args.join(' ')} failed: ${output}`);
  return output;
}

export function createBridge(record: HostRecord, name: string): void {
  mustRun('ip', ['link', 'add', name, 'type', 'bridge']);
  record.bridge = name;
  saveRecord(record);
  mustRun('ip', ['link', 'set', name, 'up']);
}

/**
 * Bridged traffic goes through iptables here (br_netfilter), and a dockerd that ran in the
 * host namespace may have set the FORWARD policy to DROP: accept our own bridge's traffic.
 */
export function allowBridgeForwarding(record: HostRecord): string | undefined {
  if (!record.bridge) throw new Error('create the bridge first');
  const rule = ['-i', record.bridge, '-o', record.bridge, '-j', 'ACCEPT'];
  const { ok, output } = run('iptables', ['-I', 'FORWARD', ...rule]);
  if (!ok) return `no FORWARD rule for ${record.bridge} (${output || 'iptables unavailable'})`;
  record.forwardRule = rule;
  saveRecord(record);
  return undefined;
}

export interface NodeNetwork {
  netns: string;
  hostVeth: string;
  peerVeth: string;
  /** Address with prefix length, e.g. 10.77.3.11/24. */
  cidr: string;
}

export function createNodeNetwork(record: HostRecord, network: NodeNetwork): void {
  if (!record.bridge) throw new Error('create the bridge first');
  mustRun('ip', ['netns', 'add', network.netns]);
  record.netns.push(network.netns);
  saveRecord(record);
  mustRun('ip', [
    'link',
    'add',
    network.hostVeth,
    'type',
    'veth',
    'peer',
    'name',
    network.peerVeth,
  ]);
  record.veths.push(network.hostVeth);
  saveRecord(record);
  mustRun('ip', ['link', 'set', network.hostVeth, 'master', record.bridge, 'up']);
  mustRun('ip', ['link', 'set', network.peerVeth, 'netns', network.netns]);
  const inNs = (...args: string[]) => mustRun('ip', ['-n', network.netns, ...args]);
  inNs('link', 'set', network.peerVeth, 'name', 'eth0');
  inNs('addr', 'add', network.cidr, 'dev', 'eth0');
  inNs('link', 'set', 'eth0', 'up');
  inNs('link', 'set', 'lo', 'up');
}

/** True when `pid` is a live (not zombie) process whose command line mentions `root`. */
export function isOurProcess(pid: number, root: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return false;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(root);
  } catch {
    return false;
  }
}

/** Every live process whose command line mentions `root` (dockerd, its containerd, shims). */
function processesUnder(root: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid && isOurProcess(pid, `${root}/`));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function mountsUnder(root: string): string[] {
  const unescape = (field: string) =>
    field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => unescape(line.split(' ')[4] ?? ''))
    .filter((mountPoint) => mountPoint === root || mountPoint.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
}

/**
 * Removes everything in `record`, synchronously (it also runs from `process.on('exit')`).
 * Daemons still running are killed with SIGKILL. Returns what could not be removed.
 */
export function releaseResources(record: HostRecord): string[] {
  const problems: string[] = [];
  const root = record.root;

  for (let attempt = 0; attempt < 50; attempt++) {
    const alive = [
      ...record.daemonPids.filter((pid) => isOurProcess(pid, root)),
      ...processesUnder(root),
    ];
    if (alive.length === 0) break;
    for (const pid of new Set(alive)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    sleepSync(100);
  }
  const survivors = processesUnder(root);
  if (survivors.length > 0) problems.push(`processes still running: ${survivors.join(', ')}`);

  // dockerd leaves nsfs mounts (ingress_sbox, overlay sandboxes) and a bind mount of its data
  // root behind; lazily unmount them, deepest first, until none is left.
  for (let pass = 0; pass < 5 && mountsUnder(root).length > 0; pass++) {
    for (const mountPoint of mountsUnder(root)) run('umount', ['-l', mountPoint]);
  }
  const leftMounts = mountsUnder(root);
  if (leftMounts.length > 0) problems.push(`still mounted: ${leftMounts.join(', ')}`);

  for (const veth of record.veths) {
    if (existsSync(`/sys/class/net/${veth}`)) run('ip', ['link', 'del', veth]);
  }
  for (const netns of record.netns) {
    if (existsSync(`/var/run/netns/${netns}`)) {
      const { ok, output } = run('ip', ['netns', 'del', netns]);
      if (!ok) problems.push(`netns ${netns}: ${output}`);
    }
  }
  if (record.bridge && existsSync(`/sys/class/net/${record.bridge}`)) {
    const { ok, output } = run('ip', ['link', 'del', record.bridge]);
    if (!ok) problems.push(`bridge ${record.bridge}: ${output}`);
  }
  if (record.forwardRule) {
    const { ok, output } = run('iptables', ['-D', 'FORWARD', ...record.forwardRule]);
    if (!ok) problems.push(`iptables FORWARD rule ${record.forwardRule.join(' ')}: ${output}`);
  }

  // Only once nothing is mounted below it, and never across a file-system boundary.
  if (leftMounts.length === 0 && existsSync(root)) {
    const { ok, output } = run('rm', ['-rf', '--one-file-system', root]);
    if (!ok) problems.push(`${root}: ${output}`);
  }
  return problems;
}

function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Tears down what an earlier run left behind when its process died before cleaning up. */
export function sweepAbandoned(tmpRoot: string): string[] {
  const swept: string[] = [];
  for (const entry of readdirSync(tmpRoot)) {
    if (!entry.startsWith(ROOT_PREFIX)) continue;
    const manifest = path.join(tmpRoot, entry, MANIFEST);
    let record: HostRecord;
    try {
      record = JSON.parse(readFileSync(manifest, 'utf8')) as HostRecord;
    } catch {
      continue;
    }
    if (record.root !== path.join(tmpRoot, entry) || ownerAlive(record.ownerPid)) continue;
    const problems = releaseResources(record);
    swept.push(problems.length === 0 ? entry : `${entry} (${problems.join('; ')})`);
  }
  return swept;
}
