import { describe, expect, it } from 'vitest';
import { normaliseAddress } from './address';

describe('normaliseAddress', () => {
  it('writes an IPv4 client on a dual-stack socket as plain IPv4', () => {
    expect(normaliseAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normaliseAddress('::FFFF:192.0.2.7')).toBe('192.0.2.7');
    expect(normaliseAddress('::ffff:c000:0207')).toBe('192.0.2.7');
    expect(normaliseAddress('[::ffff:10.1.2.3]')).toBe('10.1.2.3');
  });

  it('keeps IPv6 loopback as ::1, whichever way it was written', () => {
    expect(normaliseAddress('::1')).toBe('::1');
    expect(normaliseAddress('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(normaliseAddress('[::1]')).toBe('::1');
  });

  it('writes other IPv6 addresses short and lower-case', () => {
    expect(normaliseAddress('2001:DB8:0:0:0:0:0:42')).toBe('2001:db8::42');
    expect(normaliseAddress('fd00::0001')).toBe('fd00::1');
  });

  it('leaves IPv4, names and what it cannot read as they are (trimmed)', () => {
    expect(normaliseAddress(' 10.0.0.7 ')).toBe('10.0.0.7');
    expect(normaliseAddress('unknown')).toBe('unknown');
    expect(normaliseAddress('fe80::1%eth0')).toBe('fe80::1%eth0');
    expect(normaliseAddress('not:an:address:at:all')).toBe('not:an:address:at:all');
  });
});
