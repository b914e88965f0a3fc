// Properties over arbitrary valid and hostile inputs: one server line per replica per port,
// and nothing outside the config's own alphabet, whatever the node names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LbConfigError } from './errors';
import { GENERATED_AT } from '@/test/support/lb-fixtures';
import { generateLbConfig } from './generate';
import { endpoint, validateReplicas, type LbReplicaInput } from './replicas';

const PRINTABLE_LINE = /^[\x20-\x7e]*$/;
/** Every character a directive line (not a comment) of our HAProxy or NGINX output may use. */
const DIRECTIVE_LINE = /^[ A-Za-z0-9_.,:/[\]{};=-]*$/;

const portArb = fc.integer({ min: 1, max: 65535 });
const addressArb = fc.oneof(fc.ipV4(), fc.domain(), fc.ipV6());
const replicaArb: fc.Arbitrary<LbReplicaInput> = fc
  .record({
    id: fc.stringMatching(/^[0-9a-f]{12}$/),
    address: addressArb,
    httpPort: portArb,
    httpsPort: portArb,
    healthy: fc.option(fc.boolean(), { nil: undefined }),
  })
  .filter((r) => r.httpPort !== r.httpsPort);
const replicasArb = fc
  .uniqueArray(replicaArb, { minLength: 1, maxLength: 7, selector: (r) => r.id })
  .filter((rs) => new Set(rs.map((r) => r.address.toLowerCase())).size === rs.length);
const optionsArb = fc.record({
  stats: fc.boolean(),
  checkScheme: fc.constantFrom('https' as const, 'http' as const),
  fall: fc.integer({ min: 1, max: 10 }),
});

/** Directive lines (comments and blank lines dropped), trimmed. */
function directives(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function expectOwnAlphabet(text: string): void {
  for (const line of text.split('\n')) {
    expect(line).toMatch(PRINTABLE_LINE);
    if (!line.trim().startsWith('#')) expect(line).toMatch(DIRECTIVE_LINE);
  }
}

describe('generated configs, for any valid replicas', () => {
  it('HAProxy: one server line per replica in each pool, on that pool’s port, and one check server', () => {
    fc.assert(
      fc.property(replicasArb, optionsArb, (replicas, options) => {
        const { text } = generateLbConfig(replicas, {
          kind: 'haproxy',
          generatedAt: GENERATED_AT,
          ...options,
        });
        expectOwnAlphabet(text);
        const servers = directives(text).filter((l) => l.startsWith('server '));
        expect(servers).toHaveLength(3 * replicas.length);
        for (const r of validateReplicas(replicas)) {
          const mine = servers.filter((l) => l.startsWith(`server replica-${r.id} `));
          expect(mine).toEqual([
            `server replica-${r.id} ${endpoint(r, r.httpPort)} track dtr_check_${r.id}/replica-${r.id}`,
            `server replica-${r.id} ${endpoint(r, r.httpsPort)} track dtr_check_${r.id}/replica-${r.id}`,
            expect.stringMatching(new RegExp(`^server replica-${r.id} \\S+ check`)),
          ]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('NGINX: one server line per replica in each upstream, on that upstream’s port', () => {
    fc.assert(
      fc.property(replicasArb, optionsArb, (replicas, options) => {
        const { text } = generateLbConfig(replicas, {
          kind: 'nginx',
          generatedAt: GENERATED_AT,
          ...options,
        });
        expectOwnAlphabet(text);
        const servers = directives(text).filter((l) => /^server \S+ max_fails=/.test(l));
        expect(servers).toHaveLength(2 * replicas.length);
        const http = text.slice(
          text.indexOf('upstream dtr_http {'),
          text.indexOf('upstream dtr_https {'),
        );
        const https = text.slice(text.indexOf('upstream dtr_https {'), text.indexOf('listen '));
        for (const r of validateReplicas(replicas)) {
          expect(
            directives(http).filter((l) => l.startsWith(`server ${endpoint(r, r.httpPort)} `)),
          ).toHaveLength(1);
          expect(
            directives(https).filter((l) => l.startsWith(`server ${endpoint(r, r.httpsPort)} `)),
          ).toHaveLength(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('ELB: valid JSON listing every replica, for replicas that share ports', () => {
    fc.assert(
      fc.property(replicasArb, (replicas) => {
        const uniform = replicas.map((r) => ({ ...r, httpPort: 80, httpsPort: 443 }));
        const template = JSON.parse(
          generateLbConfig(uniform, { kind: 'elb', generatedAt: GENERATED_AT }).text,
        ) as {
          Metadata: { Replicas: { id: string }[]; Comment: string[] };
        };
        expect(template.Metadata.Replicas.map((r) => r.id).sort()).toEqual(
          replicas.map((r) => r.id).sort(),
        );
        for (const line of template.Metadata.Comment) expect(line).toMatch(PRINTABLE_LINE);
      }),
      { numRuns: 100 },
    );
  });
});

describe('hostile input', () => {
  const fragments = [
    '\n',
    '\r',
    ' ',
    ';',
    '{',
    '}',
    '#',
    '"',
    "'",
    '\\',
    '\u2028',
    '\u0000',
    'server evil 6.6.6.6:443',
    '$(reboot)',
    'a',
    '1',
    '.',
    '-',
    ':',
  ];
  const hostileArb = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.array(fc.constantFrom(...fragments), { maxLength: 12 }).map((parts) => parts.join('')),
    fc
      .tuple(fc.domain(), fc.array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 4 }))
      .map(([d, parts]) => `${d}${parts.join('')}`),
  );

  it('a node name, replica ID or console URL either is refused with LbConfigError or cannot change the config’s structure', () => {
    fc.assert(
      fc.property(
        hostileArb,
        fc.constantFrom('address', 'id', 'permalinkBase'),
        fc.constantFrom('haproxy' as const, 'nginx' as const, 'elb' as const),
        (value, target, kind) => {
          const replicas: LbReplicaInput[] = [
            { id: 'a1b2c3000111', address: '10.0.0.1', httpPort: 80, httpsPort: 443 },
            {
              id: target === 'id' ? value : 'a1b2c3000222',
              address: target === 'address' ? value : '10.0.0.2',
              httpPort: 80,
              httpsPort: 443,
            },
          ];
          const permalinkBase = target === 'permalinkBase' ? value : undefined;
          let text: string;
          try {
            text = generateLbConfig(replicas, {
              kind,
              generatedAt: GENERATED_AT,
              permalinkBase,
            }).text;
          } catch (error) {
            expect(error).toBeInstanceOf(LbConfigError);
            expect((error as LbConfigError).message).not.toMatch(/[\n\r]/);
            return;
          }
          if (kind === 'elb') {
            expect(() => JSON.parse(text)).not.toThrow();
            return;
          }
          expectOwnAlphabet(text);
          const servers = directives(text).filter(
            (l) => l.startsWith('server ') && !l.startsWith('server {'),
          );
          expect(servers).toHaveLength(kind === 'haproxy' ? 6 : 4);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
