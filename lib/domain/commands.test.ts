import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'shell-quote';
import {
  buildEmergencyRepairCommand,
  buildJoinCommand,
  buildRemoveCommand,
  CommandInputError,
  type DtrCommand,
  type UcpConnectionOptions,
} from './commands';
import { joinContinuations } from './shell';

const ucp: UcpConnectionOptions = {
  dtrVersion: '2.9.16',
  ucpUrl: 'https://ucp.example.com',
  ucpUsername: 'admin',
  ucpCa: { kind: 'fetch' },
};
const A = 'a3f1c2d4e5b6';
const B = 'b7e2d9c1f0a3';

function errorOf(build: () => unknown): CommandInputError {
  try {
    build();
  } catch (error) {
    if (error instanceof CommandInputError) return error;
    throw error;
  }
  throw new Error('expected a CommandInputError');
}

// Parse the command the way a shell would: continuation lines joined, tokenised; the docker
// run command is what follows the last `&&`. Any `$` the shell would expand becomes a marker,
// so a value that escaped its quoting cannot parse back equal.
const EXPANDED = '\u0000EXPANDED';
function tokens(command: DtrCommand): unknown[] {
  return parse(joinContinuations(command.text), (key) => `${EXPANDED}${key}`);
}
function parseDockerLine(command: DtrCommand): unknown[] {
  const all = tokens(command);
  const last = all.findLastIndex((t) => typeof t === 'object' && t !== null && 'op' in t);
  return all.slice(last + 1);
}
/** The commands before docker run, split at each `&&` (a `|` stays inside its command). */
function before(command: DtrCommand): unknown[][] {
  const all = tokens(command);
  const parts: unknown[][] = [[]];
  for (const t of all) {
    if (typeof t === 'object' && t !== null && (t as { op?: string }).op === '&&') parts.push([]);
    else parts.at(-1)?.push(t);
  }
  return parts.slice(0, -1);
}
function expectedArgv(command: DtrCommand): string[] {
  const caAt = command.argv.indexOf('--ucp-ca') + 1;
  // The one substitution we emit on purpose: "$(cat <file>)".
  return command.argv.map((arg, i) =>
    caAt > 0 && i === caAt ? `${EXPANDED}${arg.slice(1)}` : arg,
  );
}
function expectParsesBack(command: DtrCommand): void {
  expect(parseDockerLine(command)).toEqual(expectedArgv(command));
}

