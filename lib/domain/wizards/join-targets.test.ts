import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '@/test/support/snapshot';
import { dedicatedEvidence, eligibleJoinTargets, targetNotes } from './join-targets';

const hostnames = (targets: { hostname: string }[]) => targets.map((t) => t.hostname);

describe('eligibleJoinTargets: ranking', () => {
  it('lists dedicated DTR nodes first, then application workers, then what cannot take one', () => {
    const targets = eligibleJoinTargets(
      buildSnapshot({
        spareDtrNodes: 1,
        workers: 4,
        nodes: { 'worker-3': { labels: { role: 'dtr' } } },
      }),
    );
    const eligible = targets.filter((t) => t.eligible);
    expect(hostnames(eligible)).toEqual(['dtr-4', 'worker-3', 'worker-1', 'worker-2', 'worker-4']);
    expect(eligible.map((t) => t.dedicatedBy)).toEqual([
      'host name',
      'label role=dtr',
      null,
      null,
      null,
    ]);
    // Eligible ones come before every node that is not, managers included.
    const firstIneligible = targets.findIndex((t) => !t.eligible);
    expect(firstIneligible).toBe(eligible.length);
    expect(targets.find((t) => t.hostname === 'mgr-1')).toMatchObject({
      eligible: false,
      dedicatedBy: null,
      reason: expect.stringMatching(/is a UCP manager/),
    });
  });

  it('a node with a replica or a cache is not a candidate, whatever its name says', () => {
    const targets = eligibleJoinTargets(buildSnapshot());
    expect(targets.find((t) => t.hostname === 'dtr-1')).toMatchObject({
      eligible: false,
      dedicatedBy: null,
    });
  });

  it('names the zone from the configured label', () => {
    const status = buildSnapshot({
      nodes: { 'worker-1': { labels: { 'topology.kubernetes.io/zone': 'eu-1a', zone: 'x' } } },
    });
    const zoneOf = (zoneLabel?: string) =>
      eligibleJoinTargets(status, zoneLabel === undefined ? {} : { zoneLabel }).find(
        (t) => t.hostname === 'worker-1',
      )?.zone;
    expect(zoneOf()).toBe('x');
    expect(zoneOf('topology.kubernetes.io/zone')).toBe('eu-1a');
    expect(zoneOf('rack')).toBeNull();
  });

  it('describes a candidate for the picker: dedicated, its zone, what it lacks', () => {
    const [first] = eligibleJoinTargets(
      buildSnapshot({
        spareDtrNodes: 1,
        zones: { 'dtr-4': 'c' },
        nodes: { 'dtr-4': { memoryBytes: 4 * 1024 ** 3 } },
      }),
    );
    expect(first && targetNotes(first)).toEqual([
      'dedicated DTR node, by its host name',
      'zone c',
      'has less than the 16 GB of memory DTR needs at minimum',
    ]);
  });

  it('takes a 16 GB machine as the engine reports it (a little under 16 GiB) as enough, 12 GiB as short', () => {
    const GIB = 1024 ** 3;
    const shortfallsWith = (memoryBytes: number) =>
      eligibleJoinTargets(
        buildSnapshot({ spareDtrNodes: 1, nodes: { 'dtr-4': { memoryBytes } } }),
      ).find((t) => t.hostname === 'dtr-4')?.shortfalls;
    expect(shortfallsWith(15.6 * GIB)).toEqual([]);
    expect(shortfallsWith(12 * GIB)).toEqual([
      'has less than the 16 GB of memory DTR needs at minimum',
    ]);
  });
});

describe('dedicatedEvidence: the naming convention', () => {
  const node = (hostname: string, labels: Record<string, string> = {}) => ({ hostname, labels });

  it('takes dtr or msr as a word of a label key or value, or of the host name', () => {
    expect(dedicatedEvidence(node('worker-7', { dtr: 'true' }))).toBe('label dtr=true');
    expect(dedicatedEvidence(node('worker-7', { 'node-role': 'msr' }))).toBe('label node-role=msr');
    expect(dedicatedEvidence(node('worker-7', { 'com.example.dtr': '' }))).toBe(
      'label com.example.dtr',
    );
    expect(dedicatedEvidence(node('dtr-node-3'))).toBe('host name');
    expect(dedicatedEvidence(node('MSR01.example.com'))).toBe('host name');
  });

  it('does not take a cache label, a DTR label set to no, or dtr inside another word', () => {
    expect(dedicatedEvidence(node('worker-7', { 'dtr.cache': 'false' }))).toBeNull();
    expect(dedicatedEvidence(node('worker-7', { dtr: 'false' }))).toBeNull();
    expect(dedicatedEvidence(node('worker-7', { msr: 'no' }))).toBeNull();
    expect(dedicatedEvidence(node('hdtrack-1'))).toBeNull();
    expect(dedicatedEvidence(node('app-node-1', { zone: 'a', role: 'web' }))).toBeNull();
  });
});
