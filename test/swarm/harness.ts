// A real Docker Swarm for tests: Debian's docker.io daemons, one per network namespace, joined
// over a private bridge that exists only for the test. See test/swarm/README.md.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { dockerdFlags, startDaemon, type NodePlan } from './daemon';
import { engineJson } from './engine-client';
import {
  allowBridgeForwarding,
  createBridge,
  createNodeNetwork,
  isOurProcess,
  releaseResources,
  ROOT_PREFIX,
  saveRecord,
  sweepAbandoned,
  type HostRecord,
} from './host-resources';
import { ensureSwarmPackages, findExecutable, swarmUnavailableReason } from './prerequisites';
import { pickSubnet } from './subnet';
import { until } from './wait';

export { canRunSwarm, swarmUnavailableReason } from './prerequisites';

export interface SwarmNode {
  hostname: string;
  /** The node's address on the test bridge (exists only inside the test namespaces). */
  address: string;
  /** Unix socket of this node's Engine API. */
  socketPath: string;
  pid: number;
  role: 'manager' | 'worker';
  netns: string;
  /** Swarm node ID, as in `/nodes`. */
  nodeId: string;
}

export interface Swarm {
  nodes: readonly SwarmNode[];
  /** Version of the docker.io daemons, e.g. `20.10.24+dfsg1`. */
  engineVersion: string;
  /** Socket of manager `index` (0-based); manager 0 ran `swarm init` and led at formation. */
  managerSocket(index: number): string;
  /** SIGKILLs the node's daemon: a real, unannounced node failure. */
  kill(hostname: string): Promise<void>;
  /** Stops every daemon and removes every namespace, link, rule, mount and file created. */
  stop(): Promise<void>;
}

export interface SwarmOptions {
  managers?: number;
  workers?: number;
  /** Start of every hostname: `<prefix>-manager-1`, `<prefix>-worker-1`. */
  namePrefix?: string;
  /** How long formation may take, in ms. */
  timeoutMs?: number;
}

const live = new Set<HostRecord>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  const releaseAll = () => {
    for (const record of live) releaseResources(record);
    live.clear();
  };
  process.on('exit', releaseAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      releaseAll();
      // Keep the default behaviour (terminate) unless someone else handles the signal too.
      if (process.listenerCount(signal) === 1) process.exit(128 + constants.signals[signal]);
    };
    process.on(signal, onSignal);
  }
}

const swarmInfo = z.object({
  JoinTokens: z.object({ Manager: z.string(), Worker: z.string() }),
});
const nodeList = z.array(
  z.object({
    ID: z.string(),
    Description: z.object({ Hostname: z.string() }),
    Status: z.object({ State: z.string() }),
    ManagerStatus: z.object({ Reachability: z.string() }).optional(),
  }),
);
const engineVersion = z.object({ Version: z.string() });

