// The console's Engine adapter and monitor against a real Docker Swarm (docker.io daemons in
// network namespaces), configured exactly as the README's plain-Swarm example says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ClusterTarget } from '@/lib/config';
import { assessCluster } from '@/lib/domain/assess';
import type { ClusterSnapshot, WarningCode } from '@/lib/domain/types';
import { Monitor } from '@/lib/monitor/monitor';
import { canRunSwarm, startSwarm, type Swarm, type SwarmNode } from './harness';
import { EXAMPLE_SOCKET, exampleEnv } from './live-example';

/** The README's Swarm example, line for line, with the socket of the harness's first manager. */
function readmeEnv(socketPath: string): Record<string, string> {
  const env = exampleEnv('swarm');
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value.replace(EXAMPLE_SOCKET, socketPath)]),
  );
}

async function readmeTarget(socketPath: string): Promise<ClusterTarget> {
  const config = loadConfig(readmeEnv(socketPath));
  if (config.mode !== 'live') throw new Error('the README example did not start live mode');
  return config.resolveTarget();
}

interface Seen {
  atMs: number;
  snapshot: ClusterSnapshot;
  codes: WarningCode[];
}

const codesOf = (s: ClusterSnapshot) => assessCluster(s).map((w) => w.code);
const reachabilityOf = (s: ClusterSnapshot, hostname: string) =>
  s.ucp.nodes.find((n) => n.hostname === hostname)?.manager?.reachability;

