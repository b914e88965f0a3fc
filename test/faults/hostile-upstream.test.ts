// Issue #18 item 3: hostile values from upstream. A worker address no URL can carry, a replica
// port outside 1-65535, a replica ID that is not 12 hex characters, megabyte-long labels and
// messages: the real Monitor polls the wire-format upstream (./wire-cluster.ts) through them.
// It must keep polling, show the bad member with a reason, judge the rest normally, keep every
// upstream string short, and recover as soon as upstream is fixed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { Monitor } from '@/lib/monitor/monitor';
import { IDS, startWireCluster, type WireCluster } from './wire-cluster';

// Generous: megabyte answers must not time out on a loaded test machine (no member hangs here).
const TIMEOUT = 3000;
const [A, B, C] = IDS as unknown as [string, string, string];
/** The worker B runs on (replica IDS[1] on dtr-node-2). */
const B_NODE = 'dtr-node-2';
/** No snapshot may grow with a hostile string: the whole document stays under this. */
const MAX_SNAPSHOT_CHARS = 200_000;

let cluster: WireCluster;
let monitor: Monitor;
let pristine: { nodes: string; settings: string; clusterStatus: string };

beforeAll(async () => {
  cluster = await startWireCluster(() => undefined, TIMEOUT);
  pristine = {
    nodes: JSON.stringify(cluster.state.nodes),
    settings: JSON.stringify(cluster.state.settings),
    clusterStatus: JSON.stringify(cluster.state.clusterStatus),
  };
  monitor = new Monitor({ target: cluster.target, mode: 'live', log: () => undefined });
});
afterAll(async () => {
  await cluster?.close();
});

function restore(): void {
  cluster.state.nodes = JSON.parse(pristine.nodes) as typeof cluster.state.nodes;
  cluster.state.settings = JSON.parse(pristine.settings) as typeof cluster.state.settings;
  cluster.state.clusterStatus = JSON.parse(pristine.clusterStatus) as Record<string, unknown>;
}

function nodeNamed(hostname: string) {
  const node = cluster.state.nodes.find((n) => n.Description.Hostname === hostname);
  if (!node) throw new Error(`no node ${hostname}`);
  return node;
}

const replica = (s: ClusterSnapshot, id: string) => s.dtr.replicas.find((r) => r.id === id);

/** Polls twice (a bad value seen once is in the monitor's memory for the next poll). */
async function pollTwice(): Promise<ClusterSnapshot> {
  await monitor.pollNow();
  return monitor.pollNow();
}

function expectSourcesOk(s: ClusterSnapshot): void {
  expect(s.sources.ucp.state, s.sources.ucp.lastError ?? '').toBe('ok');
  expect(s.sources.dtr.state, s.sources.dtr.lastError ?? '').toBe('ok');
}

/** After the fix upstream: every replica probed again and healthy, both quorums healthy. */
async function expectRecovered(): Promise<void> {
  restore();
  const s = await pollTwice();
  expectSourcesOk(s);
  expect(s.dtr.replicas.map((r) => [r.id, r.status, r.address !== null])).toEqual(
    [A, B, C].sort().map((id) => [id, 'healthy', true]),
  );
  expect(s.dtr.quorum.status).toBe('healthy');
  expect(s.ucp.managers.status).toBe('healthy');
}

/** The others judged as usual: healthy, probed at their own addresses. */
function expectOthersHealthy(s: ClusterSnapshot, others: string[]): void {
  for (const id of others) {
    expect(replica(s, id)?.status, id).toBe('healthy');
    expect(replica(s, id)?.ping?.status, id).toBe('healthy');
  }
  expect(s.ucp.managers.status).toBe('healthy');
  expect(JSON.stringify(s).length).toBeLessThan(MAX_SNAPSHOT_CHARS);
}

// --- generators -------------------------------------------------------------------------

