// Contract tests: real docker.io /nodes output and the project's UCP fixture go through the one
// parsing path both adapters use, into the same domain type.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterNode } from '@/lib/domain/types';
import { parseImageRef, reshapeNodes, swarmNodesSchema } from './engine-schemas';
import { parseJson } from './http';
import { fixtureText, swarmFixtureText } from '@/test/support/test-server';

const parseNodes = (body: string): ClusterNode[] =>
  reshapeNodes(parseJson(body, swarmNodesSchema, 'GET /nodes'));

const byName = (nodes: ClusterNode[], hostname: string) => {
  const node = nodes.find((n) => n.hostname === hostname);
  if (!node) throw new Error(`${hostname} missing`);
  return node;
};

describe('/nodes of a real Docker Swarm (docker.io 20.10.24)', () => {
  it('reads three reachable managers, one leader, and a worker', () => {
    const nodes = parseNodes(swarmFixtureText('swarm-nodes.json'));
    expect(
      nodes.map((n) => [n.hostname, n.role, n.state, n.manager?.reachability ?? null]),
    ).toEqual([
      ['dhc-manager-3', 'manager', 'ready', 'reachable'],
      ['dhc-manager-2', 'manager', 'ready', 'reachable'],
      ['dhc-worker-1', 'worker', 'ready', null],
      ['dhc-manager-1', 'manager', 'ready', 'reachable'],
    ]);
    expect(nodes.filter((n) => n.manager?.leader).map((n) => n.hostname)).toEqual([
      'dhc-manager-1',
    ]);
    expect(byName(nodes, 'dhc-manager-1')).toEqual({
      id: expect.stringMatching(/^[0-9a-z]{25}$/),
      hostname: 'dhc-manager-1',
      role: 'manager',
      availability: 'active',
      state: 'ready',
      // A plain Swarm has no UCP verdict in Status.Message and no UCP labels.
      message: '',
      addr: '10.69.190.11',
      labels: {},
      engineVersion: '20.10.24+dfsg1',
      nanoCpus: 2_000_000_000,
      memoryBytes: expect.any(Number),
      hosts: [],
      os: 'linux',
      architecture: 'x86_64',
      manager: {
        leader: true,
        reachability: 'reachable',
        raftAddr: '10.69.190.11:2377',
        ping: null,
      },
    });
    expect(byName(nodes, 'dhc-worker-1')).toMatchObject({ addr: '10.69.190.14', manager: null });
  });

  it('reads a killed manager as down and unreachable, with the daemon’s own message', () => {
    const nodes = parseNodes(swarmFixtureText('swarm-nodes-manager-down.json'));
    expect(byName(nodes, 'dhc-manager-2')).toMatchObject({
      state: 'down',
      message: 'heartbeat failure',
      manager: { leader: false, reachability: 'unreachable' },
    });
  });
});

describe('/nodes of UCP (the project fixture), through the same path', () => {
  it('reads UCP verdicts, labels and the manager address behind Status.Addr 0.0.0.0', () => {
    const nodes = parseNodes(fixtureText('ucp-nodes.json'));
    expect(nodes).toHaveLength(8);
    expect(byName(nodes, 'ucp-manager-1')).toMatchObject({
      message: 'Healthy UCP manager',
      addr: '172.31.0.11',
      labels: { 'com.docker.ucp.orchestrator.swarm': 'true', zone: 'a' },
      manager: { leader: true, reachability: 'reachable' },
    });
    expect(byName(nodes, 'ucp-manager-3')).toMatchObject({
      state: 'down',
      message: 'Unhealthy UCP manager: node is unreachable',
      manager: { reachability: 'unreachable' },
    });
    expect(byName(nodes, 'cache-node-1').labels['dtr.cache']).toBe('true');
  });

  // The repo keeps a copy so tests are self-contained; it must stay the shared reference's.
  const shared = path.resolve(__dirname, '../../../shared/fixtures/ucp-nodes.json');
  it.skipIf(!existsSync(shared))(
    'holds the same payload as ../shared/fixtures/ucp-nodes.json',
    () => {
      expect(JSON.parse(fixtureText('ucp-nodes.json'))).toEqual(
        JSON.parse(readFileSync(shared, 'utf8')),
      );
      expect(parseNodes(fixtureText('ucp-nodes.json'))).toEqual(
        parseNodes(readFileSync(shared, 'utf8')),
      );
    },
  );
});

describe('parseImageRef', () => {
  it.each([
    ['docker/dtr-registry:2.9.16', 'docker/dtr-registry', '2.9.16'],
    ['mirantis/dtr-registry:2.9.16', 'mirantis/dtr-registry', '2.9.16'],
    [
      'registry.mirantis.com/msr/dtr-registry:2.10.4',
      'registry.mirantis.com/msr/dtr-registry',
      '2.10.4',
    ],
    [
      'mirror.corp:5000/dtr/dtr-registry:2.8.2@sha256:ab12',
      'mirror.corp:5000/dtr/dtr-registry',
      '2.8.2',
    ],
  ])('%s → %s : %s', (image, repository, tag) => {
    expect(parseImageRef(image)).toEqual({ repository, tag });
  });

  it.each([
    'sha256:0123456789abcdef',
    'mirror.corp:5000/dtr/dtr-registry',
    'docker/dtr-registry:2.9.16; rm -rf /',
    '',
    `docker/dtr-registry:${'9'.repeat(200)}`,
  ])('refuses %j', (image) => {
    expect(parseImageRef(image)).toBeNull();
  });
});
