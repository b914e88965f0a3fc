import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../testing/snapshot';
import { lbReplicasFromStatus } from './from-status';

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