const safe = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}$/);
/** An address with something no host can carry inside it (never at an end, where trim drops it). */
const hostileAddress = fc.oneof(
  fc.constantFrom(
    '127.0.62.2\nX-Injected: 1',
    '127.0.62.2/evil',
    'user@127.0.62.2',
    '127.0.62.2#frag',
    'evil.example?x=1',
    'http://127.0.62.2',
    '127.0.62.2 127.0.0.1',
    'a\u202eb',
  ),
  fc
    .tuple(
      safe,
      fc.constantFrom('\n', '\r', '\t', ' ', '/', '@', '#', '?', '\\', '%', '\u0000', '<', '"'),
      safe,
    )
    .map(([a, c, b]) => `${a}${c}${b}`),
  fc.stringMatching(/^[a-z]{254,400}$/),
);
/** Anything JSON can carry that is not a port 1-65535 (null and absent mean the default). */
const hostilePort = fc.oneof(
  fc.integer({ min: 65_536, max: 2 ** 40 }),
  fc.integer({ min: -(2 ** 40), max: 0 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
  fc.string(),
  fc.boolean(),
  fc.constant([80]),
  fc.constant({ port: 80 }),
);
/** Replica IDs that are not 12 lowercase hex characters, including very long ones. */
const hostileId = fc
  .oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('__proto__', 'constructor', 'A1640E1C15B6', '../../etc', '5eb9459a7832\n'),
    fc.stringMatching(/^[0-9a-f]{13,5000}$/),
  )
  .filter((id) => !/^[0-9a-f]{12}$/.test(id));
/** Megabyte strings where upstream puts free text. */
const huge = fc.record({
  length: fc.integer({ min: 1_000_000, max: 3_000_000 }),
  char: fc.constantFrom('x', 'é', '\n', '€'),
});

const RUNS = { numRuns: 12, endOnFailure: true } as const;

describe('hostile upstream values: the monitor keeps polling and recovers', () => {
  it('a worker address no URL can carry: that replica is shown with the reason, the rest judged normally', async () => {
    await fc.assert(
      fc.asyncProperty(hostileAddress, async (addr) => {
        restore();
        nodeNamed(B_NODE).Status.Addr = addr;
        const s = await pollTwice();
        expectSourcesOk(s);
        const b = replica(s, B);
        expect(b?.ping).toBeNull();
        expect(b?.verdict.reason).toMatch(
          /does not probe it: node dtr-node-2: Status.Addr .* is not a usable address/,
        );
        expect(s.ucp.nodes.find((n) => n.hostname === B_NODE)?.addrProblem).toMatch(
          /not a usable address/,
        );
        expectOthersHealthy(s, [A, C]);
        await expectRecovered();
      }),
      RUNS,
    );
  }, 120_000);

  it('a replica port outside 1-65535: that replica is shown with the reason, the rest judged normally', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostilePort,
        fc.constantFrom('HTTPPort', 'HTTPSPort'),
        async (port, field) => {
          restore();
          (cluster.state.settings[B] as Record<string, unknown>)[field] = port;
          const s = await pollTwice();
          expectSourcesOk(s);
          const b = replica(s, B);
          expect(b?.ping).toBeNull();
          expect(b?.verdict.reason).toContain(`${field} `);
          expect(b?.verdict.reason).toMatch(/is not a port \(1-65535\)/);
          expectOthersHealthy(s, [A, C]);
          await expectRecovered();
        },
      ),
      RUNS,
    );
  }, 120_000);

  it('a replica ID that is not 12 hex characters: shown with the reason, short, the rest judged normally', async () => {
    await fc.assert(
      fc.asyncProperty(hostileId, async (id) => {
        restore();
        const entry = cluster.state.settings[B];
        const settings: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(cluster.state.settings)) if (k !== B) settings[k] = v;
        Object.defineProperty(settings, id, { value: entry, enumerable: true, writable: true });
        cluster.state.settings = settings as typeof cluster.state.settings;
        const s = await pollTwice();
        expectSourcesOk(s);
        const bad = s.dtr.replicas.filter((r) => r.id !== A && r.id !== C);
        expect(bad).toHaveLength(1);
        expect(bad[0]?.id.length).toBeLessThanOrEqual(64);
        expect(bad[0]?.ping).toBeNull();
        expect(bad[0]?.verdict.reason).toMatch(/replica ID .* is not 12 hex characters/);
        expectOthersHealthy(s, [A, C]);
        await expectRecovered();
      }),
      RUNS,
    );
  }, 120_000);

  it('megabyte labels, messages, hostnames and issue texts never reach the snapshot whole', async () => {
    await fc.assert(
      fc.asyncProperty(huge, async ({ length, char }) => {
        const text = char.repeat(length);
        restore();
        const worker = nodeNamed('dtr-node-1');
        worker.Spec.Labels = { ...(worker.Spec.Labels as object), 'com.example.huge': text };
        worker.Status.Message = text;
        const app = cluster.state.nodes.find(
          (n) => !n.ManagerStatus && !n.Description.Hostname.startsWith('dtr-'),
        );
        if (app) app.Description.Hostname = text;
        const tables = cluster.state.clusterStatus.rethink_system_tables as Record<string, unknown>;
        tables.current_issues = [{ critical: false, description: text }];
        const s = await pollTwice();
        expectSourcesOk(s);
        expectOthersHealthy(s, [A, B, C]);
        await expectRecovered();
      }),
      { numRuns: 4, endOnFailure: true },
    );
  }, 120_000);
});
