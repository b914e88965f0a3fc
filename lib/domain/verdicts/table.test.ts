// The verdict tables, cell by cell: the README prints them for operators; every cell is
// realised here with concrete inputs (a probe result, a cluster_status view, a node list) and
// judged by the real code, so the README, the code's table and the behaviour cannot drift.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  ClusterEvidence,
  ClusterNode,
  ConsoleEvidence,
  DtrClusterView,
  InventoryEvidence,
  MemberStatus,
  ProbeResult,
} from '../types';
import {
  CLUSTER_EVIDENCE,
  CONSOLE_EVIDENCE,
  INVENTORY_EVIDENCE,
  judgeManager,
  judgeReplica,
  MANAGER_VERDICT_TABLE,
  RAFT_EVIDENCE,
  REPLICA_VERDICT_TABLE,
  type ContainerState,
  type RaftEvidence,
  type ReplicaVerdictInput,
  type ViewInput,
} from '.';

const README = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');

/** The Markdown table after `<!-- verdict-table: name -->`, as rows of cells without backticks. */
function readmeTable(name: string): string[][] {
  const marker = `<!-- verdict-table: ${name} -->`;
  const start = README.indexOf(marker);
  if (start < 0) throw new Error(`README has no ${marker}`);
  const lines = README.slice(start + marker.length)
    .trimStart()
    .split('\n');
  const rows: string[][] = [];
  for (const line of lines) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replace(/`/g, '')),
    );
  }
  return rows.slice(2); // header and separator
}

const NOW = Date.parse('2026-12-04T12:00:00Z');
const ID = 'a1640e1c15b6';
const OTHER = '5eb9459a7832';
const THIRD = '000000000003';
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();

// --- Concrete witnesses for each class ---------------------------------------

const PROBES: Record<ConsoleEvidence, (ProbeResult | null)[]> = {
  ok: [{ status: 'healthy', kind: 'ok', error: null, latencyMs: 4, checkedAt: at(0) }],
  failing: [
    {
      status: 'unhealthy',
      kind: 'failing',
      error: 'registry: storage backend unreachable',
      latencyMs: 5,
      checkedAt: at(0),
    },
    {
      status: 'unhealthy',
      kind: 'garbage',
      error: 'malformed /_ping response',
      latencyMs: 5,
      checkedAt: at(0),
    },
  ],
  'no-answer': [
    {
      status: 'unreachable',
      kind: 'refused',
      error: 'connection refused by 10.0.0.5:443',
      latencyMs: null,
      checkedAt: at(0),
    },
    {
      status: 'unreachable',
      kind: 'timeout',
      error: 'no answer within 1500 ms from 10.0.0.5:443 (GET /_ping)',
      latencyMs: null,
      checkedAt: at(0),
    },
  ],
  inconclusive: [
    {
      status: 'unknown',
      kind: 'tls',
      error: 'TLS: certificate signed by unknown authority (10.0.0.5:443)',
      latencyMs: null,
      checkedAt: at(0),
    },
  ],
  'not-probed': [null],
};

function view(over: Partial<DtrClusterView>): DtrClusterView {
  return {
    reportedBy: OTHER,
    replicaHealth: { [ID]: 'OK', [OTHER]: 'OK', [THIRD]: 'OK' },
    replicaTimestamp: { [ID]: at(20_000), [OTHER]: at(10_000), [THIRD]: at(15_000) },
    replicaReadonly: {},
    tablesReadyForWrites: true,
    tablesNotWritable: [],
    replicasNotReady: [],
    replicasInTables: [ID, OTHER, THIRD],
    currentIssues: [],
    gcLockHolder: null,
    ...over,
  };
}

const VIEWS: Record<ClusterEvidence, ViewInput[]> = {
  ok: [
    { data: view({}), fresh: true },
    // replica_health may be null on some deployments: RethinkDB's readiness vouches alone.
    { data: view({ replicaHealth: null }), fresh: true },
  ],
  failing: [
    {
      data: view({
        replicaHealth: { [ID]: 'replica reported health too long ago: 2026-12-04T11:00:00Z' },
      }),
      fresh: true,
    },
    // replica_health lags a stop by a minute; RethinkDB sees it at once.
    { data: view({ replicasNotReady: [ID] }), fresh: true },
    // An "OK" with no self-report for 20 minutes is not OK.
    { data: view({ replicaTimestamp: { [ID]: at(20 * 60_000) } }), fresh: true },
  ],
  'cut-off': [
    {
      data: view({
        reportedBy: THIRD,
        tablesReadyForWrites: false,
        replicasNotReady: [ID, OTHER, THIRD],
      }),
      fresh: true,
    },
  ],
  silent: [
    { data: null, fresh: false },
    // A view from an earlier poll proves nothing now.
    { data: view({}), fresh: false },
    // A view without a majority that still sees the replica proves nothing either.
    { data: view({ tablesReadyForWrites: false, replicasNotReady: [OTHER] }), fresh: true },
  ],
};

function node(state: ClusterNode['state']): ClusterNode {
  return {
    id: 'n1',
    hostname: 'dtr-node-1',
    role: 'worker',
    availability: 'active',
    state,
    message: '',
    addr: '10.0.0.5',
    labels: {},
    engineVersion: null,
    nanoCpus: null,
    memoryBytes: null,
    hosts: [],
    os: null,
    architecture: null,
    manager: null,
  };
}

const INVENTORIES: Record<
  InventoryEvidence,
  { fresh: boolean; node: ClusterNode | undefined; containers: ContainerState }[]
> = {
  ready: [
    { fresh: true, node: node('ready'), containers: 'unknown' },
    { fresh: true, node: node('ready'), containers: 'running' },
  ],
  down: [
    { fresh: true, node: node('down'), containers: 'unknown' },
    { fresh: true, node: node('disconnected'), containers: 'unknown' },
    // A node UCP calls ready, whose dtr-nginx container UCP lists as exited.
    { fresh: true, node: node('ready'), containers: 'stopped' },
  ],
  absent: [{ fresh: true, node: undefined, containers: 'unknown' }],
  unknown: [
    { fresh: false, node: node('ready'), containers: 'unknown' },
    { fresh: false, node: undefined, containers: 'unknown' },
  ],
};

function input(
  probe: ProbeResult | null,
  v: ViewInput,
  inventory: (typeof INVENTORIES)[InventoryEvidence][number],
): ReplicaVerdictInput {
  return {
    id: ID,
    node: 'dtr-node-1',
    probe,
    view: v,
    inventory,
    nowMs: NOW,
    staleReportMs: 5 * 60_000,
  };
}

const INVENTORY_COLUMN: Record<string, InventoryEvidence> = {
  'node ready': 'ready',
  'node down': 'down',
  'node gone': 'absent',
  'no node list': 'unknown',
};

// --- The replica table --------------------------------------------------------

describe('replica verdict table (README "How the console judges a member")', () => {
  const rows = readmeTable('replica');
  const header =
    README.slice(README.indexOf('<!-- verdict-table: replica -->')).split('\n')[1] ?? '';
  const columns = header
    .slice(1, -1)
    .split('|')
    .map((c) => c.trim())
    .slice(2)
    .map((c) => INVENTORY_COLUMN[c]);

  it('the README prints every console × cluster row once, with the four inventory columns', () => {
    expect(columns).toEqual(INVENTORY_EVIDENCE);
    expect(rows.map(([c, k]) => `${c} × ${k}`)).toEqual(
      CONSOLE_EVIDENCE.flatMap((c) => CLUSTER_EVIDENCE.map((k) => `${c} × ${k}`)),
    );
  });

  it('the README and the code’s table agree cell by cell', () => {
    for (const [c, k, ...statuses] of rows) {
      const cells = REPLICA_VERDICT_TABLE[c as ConsoleEvidence][k as ClusterEvidence];
      expect(
        INVENTORY_EVIDENCE.map((inv) => cells[inv]),
        `${c} × ${k}`,
      ).toEqual(statuses);
    }
  });

  for (const [c, k, ...statuses] of rows) {
    INVENTORY_EVIDENCE.forEach((inv, i) => {
      const expected = statuses[i] as MemberStatus;
      it(`${c} × ${k} × ${inv} → ${expected}`, () => {
        for (const probe of PROBES[c as ConsoleEvidence])
          for (const v of VIEWS[k as ClusterEvidence])
            for (const inventory of INVENTORIES[inv]) {
              const judged = judgeReplica(input(probe, v, inventory));
              const where = JSON.stringify({ probe: probe?.kind ?? null, v, inventory });
              expect(judged.verdict.evidence, where).toEqual({
                console: c,
                cluster: k,
                inventory: inv,
              });
              expect(judged.status, where).toBe(expected);
              expect(judged.error === null, where).toBe(expected === 'healthy');
              expect(judged.verdict.reason, where).toMatch(/^[A-Z].*\.$/);
            }
      });
    });
  }
});

describe('replica votes', () => {
  const probe = PROBES.failing[0] ?? null;
  const inventory = INVENTORIES.ready[0]!;

  it('RethinkDB readiness in the majority’s view decides: a replica failing /_ping for storage still counts', () => {
    const judged = judgeReplica(input(probe, VIEWS.ok[0]!, inventory));
    expect(judged).toMatchObject({ status: 'unhealthy', quorumVote: 'up' });
    expect(judged.error).toBe('registry: storage backend unreachable');
  });

  it('and a replica the console reaches may already be out of the majority', () => {
    const judged = judgeReplica(
      input(
        PROBES.ok[0] ?? null,
        { data: view({ replicasNotReady: [ID] }), fresh: true },
        inventory,
      ),
    );
    expect(judged).toMatchObject({ status: 'unhealthy', quorumVote: 'down' });
  });

  it('without readiness, the status decides: unknown stays unknown', () => {
    const silent = { data: null, fresh: false };
    expect(judgeReplica(input(PROBES['no-answer'][0] ?? null, silent, inventory)).quorumVote).toBe(
      'unknown',
    );
    expect(judgeReplica(input(PROBES.ok[0] ?? null, silent, inventory)).quorumVote).toBe('up');
    expect(
      judgeReplica(input(PROBES['no-answer'][0] ?? null, silent, INVENTORIES.down[0]!)).quorumVote,
    ).toBe('down');
  });

  it('explains itself: the console’s words, the cluster’s and UCP’s', () => {
    const judged = judgeReplica(input(PROBES['no-answer'][0] ?? null, VIEWS.ok[0]!, inventory));
    expect(judged.verdict.reason).toBe(
      'The console gets no answer from it (connection refused by 10.0.0.5:443); the cluster reports it OK — ' +
        'so the path between the console and it is blocked (firewall, routing, port, DTR_PROBE_SCHEME), or it failed moments ago and the cluster has not noticed yet.',
    );
    const ghost = judgeReplica(input(null, VIEWS.silent[0]!, INVENTORIES.absent[0]!));
    expect(ghost.error).toBe("node dtr-node-1 is not in UCP's node list");
    expect(ghost.verdict.reason).toMatch(/^Its node dtr-node-1 is no longer in UCP’s node list/);
  });
});

// --- The manager table --------------------------------------------------------

function manager(reachability: RaftEvidence, message = 'Healthy UCP manager'): ClusterNode {
  return {
    ...node('ready'),
    hostname: 'mgr-1',
    role: 'manager',
    message,
    manager: { leader: false, reachability, raftAddr: '10.0.1.1:2377', ping: null },
  };
}

describe('manager verdict table (README)', () => {
  const rows = readmeTable('manager');

  it('the README and the code’s table agree cell by cell', () => {
    expect(rows.map(([raft]) => raft)).toEqual(RAFT_EVIDENCE);
    for (const [raft, ...statuses] of rows)
      expect(CONSOLE_EVIDENCE.map((c) => MANAGER_VERDICT_TABLE[raft as RaftEvidence][c])).toEqual(
        statuses,
      );
  });

  for (const [raft, ...statuses] of rows) {
    CONSOLE_EVIDENCE.forEach((c, i) => {
      it(`Raft ${raft} × /_ping ${c} → ${statuses[i]}`, () => {
        for (const ping of PROBES[c]) {
          // Raft's word counts only from a node list read in this poll.
          const fresh = raft !== 'unknown';
          const reach = raft === 'unknown' ? 'reachable' : raft;
          const judged = judgeManager({
            node: manager(reach as RaftEvidence),
            listFresh: fresh,
            ping,
          });
          expect(judged.status).toBe(statuses[i]);
          expect(judged.raft).toBe(raft);
          const vote =
            raft === 'reachable'
              ? 'up'
              : raft === 'unreachable'
                ? 'down'
                : c === 'ok'
                  ? 'up'
                  : 'unknown';
          expect(judged.quorumVote).toBe(vote);
        }
      });
    });
  }

  it('UCP’s own "Unhealthy UCP manager" turns a Raft-reachable manager unhealthy; "[Pending]" does not', () => {
    const unhealthy = judgeManager({
      node: manager('reachable', 'Unhealthy UCP manager: ucp-kv: etcd cluster is unavailable'),
      listFresh: true,
      ping: null,
    });
    expect(unhealthy).toMatchObject({ status: 'unhealthy', quorumVote: 'up' });
    const pending = judgeManager({
      node: manager('reachable', '[Pending] UCP migration in progress'),
      listFresh: true,
      ping: null,
    });
    expect(pending.status).toBe('healthy');
  });

  it('with an old list, Raft’s last "unreachable" stands until the manager answers again', () => {
    const old = manager('unreachable');
    expect(judgeManager({ node: old, listFresh: false, ping: null })).toMatchObject({
      status: 'unreachable',
      quorumVote: 'down',
    });
    expect(judgeManager({ node: old, listFresh: false, ping: PROBES.ok[0] ?? null })).toMatchObject(
      {
        status: 'healthy',
        quorumVote: 'up',
      },
    );
  });
});
