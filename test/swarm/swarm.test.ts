// Raw Engine API facts of a real Docker Swarm (docker.io daemons in network namespaces) that
// the console's Swarm adapter relies on: node inventory, a killed manager, quorum loss.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeOutcome, engineCall, engineJson, type EngineOutcome } from './engine-client';
import { canRunSwarm, startSwarm, type Swarm } from './harness';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const REQUEST_TIMEOUT_MS = 2_000;

const swarmNodes = z.array(
  z.object({
    ID: z.string(),
    Spec: z.object({ Role: z.enum(['manager', 'worker']), Availability: z.string() }),
    Description: z.object({ Hostname: z.string() }),
    Status: z.object({ State: z.string(), Addr: z.string().optional() }),
    ManagerStatus: z
      .object({ Leader: z.boolean().optional(), Reachability: z.string(), Addr: z.string() })
      .optional(),
  }),
);
type SwarmNodes = z.infer<typeof swarmNodes>;

const readNodes = async (socketPath: string) =>
  swarmNodes.parse(await engineJson(socketPath, '/nodes', { timeoutMs: REQUEST_TIMEOUT_MS }));

const byHostname = (nodes: SwarmNodes, hostname: string) => {
  const node = nodes.find((n) => n.Description.Hostname === hostname);
  if (!node) throw new Error(`${hostname} missing from /nodes`);
  return node;
};

/** Polls until `probe` returns a value; returns it with the time it took. */
async function measure<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      const value = await probe();
      if (value !== undefined) return { value, ms: Date.now() - started };
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (last error: ${String(lastError)})`);
}

const FIXTURE_NOTES: Record<string, string> = {
  'swarm-nodes.json': 'healthy swarm: 3 managers (one leader) and 1 worker, all ready',
  'swarm-nodes-manager-down.json':
    'a follower manager SIGKILLed: `Status.State: down`, `Reachability: unreachable`',
  'swarm-nodes-no-leader.json':
    'status and body of `GET /nodes` on the last of 3 managers, once quorum is lost',
};

/** Real payloads for contract tests; refreshed only on request so runs do not churn them. */
function saveFixture(name: string, payload: unknown, engineVersion: string): void {
  const file = path.join(FIXTURES, name);
  if (existsSync(file) && process.env.UPDATE_SWARM_FIXTURES !== '1') return;
  mkdirSync(FIXTURES, { recursive: true });
  writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
  const notes = Object.entries(FIXTURE_NOTES).map(
    ([fixture, note]) => `- \`${fixture}\`: ${note}.`,
  );
  writeFileSync(
    path.join(FIXTURES, 'README.md'),
    [
      '# Real Docker Swarm payloads',
      '',
      `Unedited Engine API output of Debian's docker.io ${engineVersion}, captured by`,
      '`test/swarm/swarm.test.ts` from a swarm started by `test/swarm/harness.ts` (addresses are',
      'from the test bridge; IDs and certificates are throwaway). Nothing is sanitized.',
      'Re-capture with `UPDATE_SWARM_FIXTURES=1 npx vitest run test/swarm`.',
      '',
      ...notes,
      '',
    ].join('\n'),
  );
  console.log(`Saved real ${name} from docker.io ${engineVersion}`);
}

