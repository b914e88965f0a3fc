import { describe, expect, it } from 'vitest';
import {
  caSourceOf,
  joinQuery,
  parseJoinParams,
  parseRemoveParams,
  parseRepairParams,
  removeQuery,
  repairQuery,
  toSearchParams,
} from './params';

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
