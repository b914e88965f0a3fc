import { describe, expect, it } from 'vitest';
import { dtrHasQuorum } from './dtr-views';
import { applyEmergencyRepair, checkEmergencyRepair, checkRemove, planJoin } from './membership';
import { DemoModel } from './model';
import { dtrPing, dtrSettings } from './payloads-dtr';
import { resolveOptions } from './topology';

function demoModel() {
  const model = new DemoModel(resolveOptions({ seed: 'test' }));
  model.assignPorts({ ucp: 4443, dtrHttp: 8080, cache: 9090 });
  return { model, ids: model.replicas.map((replica) => replica.id) };
}

describe('join', () => {
  it('adds a replica on a free worker, on the shared port or its own', () => {
    const { model } = demoModel();
    const replica = planJoin(model, { node: 'app-node-1', httpPort: 8081 });
    expect(replica).toMatchObject({ node: 'app-node-1', httpPort: 8081 });
    expect(replica.id).toMatch(/^[0-9a-f]{12}$/);
    model.addReplica(replica);
    const settings = dtrSettings(model, replica.id).replicaSettings;
    expect(settings[replica.id]).toEqual({ HTTPPort: 8081, HTTPSPort: 8082, node: 'app-node-1' });
    expect(Object.keys(settings)).toHaveLength(4);
  });

  it('keeps a requested replica ID', () => {
    const { model } = demoModel();
    expect(planJoin(model, { node: 'app-node-2', replicaId: '000000000004' }).id).toBe(
      '000000000004',
    );
  });

  it.each([
    [{ node: 'nope' }, /No node named "nope"/],
    [{ node: 'ucp-manager-1' }, /is a UCP manager/],
    [{ node: 'cache-node-1' }, /runs a DTR content cache/],
    [{ node: 'dtr-node-1' }, /already runs replica/],
    [{ node: 'app-node-1', replicaId: 'XYZ' }, /12 lowercase hex/],
    [{ node: 'app-node-1', httpPort: 70000 }, /httpPort must be/],
  ])('refuses %o', (request, message) => {
    const { model } = demoModel();
    expect(() => planJoin(model, request)).toThrow(message);
  });

  it('refuses a replica ID in use, a down node, and a cluster without quorum', () => {
    const { model, ids } = demoModel();
    expect(() => planJoin(model, { node: 'app-node-1', replicaId: ids[0] })).toThrow(
      /already in use/,
    );
    model.setFault('app-node-1', 'stop');
    expect(() => planJoin(model, { node: 'app-node-1' })).toThrow(/is down/);
    model.setFault(ids[0]!, 'stop');
    model.setFault(ids[1]!, 'stop');
    expect(() => planJoin(model, { node: 'app-node-2' })).toThrow(/lost quorum/);
  });
});

describe('remove', () => {
  it('removes a stopped replica when every other replica is healthy', () => {
    const { model, ids } = demoModel();
    model.setFault(ids[2]!, 'stop');
    expect(checkRemove(model, [ids[2]!, ids[2]!])).toEqual([ids[2]]);
    model.dropReplicas([ids[2]!]);
    expect(model.replicas.map((r) => r.id)).toEqual(ids.slice(0, 2));
    expect(dtrHasQuorum(model)).toBe(true);
  });

  it('refuses while another replica is unhealthy, like the docker/dtr tool', () => {
    const { model, ids } = demoModel();
    model.setFault(ids[1]!, 'error');
    expect(() => checkRemove(model, [ids[2]!])).toThrow(
      new RegExp(`Replica ${ids[1]} on dtr-node-2 is unhealthy \\(its health check fails\\)`),
    );
  });

  it('refuses unknown IDs, an empty list and removing every replica', () => {
    const { model, ids } = demoModel();
    expect(() => checkRemove(model, ['aaaaaaaaaaaa'])).toThrow(/No replica with ID aaaaaaaaaaaa/);
    expect(() => checkRemove(model, [])).toThrow(/at least one/);
    expect(() => checkRemove(model, ids)).toThrow(/Cannot remove every replica/);
  });
});

describe('emergency-repair', () => {
  it('shrinks a cluster without quorum to the kept replica, healthy', () => {
    const { model, ids } = demoModel();
    const [a = '', b = '', c = ''] = ids;
    model.setFault(b, 'stop');
    model.setFault(c, 'stop');
    model.setFault(a, 'error');
    expect(dtrPing(model, a).status).toBe(503);
    checkEmergencyRepair(model, a);
    applyEmergencyRepair(model, a);
    expect(model.replicas.map((r) => r.id)).toEqual([a]);
    expect(dtrPing(model, a)).toEqual({ status: 200, body: { Error: '', Healthy: true } });
  });

  it('refuses a replica that is not running or unknown', () => {
    const { model, ids } = demoModel();
    model.setFault(ids[0]!, 'stop');
    expect(() => checkEmergencyRepair(model, ids[0]!)).toThrow(/is not running/);
    expect(() => checkEmergencyRepair(model, 'bbbbbbbbbbbb')).toThrow(/No replica/);
  });
});
