import { describe, expect, it } from 'vitest';
import { buildSnapshot, TEST_NOW, testReplicaId } from '@/test/support/snapshot';
import { lbReplicasFromStatus } from './from-status';
import { generateLbConfig } from './generate';

describe('lbReplicasFromStatus', () => {
  it('takes each replica’s ports and probed address, and marks its health', () => {
    const snapshot = buildSnapshot({
      replicas: [
        { id: 'a1b2c3000111', httpPort: 8080, httpsPort: 8443 },
        { id: 'a1b2c3000222', status: 'unreachable' },
        { id: 'a1b2c3000333', status: 'unknown' },
      ],
    });
    snapshot.dtr.replicas[0]!.address = '10.1.0.7';
    expect(lbReplicasFromStatus(snapshot)).toEqual([
      { id: 'a1b2c3000111', address: '10.1.0.7', httpPort: 8080, httpsPort: 8443, healthy: true },
      { id: 'a1b2c3000222', address: 'dtr-2', httpPort: 80, httpsPort: 443, healthy: false },
      { id: 'a1b2c3000333', address: 'dtr-3', httpPort: 80, httpsPort: 443, healthy: undefined },
    ]);
  });

  it('falls back to the node’s address from UCP, then to the node’s host name', () => {
    const snapshot = buildSnapshot({ replicas: ['healthy', { node: 'gone-node' }] });
    for (const replica of snapshot.dtr.replicas) replica.address = null;
    snapshot.ucp.nodes = snapshot.ucp.nodes.filter((n) => n.hostname !== 'gone-node');
    const dtr1 = snapshot.ucp.nodes.find((n) => n.hostname === 'dtr-1');
    expect(lbReplicasFromStatus(snapshot).map((r) => r.address)).toEqual([dtr1?.addr, 'gone-node']);
  });
});

describe('ghost replicas in generated configs', () => {
  it('are left out of every pool, listed in the header with why, and never take the load balancer’s address', () => {
    const status = buildSnapshot({ replicas: ['healthy', 'healthy', 'ghost', 'ghost'] });
    const inputs = lbReplicasFromStatus(status);
    expect(inputs.filter((r) => r.excluded === 'ghost').map((r) => r.id)).toEqual([
      testReplicaId(2),
      testReplicaId(3),
    ]);
    for (const kind of ['haproxy', 'nginx', 'elb'] as const) {
      const { text } = generateLbConfig(inputs, { kind, generatedAt: TEST_NOW });
      for (const ghost of [testReplicaId(2), testReplicaId(3)]) {
        expect(text).toContain(`${ghost}  LEFT OUT: its node is gone from the swarm (a ghost)`);
        expect(text.split(ghost).length - 1, `${kind}: ${ghost} only in the header`).toBe(1);
      }
    }
  });

  it('a cluster of ghosts only has nothing to balance, and says so', () => {
    const inputs = lbReplicasFromStatus(buildSnapshot({ replicas: ['ghost'] }));
    expect(() => generateLbConfig(inputs, { kind: 'haproxy', generatedAt: TEST_NOW })).toThrow(
      /every replica DTR lists is a ghost/,
    );
  });
});

describe('a replica DTR lists with a port or ID the console refused (hostile upstream)', () => {
  it('is left out of every pool with why; the others still get a config', () => {
    const status = buildSnapshot({
      replicas: ['healthy', 'healthy', { id: 'a1b2c3000333', httpPort: 0, httpsPort: 70000 }],
    });
    const inputs = lbReplicasFromStatus(status);
    expect(inputs.map((r) => r.excluded)).toEqual([undefined, undefined, 'invalid']);
    for (const kind of ['haproxy', 'nginx', 'elb'] as const) {
      const { text } = generateLbConfig(inputs, { kind, generatedAt: TEST_NOW });
      expect(text).toContain('a1b2c3000333  LEFT OUT: DTR lists an address, port or ID');
      expect(text.split('a1b2c3000333').length - 1, kind).toBe(1);
      expect(text).toContain(testReplicaId(0));
    }
  });
});