describe.skipIf(!canRunSwarm())('a real Docker Swarm (docker.io daemons)', () => {
  let swarm: Swarm | undefined;
  const started = Date.now();

  const live = () => {
    if (!swarm) throw new Error('the swarm did not start');
    return swarm;
  };
  const managers = () => live().nodes.filter((n) => n.role === 'manager');

  beforeAll(async () => {
    swarm = await startSwarm({ managers: 3, workers: 1, namePrefix: 'dhc' });
    console.log(`Swarm of 3 managers + 1 worker formed in ${Date.now() - started} ms`);
  }, 240_000);

  afterAll(async () => {
    await swarm?.stop();
  }, 60_000);

  it('lists every node ready, three reachable managers and exactly one leader', async () => {
    const payload = await engineJson(live().managerSocket(0), '/nodes');
    const nodes = swarmNodes.parse(payload);

    expect(nodes.map((n) => n.Description.Hostname).sort()).toEqual(
      live()
        .nodes.map((n) => n.hostname)
        .sort(),
    );
    expect(nodes.every((n) => n.Status.State === 'ready')).toBe(true);
    const managerEntries = nodes.filter((n) => n.Spec.Role === 'manager');
    expect(managerEntries).toHaveLength(3);
    expect(managerEntries.every((n) => n.ManagerStatus?.Reachability === 'reachable')).toBe(true);
    expect(managerEntries.filter((n) => n.ManagerStatus?.Leader === true)).toHaveLength(1);
    const worker = byHostname(nodes, 'dhc-worker-1');
    expect(worker.Spec.Role).toBe('worker');
    expect(worker.ManagerStatus).toBeUndefined();
    for (const manager of managers()) {
      expect(byHostname(nodes, manager.hostname).ManagerStatus?.Addr).toBe(
        `${manager.address}:2377`,
      );
    }

    saveFixture('swarm-nodes.json', payload, live().engineVersion);
  });

  /** The harness node that currently leads, and the other managers still running. */
  async function leaderAndFollowers() {
    const running = [];
    for (const manager of managers()) {
      const ping = await engineCall(manager.socketPath, '/_ping', {
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
      if (ping.kind === 'response' && ping.status === 200) running.push(manager);
    }
    const [anyRunning] = running;
    if (!anyRunning) throw new Error('no manager is running');
    const nodes = await readNodes(anyRunning.socketPath);
    const leaderName = nodes.find((n) => n.ManagerStatus?.Leader === true)?.Description.Hostname;
    const leader = running.find((m) => m.hostname === leaderName);
    if (!leader) throw new Error(`the leader ${leaderName} is not a running manager`);
    return { leader, followers: running.filter((m) => m !== leader) };
  }

  async function untilUnreachable(
    observer: string,
    socketPath: string,
    hostname: string,
    killedAt: number,
  ) {
    await measure(`${hostname} unreachable`, 60_000, async () => {
      const nodes = await readNodes(socketPath);
      return byHostname(nodes, hostname).ManagerStatus?.Reachability === 'unreachable'
        ? true
        : undefined;
    });
    const ms = Date.now() - killedAt;
    console.log(`${observer} reported ${hostname} unreachable ${ms} ms after the kill`);
  }

  it('reports a killed follower manager unreachable, then down', async () => {
    const { leader, followers } = await leaderAndFollowers();
    const [victim, follower] = followers;
    if (!victim || !follower) throw new Error('expected two followers');

    const killedAt = Date.now();
    await live().kill(victim.hostname);
    await untilUnreachable(
      `leader ${leader.hostname}`,
      leader.socketPath,
      victim.hostname,
      killedAt,
    );
    await untilUnreachable(
      `follower ${follower.hostname}`,
      follower.socketPath,
      victim.hostname,
      killedAt,
    );

    const { value: payload } = await measure(`${victim.hostname} down`, 60_000, async () => {
      const raw = await engineJson(leader.socketPath, '/nodes', { timeoutMs: REQUEST_TIMEOUT_MS });
      const current = swarmNodes.parse(raw);
      return byHostname(current, victim.hostname).Status.State === 'down' ? raw : undefined;
    });
    const nodes = swarmNodes.parse(payload);
    console.log(`...and Status.State "down" ${Date.now() - killedAt} ms after the kill`);
    const others = nodes.filter((n) => n.Description.Hostname !== victim.hostname);
    expect(others.every((n) => n.Status.State === 'ready')).toBe(true);
    expect(others.every((n) => n.ManagerStatus?.Reachability !== 'unreachable')).toBe(true);
    expect(nodes.filter((n) => n.ManagerStatus?.Leader === true)).toHaveLength(1);
    saveFixture('swarm-nodes-manager-down.json', payload, live().engineVersion);
  }, 240_000);

  it('stops answering /nodes once quorum is lost, while /_ping still says OK', async () => {
    // Whatever the previous test left, kill every manager but the leader: 1 of 3 remains.
    const { leader: survivor, followers: victims } = await leaderAndFollowers();
    for (const victim of victims) await live().kill(victim.hostname);
    const killedAt = Date.now();

    // The survivor first still answers, and reports the loss.
    for (const victim of victims) {
      await untilUnreachable(
        `survivor ${survivor.hostname}`,
        survivor.socketPath,
        victim.hostname,
        killedAt,
      );
    }

    const outcomes: EngineOutcome[] = [];
    const { value: failure } = await measure('/nodes to fail', 90_000, async () => {
      const outcome = await engineCall(survivor.socketPath, '/nodes', {
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
      outcomes.push(outcome);
      return outcome.kind === 'response' && outcome.status === 200 ? undefined : outcome;
    });
    console.log(
      `Without quorum, /nodes on the survivor first failed ${Date.now() - killedAt} ms after ` +
        `the kill: ${describeOutcome(failure)}`,
    );
    // Every bounded request ended on time, whatever the daemon did: nothing hangs the test.
    expect(Math.max(...outcomes.map((o) => o.elapsedMs))).toBeLessThan(REQUEST_TIMEOUT_MS + 1_000);

    // Later the daemon answers again, with an error that names the cause.
    const { value: noLeader } = await measure('a "no leader" error', 60_000, async () => {
      const outcome = await engineCall(survivor.socketPath, '/nodes', {
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
      return outcome.kind === 'response' && outcome.status >= 500 ? outcome : undefined;
    });
    console.log(
      `...then, ${Date.now() - killedAt} ms after the kill: ${describeOutcome(noLeader)}`,
    );
    expect(JSON.stringify(noLeader.body)).toMatch(/does not have a leader/);
    saveFixture(
      'swarm-nodes-no-leader.json',
      { status: noLeader.status, body: noLeader.body },
      live().engineVersion,
    );

    const ping = await engineCall(survivor.socketPath, '/_ping', { timeoutMs: REQUEST_TIMEOUT_MS });
    expect(ping).toMatchObject({ kind: 'response', status: 200, body: 'OK' });
  }, 240_000);
});
