import { describe, expect, it } from 'vitest';
import { DemoInputError } from './faults';
import { DemoModel } from './model';
import {
  DTR_COMPONENT_ERROR,
  DTR_QUORUM_ERROR,
  dtrClusterStatus,
  dtrPing,
  dtrSettings,
} from './payloads-dtr';
import { ucpNodesBody } from './payloads-ucp';
import { resolveOptions, type DemoClusterOptions } from './topology';

function demoModel(options: DemoClusterOptions = {}) {
  let now = new Date('2026-11-22T00:00:00Z');
  const model = new DemoModel(resolveOptions({ seed: 'test', ...options }), () => now);
  model.assignPorts({ ucp: 4443, dtrHttp: 8080, cache: 9090 });
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));
  const ids = model.replicas.map((replica) => replica.id);
  return { model, advance, ids };
}

type Status = ReturnType<typeof dtrClusterStatus>;

function shardStates(status: Status): Record<string, string> {
  const shard = status.rethink_system_tables.table_status[0]?.shards[0];
  return Object.fromEntries(
    (shard?.replicas ?? []).map((r) => [r.server.replace('dtr_rethinkdb_', ''), r.state]),
  );
}

function writable(status: Status): boolean[] {
  return status.rethink_system_tables.table_status.map((table) => table.status.ready_for_writes);
}

interface EngineNode {
  Description: { Hostname: string };
  Spec: { Labels: Record<string, string> };
  Status: { State: string; Message: string; Addr: string };
  ManagerStatus?: { Leader: boolean; Reachability: string; Addr: string };
}

function nodes(model: DemoModel): Map<string, EngineNode> {
  const list = JSON.parse(ucpNodesBody(model)) as EngineNode[];
  return new Map(list.map((node) => [node.Description.Hostname, node]));
}

describe('topology', () => {
  it('builds the default cluster with one loopback address per node and zones per tier', () => {
    const { model, ids } = demoModel();
    expect(model.nodes.map((n) => n.hostname)).toEqual([
      'ucp-manager-1',
      'ucp-manager-2',
      'ucp-manager-3',
      'dtr-node-1',
      'dtr-node-2',
      'dtr-node-3',
      'cache-node-1',
      'cache-node-2',
      'cache-node-3',
      'cache-node-4',
      'app-node-1',
      'app-node-2',
      'app-node-3',
      'app-node-4',
    ]);
    expect(model.node('ucp-manager-2')?.address).toBe('127.0.1.2');
    expect(model.node('dtr-node-3')?.address).toBe('127.0.2.3');
    expect(model.node('cache-node-1')?.labels).toMatchObject({ 'dtr.cache': 'true', zone: 'a' });
    // The cache HA document's layout (3 replicas behind a load balancer) and one regional cache.
    expect(model.haCacheNodes.map((n) => n.hostname)).toEqual([
      'cache-node-1',
      'cache-node-2',
      'cache-node-3',
    ]);
    expect(model.regionalCacheNodes.map((n) => n.hostname)).toEqual(['cache-node-4']);
    expect(model.node('cache-node-4')?.labels).toMatchObject({ 'dtr.cache': 'true' });
    expect(model.nodes.filter((n) => n.tier === 'dtr').map((n) => n.labels.zone)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/);
  });

  it('derives the same replica IDs from the same seed, others from another', () => {
    expect(demoModel().ids).toEqual(demoModel().ids);
    expect(demoModel({ seed: 'other' }).ids).not.toEqual(demoModel().ids);
  });

  it('gives thousands of workers distinct addresses', () => {
    const { model } = demoModel({ workers: 2000 });
    const addresses = new Set(model.nodes.map((n) => n.address));
    expect(addresses.size).toBe(model.nodes.length);
    expect(model.node('app-node-2000')?.address).toBe('127.0.11.222');
  });

  it('rejects sizes out of range with a readable error', () => {
    expect(() => resolveOptions({ managers: 0 })).toThrow(/managers must be a whole number from 1/);
    expect(() => resolveOptions({ dtrVersion: 'latest' })).toThrow(DemoInputError);
  });
});

