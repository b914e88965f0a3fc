// Throwaway X.509 certificates for the demo's HTTPS mode and for TLS tests, built with node:crypto
// alone: a small DER encoder, ECDSA P-256 keys, SHA-256 signatures.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

// ---------------------------------------------------------------------------
// DER, just the parts a certificate needs.

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const octets = (content: Buffer) => tlv(0x04, content);
const bits = (content: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
const explicit = (n: number, content: Buffer) => tlv(0xa0 + n, content);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

function integer(value: Buffer): Buffer {
  let v = value;
  while (v.length > 1 && v[0] === 0 && (v[1] ?? 0) < 0x80) v = v.subarray(1);
  if ((v[0] ?? 0) >= 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return tlv(0x02, v);
}

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128))
      chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(date: Date): Buffer {
  // UTCTime (YYMMDDHHMMSSZ) until 2049, as RFC 5280 requires.
  const iso = date.toISOString();
  const compact = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, Buffer.from(compact, 'ascii'));
}

// ---------------------------------------------------------------------------
// Certificates

const ECDSA_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

const name = (commonName: string) => sequence(set(sequence(oid('2.5.4.3'), utf8(commonName))));

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [TRUE] : []), octets(value));
}

function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!isIPv6(ip)) throw new Error(`not an IP address: ${ip}`);
  const [head = '', tail = ''] = ip.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const all = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return Buffer.concat(all.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')));
}

function keyId(publicKey: KeyObject): Buffer {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
}

function toPem(label: string, der: Buffer): string {
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

interface Issue {
  subject: string;
  publicKey: KeyObject;
  issuer: { name: string; key: KeyObject; keyId: Buffer };
  extensions: Buffer[];
  validDays: number;
}

function issue({ subject, publicKey, issuer, extensions, validDays }: Issue): string {
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const notBefore = new Date(Date.now() - 3_600_000);
  const notAfter = new Date(Date.now() + validDays * 86_400_000);
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_SHA256,
    name(issuer.name),
    sequence(time(notBefore), time(notAfter)),
    name(subject),
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      sequence(
        ...extensions,
        extension('2.5.29.14', false, octets(keyId(publicKey))),
        extension('2.5.29.35', false, sequence(tlv(0x80, issuer.keyId))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, issuer.key);
  return toPem('CERTIFICATE', sequence(tbs, ECDSA_SHA256, bits(signature)));
}

const KEY_USAGE = { digitalSignature: 0x80, keyCertSign: 0x04, cRLSign: 0x02 } as const;
const keyUsage = (flags: number) => extension('2.5.29.15', true, bits(Buffer.from([flags])));
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export interface IssuedCertificate {
  cert: string;
  /** PKCS#8 PEM. */
  key: string;
}

export interface TestCertificateAuthority {
  /** PEM of the CA certificate: what a client must trust. */
  ca: string;
  /** A server certificate valid for these IP addresses and DNS names. */
  server(names: { ips?: readonly string[]; dns?: readonly string[] }): IssuedCertificate;
  /** A client certificate, as in a UCP client bundle's cert.pem / key.pem. */
  client(commonName: string): IssuedCertificate;
}

function newKey() {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

const privatePem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();

/** A fresh self-signed CA whose private key lives only in this object. */
export function createTestCa(commonName = 'DTR HA Console throwaway CA'): TestCertificateAuthority {
  const caKeys = newKey();
  const issuer = { name: commonName, key: caKeys.privateKey, keyId: keyId(caKeys.publicKey) };
  const ca = issue({
    subject: commonName,
    publicKey: caKeys.publicKey,
    issuer,
    validDays: 30,
    extensions: [
      extension('2.5.29.19', true, sequence(TRUE)),
      keyUsage(KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign),
    ],
  });
  const leaf = (subject: string, usage: string, extra: Buffer[]): IssuedCertificate => {
    const keys = newKey();
    const cert = issue({
      subject,
      publicKey: keys.publicKey,
      issuer,
      validDays: 30,
      extensions: [
        extension('2.5.29.19', true, sequence()),
        keyUsage(KEY_USAGE.digitalSignature),
        extension('2.5.29.37', false, sequence(oid(usage))),
        ...extra,
      ],
    });
    return { cert, key: privatePem(keys.privateKey) };
  };
  return {
    ca,
    server({ ips = [], dns = [] }) {
      const altNames = [
        ...dns.map((d) => tlv(0x82, Buffer.from(d, 'ascii'))),
        ...ips.map((ip) => tlv(0x87, ipBytes(ip))),
      ];
      if (altNames.length === 0) throw new Error('a server certificate needs at least one name');
      return leaf(dns[0] ?? ips[0] ?? 'server', SERVER_AUTH, [
        extension('2.5.29.17', false, sequence(...altNames)),
      ]);
    },
    client: (commonName) => leaf(commonName, CLIENT_AUTH, []),
  };
}