describe.skipIf(!canRunSwarm())('the console against a real Docker Swarm', () => {
  let swarm: Swarm | undefined;
  let monitor: Monitor | undefined;
  const logs: string[] = [];

  const live = () => {
    if (!swarm) throw new Error('the swarm did not start');
    return swarm;
  };

  beforeAll(async () => {
    swarm = await startSwarm({ managers: 3, namePrefix: 'dhcc' });
  }, 240_000);

  afterAll(async () => {
    monitor?.stop();
    await swarm?.stop();
  }, 60_000);

  it('runs the README example as written: 3 managers reachable, one leader, quorum healthy', async () => {
    const target = await readmeTarget(live().managerSocket(0));
    expect(target).toMatchObject({ ucp: null, dtr: null, pollIntervalMs: 2000 });
    const s = await new Monitor({ target, mode: 'live', log: (l) => logs.push(l) }).pollNow();

    const managers = live().nodes.filter((n) => n.role === 'manager');
    expect(s.ucp.via).toBe('engine');
    expect(s.ucp.nodes.map((n) => n.hostname).sort()).toEqual(managers.map((n) => n.hostname));
    expect(s.ucp.managers).toMatchObject({
      total: 3,
      reachable: 3,
      majority: 2,
      failuresTolerated: 1,
      margin: 1,
      status: 'healthy',
    });
    expect(managers.map((n) => n.hostname)).toContain(s.ucp.managers.leader);
    expect(s.ucp.nodes.filter((n) => n.manager?.leader)).toHaveLength(1);
    expect(s.ucp.nodes.every((n) => n.engineVersion === live().engineVersion)).toBe(true);
    expect(s.sources.ucp.state).toBe('ok');
    expect(s.sources.dtr).toMatchObject({ configured: false, state: 'ok' });
    expect(codesOf(s)).toEqual([]);
    expect(logs).toEqual([]);
  });

  it('follows a manager failure to quorum at risk, then to quorum lost, and never hangs', async () => {
    const socketNode = live().nodes.find((n) => n.socketPath === live().managerSocket(0));
    if (!socketNode) throw new Error('no manager behind socket 0');
    const target = await readmeTarget(socketNode.socketPath);
    const { pollIntervalMs, probeTimeoutMs } = target;
    const seen: Seen[] = [];
    monitor = new Monitor({
      target,
      mode: 'live',
      log: (l) => logs.push(l),
      onSnapshot: (snapshot) =>
        seen.push({ atMs: performance.now(), snapshot, codes: codesOf(snapshot) }),
    });
    monitor.start();

    const waitFor = async (
      what: string,
      since: number,
      limitMs: number,
      ok: (s: Seen) => boolean,
    ) => {
      for (;;) {
        const hit = seen.find((s) => s.atMs >= since && ok(s));
        if (hit) return hit;
        if (performance.now() - since > limitMs)
          throw new Error(
            `${what}: not within ${limitMs} ms; last: ${JSON.stringify(seen.at(-1)?.snapshot.ucp.managers)} ${seen.at(-1)?.snapshot.sources.ucp.lastError}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    const healthy = await waitFor(
      'a healthy first poll',
      0,
      10_000,
      (s) => s.snapshot.ucp.managers.status === 'healthy',
    );
    const leader = healthy.snapshot.ucp.managers.leader;
    const others = live().nodes.filter(
      (n): n is SwarmNode => n.role === 'manager' && n !== socketNode,
    );
    const [victim, secondVictim] = [
      ...others.filter((n) => n.hostname !== leader),
      ...others.filter((n) => n.hostname === leader),
    ];
    if (!victim || !secondVictim) throw new Error('expected two other managers');

    // Bound: Swarm notices a dead follower within ~1 s; the console polls every interval, and a
    // flip costs at most one confirming retry.
    const detectionBoundMs = 1_000 + pollIntervalMs + 2 * probeTimeoutMs + 1_000;

    const killedAt = performance.now();
    await live().kill(victim.hostname);
    const atRisk = await waitFor(
      'margin 0 after one manager died',
      killedAt,
      30_000,
      (s) =>
        reachabilityOf(s.snapshot, victim.hostname) === 'unreachable' &&
        s.snapshot.ucp.managers.margin === 0 &&
        s.snapshot.ucp.managers.status === 'at-risk',
    );
    const atRiskMs = Math.round(atRisk.atMs - killedAt);
    expect(atRisk.codes).toContain('UCP_QUORUM_AT_RISK');
    expect(atRisk.snapshot.ucp.managers).toMatchObject({ total: 3, reachable: 2, majority: 2 });

    const secondKilledAt = performance.now();
    await live().kill(secondVictim.hostname);
    const lost = await waitFor(
      'quorum lost after a second manager died',
      secondKilledAt,
      60_000,
      (s) => s.snapshot.ucp.managers.status === 'lost',
    );
    const lostMs = Math.round(lost.atMs - secondKilledAt);
    expect(lost.codes[0]).toBe('UCP_QUORUM_LOST');
    expect(lost.snapshot.ucp.managers.margin).toBeLessThan(0);

    // The survivor stops answering /nodes (~15 s later), then answers "no leader" (~10 s more).
    const noLeader = await waitFor('the "no leader" answer', secondKilledAt, 90_000, (s) =>
      /Swarm has no leader/.test(s.snapshot.sources.ucp.lastError ?? ''),
    );
    const noLeaderMs = Math.round(noLeader.atMs - secondKilledAt);
    expect(noLeader.snapshot.sources.ucp.state).toBe('stale');
    expect(noLeader.codes).toEqual(
      expect.arrayContaining(['UCP_QUORUM_LOST', 'SOURCE_UNREACHABLE']),
    );

    // From the first "lost" on, every snapshot says lost: no stale-healthy figures, ever.
    const after = seen.filter((s) => s.atMs >= lost.atMs);
    expect(after.every((s) => s.snapshot.ucp.managers.status === 'lost')).toBe(true);
    expect(after.every((s) => s.codes.includes('UCP_QUORUM_LOST'))).toBe(true);
    const timedOut = after.filter((s) =>
      /^no answer within/.test(s.snapshot.sources.ucp.lastError ?? ''),
    );

    // The loop kept its rhythm while /nodes hung: gap = interval + one cycle.
    const gaps = after.slice(1).map((s, i) => s.atMs - (after[i] as Seen).atMs);
    const longestCycleMs = Math.round(Math.max(...gaps) - pollIntervalMs);
    const cycleBoundMs = 2 * probeTimeoutMs + 1_000;
    console.log(
      [
        `Swarm of 3 managers, console polling ${live().managerSocket(0)} every ${pollIntervalMs} ms, timeout ${probeTimeoutMs} ms:`,
        `  follower ${victim.hostname} killed → unreachable, margin 0, UCP_QUORUM_AT_RISK after ${atRiskMs} ms (bound ${detectionBoundMs} ms)`,
        `  second manager ${secondVictim.hostname} killed → UCP_QUORUM_LOST after ${lostMs} ms`,
        `  /nodes timed out in ${timedOut.length} polls; "no leader" 500 seen ${noLeaderMs} ms after the second kill`,
        `  longest poll cycle after quorum loss: ${longestCycleMs} ms (bound ${cycleBoundMs} ms), ${after.length} polls`,
      ].join('\n'),
    );
    expect(atRiskMs).toBeLessThan(detectionBoundMs);
    expect(lostMs).toBeLessThan(detectionBoundMs);
    expect(longestCycleMs).toBeLessThan(cycleBoundMs);
    expect(logs.some((l) => /source stale: .*Swarm has no leader/.test(l))).toBe(true);
    monitor.stop();
  }, 180_000);
});