describe('UCP /nodes', () => {
  it('has the Engine API shape of the reference payload', () => {
    const { model } = demoModel();
    const [manager, worker] = JSON.parse(ucpNodesBody(model)).filter((n: EngineNode) =>
      ['ucp-manager-1', 'app-node-1'].includes(n.Description.Hostname),
    );
    const shape = ['ID', 'Version', 'CreatedAt', 'UpdatedAt', 'Spec', 'Description', 'Status'];
    expect(Object.keys(manager)).toEqual([...shape, 'ManagerStatus']);
    expect(Object.keys(worker)).toEqual(shape);
    expect(manager.Description).toMatchObject({
      Platform: { Architecture: 'x86_64', OS: 'linux' },
      Resources: { NanoCPUs: 4e9, MemoryBytes: 16 * 1024 ** 3 },
      Engine: { EngineVersion: expect.any(String), Labels: {}, Plugins: [] },
    });
    expect(manager.Spec.Labels['com.docker.ucp.orchestrator.swarm']).toBe('true');
    expect(manager.Status).toEqual({
      State: 'ready',
      Message: 'Healthy UCP manager',
      Addr: '0.0.0.0',
    });
    expect(manager.ManagerStatus).toEqual({
      Leader: true,
      Reachability: 'reachable',
      Addr: '127.0.1.1:2377',
    });
    expect(worker.Status).toEqual({
      State: 'ready',
      Message: 'Healthy UCP worker',
      Addr: '127.0.4.1',
    });
  });

  it('elects another reachable leader when the leader stops', () => {
    const { model } = demoModel();
    model.setFault('ucp-manager-1', 'stop');
    const list = nodes(model);
    expect(list.get('ucp-manager-1')?.Status).toEqual({
      State: 'down',
      Message: 'Unhealthy UCP manager: node is unreachable',
      Addr: '127.0.1.1',
    });
    expect(list.get('ucp-manager-1')?.ManagerStatus).toMatchObject({
      Leader: false,
      Reachability: 'unreachable',
    });
    expect(list.get('ucp-manager-2')?.ManagerStatus?.Leader).toBe(true);
    expect(list.get('ucp-manager-2')?.Status.Addr).toBe('0.0.0.0');
    expect(model.ucpHasQuorum()).toBe(true);
  });

  it('has no leader once a majority of managers is down', () => {
    const { model } = demoModel();
    model.setFault('ucp-manager-1', 'stop');
    model.setFault('ucp-manager-3', 'stop');
    expect(model.ucpHasQuorum()).toBe(false);
    expect(model.leader).toBeNull();
    model.setFault('ucp-manager-3', 'none');
    expect(model.leader).toBe('ucp-manager-2');
  });

  it('marks a stopped worker down with a heartbeat failure, and a DTR node takes its replica down', () => {
    const { model, ids } = demoModel();
    model.setFault('app-node-2', 'stop');
    model.setFault('dtr-node-2', 'stop');
    const list = nodes(model);
    expect(list.get('app-node-2')?.Status).toMatchObject({
      State: 'down',
      Message: 'heartbeat failure',
    });
    expect(list.get('dtr-node-2')?.Status.State).toBe('down');
    expect(model.replicaIsUp(ids[1] ?? '')).toBe(false);
  });

  it('reports an error fault in the manager status message', () => {
    const { model } = demoModel();
    model.setFault('ucp-manager-2', 'error');
    expect(nodes(model).get('ucp-manager-2')?.Status.Message).toMatch(/^Unhealthy UCP manager: /);
  });
});