describe('buildJoinCommand', () => {
  it('downloads the UCP CA, then joins with the pinned image and no password, one flag a line', () => {
    const command = buildJoinCommand({ ...ucp, ucpNode: 'dtr-4', existingReplicaId: A });
    expect(command.text).toBe(
      [
        'curl -fsSk https://ucp.example.com/ca -o ucp-ca.pem && \\',
        '  docker run -it --rm docker/dtr:2.9.16 join \\',
        '  --ucp-node dtr-4 \\',
        '  --existing-replica-id a3f1c2d4e5b6 \\',
        '  --ucp-url https://ucp.example.com \\',
        '  --ucp-username admin \\',
        '  --ucp-ca "$(cat ucp-ca.pem)"',
      ].join('\n'),
    );
    expect(command.needsVersion).toBe(false);
    expectParsesBack(command);
    // Short enough for a box: no line over 72 characters.
    expect(Math.max(...command.text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(72);
  });

  it('checks the downloaded CA against the fingerprint the console verified before the tool runs', () => {
    const fingerprint = Array.from({ length: 32 }, (_, i) =>
      (i * 7).toString(16).padStart(2, '0').toUpperCase().slice(-2),
    ).join(':');
    const command = buildJoinCommand({ ...ucp, caFingerprint: fingerprint, ucpNode: 'dtr-4' });
    expect(before(command)).toEqual([
      ['curl', '-fsSk', 'https://ucp.example.com/ca', '-o', 'ucp-ca.pem'],
      [
        'openssl',
        'x509',
        '-in',
        'ucp-ca.pem',
        '-noout',
        '-fingerprint',
        '-sha256',
        { op: '|' },
        'grep',
        '-qix',
        `sha256 Fingerprint=${fingerprint}`,
      ],
    ]);
    expectParsesBack(command);
    // A machine that trusts UCP's certificate already downloads without -k.
    const verified = buildJoinCommand({ ...ucp, caDownloadVerified: true, ucpNode: 'dtr-4' });
    expect(before(verified)[0]?.[1]).toBe('-fsS');
    expect(
      errorOf(() => buildJoinCommand({ ...ucp, caFingerprint: "AB'; reboot", ucpNode: 'dtr-4' }))
        .field,
    ).toBe('caFingerprint');
  });

  it('reads a given CA file, or uses --ucp-insecure-tls, with no download first', () => {
    const withFile = buildJoinCommand({
      ...ucp,
      ucpCa: { kind: 'ca-file', path: '/etc/ucp/ca.pem' },
      ucpNode: 'dtr-4',
    });
    expect(before(withFile)).toEqual([]);
    expect(withFile.text).toMatch(/ --ucp-ca "\$\(cat \/etc\/ucp\/ca\.pem\)"$/);
    const insecure = buildJoinCommand({ ...ucp, ucpCa: { kind: 'insecure' }, ucpNode: 'dtr-4' });
    expect(insecure.text).toMatch(/ --ucp-insecure-tls$/);
    expect(insecure.text).not.toContain('--ucp-ca');
  });

  it('passes the optional replica ID and ports', () => {
    const command = buildJoinCommand({
      ...ucp,
      ucpNode: 'dtr-4',
      replicaId: B,
      httpPort: 8080,
      httpsPort: 8443,
    });
    expect(command.argv).toEqual(
      expect.arrayContaining([
        '--replica-id',
        B,
        '--replica-http-port',
        '8080',
        '--replica-https-port',
        '8443',
      ]),
    );
    expectParsesBack(command);
  });

  it('marks an unknown version with a placeholder tag instead of guessing or using latest', () => {
    const command = buildJoinCommand({ ...ucp, dtrVersion: null, ucpNode: 'dtr-4' });
    expect(command.needsVersion).toBe(true);
    expect(command.argv).toContain('docker/dtr:VERSION');
    expect(
      errorOf(() => buildJoinCommand({ ...ucp, dtrVersion: 'latest', ucpNode: 'dtr-4' })).field,
    ).toBe('dtrVersion');
  });

  it('uses the image it is given: MSR, MSR 2.10 and a private mirror', () => {
    for (const image of [
      'mirantis/dtr',
      'registry.mirantis.com/msr/dtr',
      'mirror.corp:5000/dtr/dtr',
    ])
      expect(buildJoinCommand({ ...ucp, image, ucpNode: 'dtr-4' }).argv).toContain(
        `${image}:2.9.16`,
      );
    for (const image of ['Docker/DTR', 'docker/dtr;reboot', '-x', 'a//b', ''])
      expect(errorOf(() => buildJoinCommand({ ...ucp, image, ucpNode: 'dtr-4' })).field).toBe(
        'image',
      );
  });

  it('never suggests --unsafe-join', () => {
    expect(buildJoinCommand({ ...ucp, ucpNode: 'dtr-4' }).text).not.toContain('unsafe');
  });
});

describe('buildRemoveCommand', () => {
  it('removes through a healthy replica, with no --ucp-node', () => {
    const command = buildRemoveCommand({
      ...ucp,
      existingReplicaId: A,
      replicaIds: [B, 'c0ffee123456'],
    });
    expect(command.argv.slice(4, 9)).toEqual([
      'docker/dtr:2.9.16',
      'remove',
      '--existing-replica-id',
      A,
      '--replica-ids',
    ]);
    expect(command.argv).toContain(`${B},c0ffee123456`);
    expect(command.argv).not.toContain('--ucp-node');
    expectParsesBack(command);
  });

  it('refuses to remove the replica it goes through, duplicates, or nothing', () => {
    expect(
      errorOf(() => buildRemoveCommand({ ...ucp, existingReplicaId: A, replicaIds: [A] })).field,
    ).toBe('existingReplicaId');
    expect(
      errorOf(() => buildRemoveCommand({ ...ucp, existingReplicaId: A, replicaIds: [B, B] })).field,
    ).toBe('replicaIds');
    expect(
      errorOf(() => buildRemoveCommand({ ...ucp, existingReplicaId: A, replicaIds: [] })).field,
    ).toBe('replicaIds');
  });
});

describe('buildEmergencyRepairCommand', () => {
  it('repairs onto the chosen replica, optionally pruning, without -y', () => {
    const command = buildEmergencyRepairCommand({ ...ucp, existingReplicaId: A, prune: true });
    expect(command.argv.slice(5, 9)).toEqual([
      'emergency-repair',
      '--existing-replica-id',
      A,
      '--prune',
    ]);
    expect(command.argv).not.toContain('-y');
    expectParsesBack(command);
  });
});

describe('input validation names the field', () => {
  const join = { ...ucp, ucpNode: 'dtr-4' };
  it.each([
    ['ucpNode', { ...join, ucpNode: 'dtr-4;reboot' }],
    ['ucpNode', { ...join, ucpNode: '-dtr' }],
    ['ucpNode', { ...join, ucpNode: `${'a'.repeat(64)}.example` }],
    ['existingReplicaId', { ...join, existingReplicaId: 'A3F1C2D4E5B6' }],
    ['replicaId', { ...join, replicaId: 'a3f1c2d4e5b' }],
    ['httpPort', { ...join, httpPort: 0 }],
    ['httpsPort', { ...join, httpsPort: 65536 }],
    ['httpsPort', { ...join, httpPort: 8443, httpsPort: 8443 }],
    ['ucpUrl', { ...join, ucpUrl: 'ftp://ucp.example.com' }],
    ['ucpUrl', { ...join, ucpUrl: 'https://ucp.example.com/login?next=1' }],
    ['ucpUrl', { ...join, ucpUrl: 'https://ucp .example.com' }],
    ['ucpUrl', { ...join, ucpUrl: 'https://under_score.example.com' }],
    ['ucpUsername', { ...join, ucpUsername: '' }],
    ['ucpUsername', { ...join, ucpUsername: 'ad min' }],
    ['ucpUsername', { ...join, ucpUsername: 'admin\u202e' }],
    ['dtrVersion', { ...join, dtrVersion: '2.9 ; id' }],
    ['ucpCa.path', { ...join, ucpCa: { kind: 'ca-file', path: 'ca.pem); rm -rf ~; (' } }],
    ['ucpCa.path', { ...join, ucpCa: { kind: 'ca-file', path: '-n' } }],
  ] as const)('rejects a bad %s', (field, options) => {
    const error = errorOf(() => buildJoinCommand(options));
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  it('accepts IP addresses and ports in the UCP URL and normalises a trailing slash', () => {
    expect(buildJoinCommand({ ...join, ucpUrl: 'https://10.0.0.5:8443/' }).argv).toContain(
      'https://10.0.0.5:8443',
    );
    expectParsesBack(buildJoinCommand({ ...join, ucpUrl: 'https://[fd00::5]:8443' }));
  });
});

// Hostile input: shell metacharacters, quotes, expansions, newlines, invisible characters.
const hostileFragment = fc.constantFrom(
  '$(',
  ')',
  '`',
  ';',
  '|',
  '&',
  "'",
  '"',
  '\\',
  '\n',
  ' ',
  '\t',
  '!',
  '*',
  '?',
  '#',
  '~',
  '$HOME',
  '${IFS}',
  '{a,b}',
  '<',
  '>',
  '=',
  ',',
  ':',
  '@',
  '%',
  '\u202e',
  '\u00a0',
  '--ucp-password',
  '-',
  '.',
  'a',
  'Z',
  '7',
  'dtr',
);
const hostile = fc.oneof(
  fc.array(hostileFragment, { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.domain(),
);

function buildsSafely(build: () => DtrCommand): void {
  let command: DtrCommand;
  try {
    command = build();
  } catch (error) {
    expect(error).toBeInstanceOf(CommandInputError);
    return;
  }
  expectParsesBack(command);
  // Before the tool, at most the CA download: the same (validated) UCP URL, nothing else.
  const ucpUrl = command.argv[command.argv.indexOf('--ucp-url') + 1];
  expect(before(command)).toEqual([['curl', '-fsSk', `${ucpUrl}/ca`, '-o', 'ucp-ca.pem']]);
}

describe('hostile values never escape their quoting', () => {
  it('node names', () => {
    fc.assert(
      fc.property(hostile, (ucpNode) => buildsSafely(() => buildJoinCommand({ ...ucp, ucpNode }))),
      { numRuns: 500 },
    );
  });

  it('replica IDs', () => {
    const id = fc.oneof(hostile, fc.stringMatching(/^[0-9a-f]{12}$/));
    fc.assert(
      fc.property(id, id, (existingReplicaId, removed) =>
        buildsSafely(() =>
          buildRemoveCommand({ ...ucp, existingReplicaId, replicaIds: [removed] }),
        ),
      ),
      { numRuns: 500 },
    );
  });

  it('UCP URLs', () => {
    const url = fc.oneof(
      hostile,
      hostile.map((h) => `https://${h}`),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc
        .tuple(fc.domain(), fc.integer({ min: 0, max: 70000 }))
        .map(([host, port]) => `https://${host}:${port}`),
    );
    fc.assert(
      fc.property(url, (ucpUrl) =>
        buildsSafely(() => buildEmergencyRepairCommand({ ...ucp, ucpUrl, existingReplicaId: A })),
      ),
      {
        numRuns: 500,
      },
    );
  });

  it('user names (free-form, so quoting is what keeps them inert)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(hostile, (ucpUsername) => {
        buildsSafely(() => {
          const command = buildJoinCommand({ ...ucp, ucpNode: 'dtr-4', ucpUsername });
          accepted += 1;
          return command;
        });
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('passwords never reach a command', () => {
  const secret = fc.string({ minLength: 1, maxLength: 20 }).map((s) => `S3cr3t-${s}`);

  it('a password passed as an extra option is ignored', () => {
    fc.assert(
      fc.property(secret, (password) => {
        const sneaky = {
          ...ucp,
          ucpPassword: password,
          password,
          ucpNode: 'dtr-4',
          existingReplicaId: A,
          replicaIds: [B],
        };
        for (const command of [
          buildJoinCommand(sneaky),
          buildRemoveCommand(sneaky),
          buildEmergencyRepairCommand(sneaky),
        ]) {
          expect(command.text).not.toContain(password);
          expect(command.argv.join(' ')).not.toContain(password);
          expect(command.text).not.toMatch(/password/i);
        }
      }),
    );
  });

  it('a password inside the UCP URL is rejected without being echoed', () => {
    fc.assert(
      fc.property(secret, (password) => {
        const ucpUrl = `https://admin:${encodeURIComponent(password)}@ucp.example.com`;
        const error = errorOf(() =>
          buildRemoveCommand({ ...ucp, ucpUrl, existingReplicaId: A, replicaIds: [B] }),
        );
        expect(error.field).toBe('ucpUrl');
        expect(error.message).not.toContain(password);
        expect(error.message).not.toContain(encodeURIComponent(password));
      }),
    );
  });
});
