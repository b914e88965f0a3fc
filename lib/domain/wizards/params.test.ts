import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../types';
import { buildSnapshot } from '@/test/support/snapshot';
import {
  caSourceOf,
  joinQuery,
  parseJoinParams,
  parseRemoveParams,
  parseRepairParams,
  planAgainHref,
  removeQuery,
  repairQuery,
  toSearchParams,
} from './params';
import type { CreateRunRequest } from './run';
import { planRequest } from './run-plan';
import { CONNECTION, R1, R4, R5 } from '@/test/support/wizards';

const A = '0123456789ab';
const B = 'ba9876543210';

describe('wizard URL state', () => {
  it('reads the remove wizard link a warning points to, and writes it back the same', () => {
    const params = parseRemoveParams(
      new URLSearchParams(`replica=${A}&existing=${B}&step=preview`),
    );
    expect(params).toEqual({ replica: A, existing: B, also: [], step: 'preview' });
    expect(removeQuery(params)).toBe(`?replica=${A}&existing=${B}&step=preview`);
  });

  it('drops junk instead of trusting it', () => {
    expect(
      parseRemoveParams(
        new URLSearchParams(`replica=<script>&existing=ABC&also=${B},x,${B}&step=nope`),
      ),
    ).toEqual({ replica: null, existing: null, also: [B], step: 'choose' });
    // The preview needs a replica.
    expect(parseRemoveParams(new URLSearchParams('step=preview')).step).toBe('choose');
    const join = parseJoinParams(
      new URLSearchParams(
        'node=a;b&http=99999&https=08443&ca=weird&caPath=-rf&id=XYZ&step=preview',
      ),
    );
    expect(join).toEqual({
      node: null,
      existing: null,
      replicaId: null,
      httpPort: null,
      httpsPort: 8443,
      ca: 'fetch',
      caPath: null,
      step: 'node',
    });
  });

  it('round-trips the join options', () => {
    const query = `?node=app-node-1&existing=${A}&id=${B}&http=8080&https=8443&ca=file&caPath=%2Fetc%2Fca.pem&step=options`;
    const params = parseJoinParams(new URLSearchParams(query));
    expect(params).toMatchObject({
      node: 'app-node-1',
      ca: 'file',
      caPath: '/etc/ca.pem',
      step: 'options',
    });
    expect(joinQuery(params)).toBe(query);
    expect(caSourceOf(params)).toEqual({ kind: 'ca-file', path: '/etc/ca.pem' });
    expect(caSourceOf({ ca: 'file', caPath: null })).toBeNull();
    expect(caSourceOf({ ca: 'insecure', caPath: null })).toEqual({ kind: 'insecure' });
  });

  it('round-trips the repair choice', () => {
    const params = parseRepairParams(new URLSearchParams(`replica=${A}&prune=1&step=preview`));
    expect(params).toEqual({ keep: A, prune: true, step: 'preview' });
    expect(repairQuery(params)).toBe(`?replica=${A}&prune=1&step=preview`);
    expect(repairQuery({ keep: null, prune: false, step: 'keep' })).toBe('');
  });

  it('takes the first value of a repeated key from Next searchParams', () => {
    expect(toSearchParams({ replica: [A, B], step: undefined }).toString()).toBe(`replica=${A}`);
  });
});

describe('planAgainHref', () => {
  const link = (status: ClusterSnapshot, request: CreateRunRequest) => {
    // The gates a person confirms in the wizard (bring back first, an application worker).
    const acknowledge = [...(request.acknowledge ?? []), 'bring-back-first', 'application-worker'];
    const { state } = planRequest(status, { ...request, acknowledge }, { connection: CONNECTION });
    if (!state) throw new Error('the plan is refused');
    return new URL(planAgainHref(state), 'http://console.test');
  };

  it('re-opens the remove wizard at the impact step with the same replicas', () => {
    const status = buildSnapshot({
      replicas: ['healthy', 'healthy', 'healthy', 'unreachable', 'unreachable'],
    });
    const url = link(status, { kind: 'remove', replicaId: R4, alsoRemove: [R5] });
    expect(url.pathname).toBe('/replicas/remove');
    expect(parseRemoveParams(url.searchParams)).toEqual({
      replica: R4,
      existing: null,
      also: [R5],
      step: 'preview',
    });
  });

  it('re-opens the join wizard with the node, ID, ports and CA, but no acknowledgement', () => {
    const url = link(buildSnapshot(), {
      kind: 'join',
      node: 'worker-1',
      replicaId: R4,
      httpPort: 8080,
      httpsPort: 8443,
      ca: { kind: 'ca-file', path: '/etc/ucp/ca.pem' },
      acknowledge: ['even-after'],
    });
    expect(url.pathname).toBe('/replicas/join');
    expect(parseJoinParams(url.searchParams)).toEqual({
      node: 'worker-1',
      existing: null,
      replicaId: R4,
      httpPort: 8080,
      httpsPort: 8443,
      ca: 'file',
      caPath: '/etc/ucp/ca.pem',
      step: 'preview',
    });
    for (const ack of ['even-after', 'application-worker', 'bring-back-first'])
      expect(url.search).not.toContain(ack);
  });

  it('re-opens emergency repair with the replica to keep and --prune', () => {
    const lost = buildSnapshot({ replicas: ['unhealthy', 'unreachable', 'unreachable'] });
    const url = link(lost, {
      kind: 'repair',
      keepReplicaId: R1,
      prune: true,
      acknowledge: ['repair-consequence'],
    });
    expect(url.pathname).toBe('/replicas/repair');
    expect(parseRepairParams(url.searchParams)).toEqual({ keep: R1, prune: true, step: 'preview' });
  });
});