export async function startSwarm(options: SwarmOptions = {}): Promise<Swarm> {
  const { managers = 3, workers = 0, namePrefix = 'dhc', timeoutMs = 120_000 } = options;
  const unavailable = swarmUnavailableReason();
  if (unavailable) throw new Error(`cannot start a Swarm: ${unavailable}`);
  if (!Number.isInteger(managers) || managers < 1 || managers > 7) throw new Error('managers: 1–7');
  if (!Number.isInteger(workers) || workers < 0 || workers > 9) throw new Error('workers: 0–9');
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(namePrefix)) throw new Error(`bad name prefix ${namePrefix}`);
  const deadline = Date.now() + timeoutMs;

  await ensureSwarmPackages();
  const tmpRoot = tmpdir();
  for (const swept of sweepAbandoned(tmpRoot))
    console.warn(`Removed an abandoned test swarm: ${swept}`);

  const id = randomBytes(3).toString('hex');
  const root = path.join(tmpRoot, `${ROOT_PREFIX}${id}`);
  mkdirSync(root, { recursive: false, mode: 0o700 });
  const record: HostRecord = { ownerPid: process.pid, root, netns: [], veths: [], daemonPids: [] };
  saveRecord(record);
  live.add(record);
  installExitHooks();

  const release = () => {
    const problems = releaseResources(record);
    live.delete(record);
    if (problems.length > 0) throw new Error(`Swarm cleanup incomplete: ${problems.join('; ')}`);
  };

  try {
    const subnet = pickSubnet();
    const planned: NodePlan[] = [
      ...Array.from({ length: managers }, (_, i) => ({
        role: 'manager' as const,
        name: `manager-${i + 1}`,
      })),
      ...Array.from({ length: workers }, (_, i) => ({
        role: 'worker' as const,
        name: `worker-${i + 1}`,
      })),
    ].map(({ role, name }, i) => {
      const hostname = `${namePrefix}-${name}`;
      const dir = path.join(root, name);
      mkdirSync(dir);
      return {
        hostname,
        role,
        address: `${subnet}.${11 + i}`,
        netns: `dhc-${id}-${name}`,
        dir,
        socketPath: path.join(dir, 'docker.sock'),
      };
    });
    if (planned.some((n) => n.socketPath.length > 100))
      throw new Error(`temp path too long: ${root}`);

    createBridge(record, `dhc${id}`);
    const forwarding = allowBridgeForwarding(record);
    if (forwarding) console.warn(`Swarm harness: ${forwarding}`);
    planned.forEach((node, i) =>
      createNodeNetwork(record, {
        netns: node.netns,
        hostVeth: `dhc${id}h${i}`,
        peerVeth: `dhc${id}p${i}`,
        cidr: `${node.address}/24`,
      }),
    );

    const help = spawnSync(findExecutable('dockerd') ?? 'dockerd', ['--help'], {
      encoding: 'utf8',
    }).stdout;
    const supportsIp6tables = help.includes('--ip6tables');
    const pids = await Promise.all(
      planned.map((node) =>
        startDaemon(record, node, dockerdFlags(node, supportsIp6tables), deadline),
      ),
    );

    const [first, ...others] = planned;
    if (!first) throw new Error('no nodes');
    await engineJson(first.socketPath, '/swarm/init', {
      method: 'POST',
      body: { ListenAddr: `${first.address}:2377`, AdvertiseAddr: `${first.address}:2377` },
      timeoutMs: 30_000,
    });
    const tokens = swarmInfo.parse(await engineJson(first.socketPath, '/swarm')).JoinTokens;
    const join = (node: NodePlan) =>
      engineJson(node.socketPath, '/swarm/join', {
        method: 'POST',
        body: {
          ListenAddr: `${node.address}:2377`,
          AdvertiseAddr: `${node.address}:2377`,
          RemoteAddrs: [`${first.address}:2377`],
          JoinToken: node.role === 'manager' ? tokens.Manager : tokens.Worker,
        },
        timeoutMs: 60_000,
      });
    // Raft membership changes one at a time; workers can join together afterwards.
    for (const node of others.filter((n) => n.role === 'manager')) await join(node);
    await Promise.all(others.filter((n) => n.role === 'worker').map(join));

    const listed = await until(
      'every node ready and every manager reachable',
      deadline,
      async () => {
        const nodes = nodeList.parse(
          await engineJson(first.socketPath, '/nodes', { timeoutMs: 5_000 }),
        );
        const ready =
          nodes.length === planned.length &&
          nodes.every(
            (n) =>
              n.Status.State === 'ready' &&
              (n.ManagerStatus === undefined || n.ManagerStatus.Reachability === 'reachable'),
          );
        return ready ? nodes : undefined;
      },
    );
    const version = engineVersion.parse(await engineJson(first.socketPath, '/version')).Version;

    const nodes: SwarmNode[] = planned.map((node, i) => {
      const listedNode = listed.find((n) => n.Description.Hostname === node.hostname);
      if (!listedNode) throw new Error(`${node.hostname} is missing from /nodes`);
      return {
        hostname: node.hostname,
        address: node.address,
        socketPath: node.socketPath,
        pid: pids[i]!,
        role: node.role,
        netns: node.netns,
        nodeId: listedNode.ID,
      };
    });
    const managerNodes = nodes.filter((n) => n.role === 'manager');

    return {
      nodes,
      engineVersion: version,
      managerSocket(index) {
        const manager = managerNodes[index];
        if (!manager)
          throw new Error(`no manager ${index} (0-based; ${managerNodes.length} managers)`);
        return manager.socketPath;
      },
      async kill(hostname) {
        const node = nodes.find((n) => n.hostname === hostname);
        if (!node) throw new Error(`no node ${hostname}`);
        if (!isOurProcess(node.pid, root)) return;
        process.kill(node.pid, 'SIGKILL');
        await until(`${hostname}'s dockerd to die`, Date.now() + 10_000, async () =>
          isOurProcess(node.pid, root) ? undefined : true,
        );
      },
      async stop() {
        if (!live.has(record)) return;
        for (const pid of record.daemonPids) {
          if (isOurProcess(pid, root)) process.kill(pid, 'SIGTERM');
        }
        await until('daemons to stop', Date.now() + 5_000, async () =>
          record.daemonPids.some((pid) => isOurProcess(pid, root)) ? undefined : true,
        ).catch(() => undefined); // whatever is left gets SIGKILL
        release();
      },
    };
  } catch (err) {
    try {
      release();
    } catch (cleanupErr) {
      console.error(cleanupErr);
    }
    throw err;
  }
}
