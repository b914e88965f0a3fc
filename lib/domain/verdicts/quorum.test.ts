import { describe, expect, it } from 'vitest';
import type { DtrClusterView, MemberStatus, QuorumVote } from '../types';
import { judgeDtrQuorum, judgeManagerQuorum } from './quorum';

const votes = (...pairs: [MemberStatus, QuorumVote][]) =>
  pairs.map(([status, quorumVote]) => ({ status, quorumVote }));

function view(writable: boolean | null, inTables: string[] = ['a', 'b', 'c']): DtrClusterView {
  return {
    reportedBy: 'a',
    replicaHealth: {},
    replicaTimestamp: {},
    replicaReadonly: {},
    tablesReadyForWrites: writable,
    tablesNotWritable: [],
    replicasNotReady: [],
    replicasInTables: inTables,
    currentIssues: [],
    gcLockHolder: null,
  };
}

describe('judgeDtrQuorum', () => {
  it('the console cut off from 2 of 3 while the majority vouches: healthy, and says so', () => {
    const q = judgeDtrQuorum(
      votes(
        ['healthy', 'up'],
        ['unreachable-from-console', 'up'],
        ['unreachable-from-console', 'up'],
      ),
      { data: view(true), fresh: true },
    );
    expect(q).toMatchObject({ status: 'healthy', healthy: 3, unknown: 0, margin: 1 });
    expect(q.basis).toMatch(
      /RethinkDB’s own status \(as replica a sees it\) shows 3 of 3 replicas/,
    );
    expect(q.basis).toMatch(/2 replicas the console cannot reach are vouched for by the cluster/);
  });

  it('1 healthy, 2 unknown: the console cannot tell; 2 healthy, 1 unknown: holds either way', () => {
    const undecided = judgeDtrQuorum(
      votes(['healthy', 'up'], ['unknown', 'unknown'], ['unknown', 'unknown']),
      { data: null, fresh: false },
    );
    expect(undecided).toMatchObject({ status: 'unknown', unknown: 2 });
    expect(undecided.basis).toMatch(
      /2 replicas of unknown state decide it: the console cannot tell/,
    );
    const holds = judgeDtrQuorum(
      votes(['healthy', 'up'], ['healthy', 'up'], ['unknown', 'unknown']),
      {
        data: null,
        fresh: false,
      },
    );
    expect(holds).toMatchObject({ status: 'at-risk', unknown: 1, margin: 0 });
    expect(holds.basis).toMatch(/cannot change it: quorum holds either way/);
  });

  it('lost only when corroborated: a fresh view whose tables take writes makes a short count undecided', () => {
    const members = votes(['healthy', 'up'], ['unhealthy', 'down'], ['unhealthy', 'down']);
    expect(judgeDtrQuorum(members, { data: view(false), fresh: true }).status).toBe('lost');
    expect(judgeDtrQuorum(members, { data: null, fresh: false }).status).toBe('lost');
    const contradicted = judgeDtrQuorum(members, { data: view(true, []), fresh: true });
    expect(contradicted.status).toBe('unknown');
    expect(contradicted.basis).toMatch(/tables take writes, so a majority works/);
  });
});

describe('judgeManagerQuorum', () => {
  const m = (hostname: string, quorumVote: QuorumVote, leader = false) => ({
    hostname,
    quorumVote,
    leader,
  });

  it('from Raft, with the leader', () => {
    const q = judgeManagerQuorum([m('m1', 'up', true), m('m2', 'up'), m('m3', 'down')], {
      listFresh: true,
      swarmSaysNoLeader: false,
      pinged: true,
    });
    expect(q).toMatchObject({ status: 'at-risk', reachable: 2, leader: 'm1', noLeader: false });
    expect(q.basis).toBe('Swarm Raft reports 2 of 3 managers reachable, leader m1.');
  });

  it('a current list without a leader is flagged; Swarm saying "no leader" is lost', () => {
    const flagged = judgeManagerQuorum([m('m1', 'up'), m('m2', 'up'), m('m3', 'up')], {
      listFresh: true,
      swarmSaysNoLeader: false,
      pinged: true,
    });
    expect(flagged).toMatchObject({ status: 'healthy', noLeader: true });
    const said = judgeManagerQuorum([m('m1', 'up'), m('m2', 'unknown'), m('m3', 'down')], {
      listFresh: false,
      swarmSaysNoLeader: true,
      pinged: true,
    });
    expect(said).toMatchObject({ status: 'lost', noLeader: true, reachable: 1 });
    expect(said.margin).toBeLessThan(0);
  });

  it('an old list: undecided unless the pings decide', () => {
    const q = judgeManagerQuorum([m('m1', 'unknown'), m('m2', 'unknown'), m('m3', 'unknown')], {
      listFresh: false,
      swarmSaysNoLeader: false,
      pinged: false,
    });
    expect(q).toMatchObject({ status: 'unknown', unknown: 3, leader: null });
    expect(q.basis).toMatch(/^The node list cannot be read now, so Raft’s word is old/);
  });
});