describe('DTR cluster consequences', () => {
  it('is all well by default', () => {
    const { model, ids } = demoModel();
    const [first = ''] = ids;
    expect(dtrPing(model, first)).toEqual({ status: 200, body: { Error: '', Healthy: true } });
    const status = dtrClusterStatus(model, first);
    expect(status.rethink_system_tables.current_issues).toEqual([]);
    expect(writable(status).every(Boolean)).toBe(true);
    expect(Object.values(status.replica_health)).toEqual(['OK', 'OK', 'OK']);
    expect(Object.keys(dtrSettings(model, first).replicaSettings)).toEqual(ids);
  });

  it('keeps writing with one of three replicas stopped, and freezes its report time', () => {
    const { model, ids, advance } = demoModel();
    const [a = '', , c = ''] = ids;
    model.setFault(c, 'stop');
    advance(90_000);
    expect(dtrPing(model, a).status).toBe(200);
    const status = dtrClusterStatus(model, a);
    expect(shardStates(status)).toEqual({
      [ids[0]!]: 'ready',
      [ids[1]!]: 'ready',
      [c]: 'disconnected',
    });
    expect(writable(status).every(Boolean)).toBe(true);
    expect(status.rethink_system_tables.current_issues[0]).toMatchObject({ critical: false });
    expect(status.rethink_system_tables.current_issues[0]?.description).toContain(
      `dtr_rethinkdb_${c}`,
    );
    expect(status.rethink_system_tables.server_status.map((s) => s.name)).not.toContain(
      `dtr_rethinkdb_${c}`,
    );
    expect(status.replica_timestamp[c]).toBe('2026-11-22T00:00:00Z');
    expect(status.replica_timestamp[a]).toBe('2026-11-22T00:01:30Z');
    expect(status.replica_health[c]).toBe(
      'replica reported health too long ago: 2026-11-22T00:00:00Z',
    );
  });

  it('loses quorum with two of three replicas stopped: every answering replica is unhealthy', () => {
    const { model, ids } = demoModel();
    const [a = '', b = '', c = ''] = ids;
    model.setFault(b, 'stop');
    model.setFault(c, 'stop');
    expect(dtrPing(model, a)).toEqual({
      status: 503,
      body: { Error: DTR_QUORUM_ERROR, Healthy: false },
    });
    const status = dtrClusterStatus(model, a);
    expect(writable(status).some(Boolean)).toBe(false);
    expect(shardStates(status)).toMatchObject({ [b]: 'disconnected', [c]: 'disconnected' });
    expect(status.rethink_system_tables.current_issues.some((issue) => issue.critical)).toBe(true);
  });

  it("shows a stale replica as reporting too long ago in everyone's view, while its ping answers", () => {
    const { model, ids } = demoModel();
    const [a = '', b = ''] = ids;
    model.setFault(b, 'stale');
    expect(dtrPing(model, b).status).toBe(200);
    for (const viewer of ids) {
      const status = dtrClusterStatus(model, viewer);
      expect(status.replica_timestamp[b]).toBe('2026-11-21T23:45:00Z');
      expect(status.replica_health[b]).toBe(
        'replica reported health too long ago: 2026-11-21T23:45:00Z',
      );
      expect(status.rethink_system_tables.current_issues).toEqual([]);
    }
    expect(dtrClusterStatus(model, a).replica_health[a]).toBe('OK');
  });

  it('shows a partitioned replica disconnected to the others while it looks healthy itself', () => {
    const { model, ids } = demoModel();
    const [a = '', , c = ''] = ids;
    model.setFault(c, 'partition');
    expect(dtrPing(model, c)).toEqual({ status: 200, body: { Error: '', Healthy: true } });
    const majoritySide = dtrClusterStatus(model, a);
    expect(shardStates(majoritySide)[c]).toBe('disconnected');
    expect(writable(majoritySide).every(Boolean)).toBe(true);
    const cutOff = dtrClusterStatus(model, c);
    expect(shardStates(cutOff)).toMatchObject({ [a]: 'disconnected', [ids[1]!]: 'disconnected' });
    expect(writable(cutOff).some(Boolean)).toBe(false);
    expect(cutOff.rethink_system_tables.server_status[0]?.network.connected_to).toEqual({
      [`dtr_rethinkdb_${a}`]: false,
      [`dtr_rethinkdb_${ids[1]}`]: false,
    });
  });

  it('loses quorum when a partition and a stop leave one connected replica of three', () => {
    const { model, ids } = demoModel();
    model.setFault(ids[1]!, 'partition');
    model.setFault(ids[2]!, 'stop');
    for (const id of ids.slice(0, 2)) expect(dtrPing(model, id).body.Error).toBe(DTR_QUORUM_ERROR);
  });

  it('names the failing component on an error fault', () => {
    const { model, ids } = demoModel();
    model.setFault(ids[0]!, 'error');
    expect(dtrPing(model, ids[0]!)).toEqual({
      status: 503,
      body: { Error: DTR_COMPONENT_ERROR, Healthy: false },
    });
    expect(dtrClusterStatus(model, ids[1]!).replica_health[ids[0]!]).toBe(DTR_COMPONENT_ERROR);
    expect(dtrPing(model, ids[1]!).status).toBe(200);
  });
});

describe('faults', () => {
  it('refuses unknown targets, unknown kinds and kinds that do not apply', () => {
    const { model } = demoModel();
    expect(() => model.setFault('nope', 'stop')).toThrow(/No demo member "nope"/);
    expect(() => model.setFault('ucp-manager-1', 'melt' as never)).toThrow(
      /Unknown fault kind "melt"/,
    );
    expect(() => model.setFault('ucp-manager-1', 'stale')).toThrow(/does not apply to manager/);
    expect(() => model.setFault('app-node-1', 'hang')).toThrow(/does not apply to worker/);
    try {
      model.setFault('nope', 'stop');
    } catch (error) {
      expect(error).toBeInstanceOf(DemoInputError);
      expect((error as DemoInputError).code).toBe('UNKNOWN_TARGET');
    }
  });

  it('applies a DTR node fault to its replica too, and none clears both', () => {
    const { model, ids } = demoModel();
    model.setFault('dtr-node-1', 'hang');
    expect(model.faultOf(ids[0]!)).toBe('hang');
    model.setFault('dtr-node-1', 'none');
    expect(model.faultOf(ids[0]!)).toBe('none');
    expect(model.faultOf('dtr-node-1')).toBe('none');
  });

  it('reset restores the initial topology without faults', () => {
    const { model, ids } = demoModel();
    model.setFault('ucp-manager-1', 'stop');
    model.setFault(ids[0]!, 'stop');
    model.dropReplicas([ids[1]!]);
    model.reset();
    expect(model.replicas.map((r) => r.id)).toEqual(ids);
    expect(model.faultOf('ucp-manager-1')).toBe('none');
    expect(model.leader).toBe('ucp-manager-1');
  });
});
