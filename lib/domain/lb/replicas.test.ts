import { describe, expect, it } from 'vitest';
import { LbConfigError } from './errors';
import { replicaSet } from '@/test/support/lb-fixtures';
import { addressKindOf, endpoint, isIpv6, validateReplicas, type LbReplicaInput } from './replicas';

const ok: LbReplicaInput = {
  id: 'a1b2c3d4e5f6',
  address: 'dtr-1.example.com',
  httpPort: 80,
  httpsPort: 443,
};

function rejection(input: Partial<LbReplicaInput>): LbConfigError {
  try {
    validateReplicas([{ ...ok, ...input }]);
  } catch (error) {
    if (error instanceof LbConfigError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('validateReplicas', () => {
  it('accepts host names, IPv4 and IPv6 addresses and all-digit replica IDs', () => {
    const replicas = validateReplicas([
      { ...ok, id: '000000000000', address: 'DTR-1' },
      { ...ok, id: '123456789012', address: '192.168.0.10' },
      { ...ok, id: 'ffffffffffff', address: '::ffff:10.0.0.1' },
    ]);
    expect(replicas.map((r) => r.addressKind)).toEqual(['hostname', 'ipv4', 'ipv6']);
    expect(replicas.map((r) => r.healthy)).toEqual([null, null, null]);
  });

  it('sorts by replica ID so a regenerated file changes only the lines of the replica that changed', () => {
    expect(validateReplicas(replicaSet(3)).map((r) => r.id)).toEqual([
      'a1b2c3000111',
      'a1b2c3000222',
      'a1b2c3000333',
    ]);
  });

  it.each([
    [
      'a node name with a newline and a directive',
      'dtr-1\n    server evil 6.6.6.6:443',
      'replicas[0].address',
    ],
    ['a node name with a space', 'dtr 1', 'replicas[0].address'],
    ['a semicolon (NGINX directive end)', 'dtr-1;', 'replicas[0].address'],
    ['a brace', 'dtr-1}', 'replicas[0].address'],
    ['a comment sign', 'dtr-1#x', 'replicas[0].address'],
    ['a quote', 'dtr-"1', 'replicas[0].address'],
    ['an underscore', 'dtr_1', 'replicas[0].address'],
    ['a leading hyphen', '-dtr', 'replicas[0].address'],
    ['an empty name', '', 'replicas[0].address'],
    ['a dotted number that is no IPv4 address', '10.0.0.256', 'replicas[0].address'],
    ['a bracketed IPv6 address', '[fd00::1]', 'replicas[0].address'],
    ['an IPv6 zone', 'fe80::1%eth0', 'replicas[0].address'],
    ['a port in the address', 'dtr-1:443', 'replicas[0].address'],
  ])('rejects %s', (_, address, field) => {
    const error = rejection({ address });
    expect(error.field).toBe(field);
    expect(error.message).toContain('not a host name');
    expect(error.message).not.toContain('\n');
  });

  it('rejects replica IDs that are not 12 lowercase hex characters', () => {
    for (const id of [
      'A1B2C3D4E5F6',
      'a1b2c3d4e5f',
      'a1b2c3d4e5f6a',
      'a1b2c3d4e5fg',
      'a1b2c3d4e5f\n',
    ]) {
      expect(rejection({ id }).message).toMatch(
        /^replicas\[0\]\.id: a replica ID is 12 lowercase hex characters/,
      );
    }
  });

  it('rejects ports outside 1..65535, fractions, and equal HTTP and HTTPS ports', () => {
    expect(rejection({ httpPort: 0 }).field).toBe('replicas[0].httpPort');
    expect(rejection({ httpsPort: 65536 }).field).toBe('replicas[0].httpsPort');
    expect(rejection({ httpPort: 80.5 }).message).toContain('whole number from 1 to 65535');
    expect(rejection({ httpPort: '80' as unknown as number }).field).toBe('replicas[0].httpPort');
    expect(rejection({ httpPort: 443 }).message).toContain('HTTP and HTTPS ports must differ');
  });

  it('rejects an empty list, a replica listed twice and two replicas on one address and port', () => {
    expect(() => validateReplicas([])).toThrow(/no DTR replicas are known/);
    expect(() => validateReplicas([ok, ok])).toThrow(/a1b2c3d4e5f6 is listed twice/);
    expect(() =>
      validateReplicas([
        ok,
        { ...ok, id: '000000000001', address: 'DTR-1.example.com', httpPort: 81 },
      ]),
    ).toThrow(/both use dtr-1\.example\.com:443/);
  });
});

describe('addresses', () => {
  it('knows IPv6 literals', () => {
    for (const valid of [
      '::',
      '::1',
      'fd00::1',
      '2001:db8:0:0:0:0:2:1',
      '2001:DB8::2:1',
      '1:2:3:4:5:6:7::',
      '::ffff:192.0.2.1',
      '64:ff9b::192.0.2.33',
    ]) {
      expect(isIpv6(valid), valid).toBe(true);
    }
    for (const invalid of [
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      ':1',
      '1:',
      'fd00::g',
      '12345::1',
      '192.0.2.1::',
      '::1.2.3',
      'fd00:::1',
      '1:2:3:4:5:6:7:8::',
    ]) {
      expect(isIpv6(invalid), invalid).toBe(false);
    }
  });

  it('writes IPv6 endpoints in brackets and leaves the others bare', () => {
    expect(endpoint({ address: 'fd00::1', addressKind: 'ipv6' }, 443)).toBe('[fd00::1]:443');
    expect(endpoint({ address: '10.0.0.1', addressKind: 'ipv4' }, 80)).toBe('10.0.0.1:80');
    expect(addressKindOf('localhost')).toBe('hostname');
    expect(addressKindOf('1.2.3')).toBeNull();
  });
});
