import { describe, expect, it } from 'vitest';
import {
  buildEmergencyRepairCommand,
  buildJoinCommand,
  buildRemoveCommand,
  type DtrCommand,
  type UcpConnectionOptions,
} from '../commands';
import type { WizardKind } from '../wizards/gates';
import {
  EXECUTION_LABELS,
  executionSpec,
  PASSWORD_WRAPPER,
  pemCertificates,
  type ExecutionSpecInput,
} from './spec';

const A = 'a3f1c2d4e5b6';
const B = 'b7e2d9c1f0a3';
const C = 'c0ffee123456';
const PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBszCCAVmgAwIBAgIUTestTestTestTestTestTestTestTestwCgYIKoZIzj0E',
  'AwIwHTEbMBkGA1UEAxMSVUNQIFJvb3QgQ0EgKHRlc3QpMB4XDTI0MDEwMTAwMDAw',
  'MFoXDTM0MDEwMTAwMDAwMFowHTEbMBkGA1UEAxMSVUNQIFJvb3QgQ0EgKHRlc3Qp',
  '-----END CERTIFICATE-----',
  '',
].join('\n');

const ucp: UcpConnectionOptions = {
  dtrVersion: '2.9.3',
  image: 'mirantis/dtr',
  ucpUrl: 'https://ucp.example.com',
  ucpUsername: 'admin',
  ucpCa: { kind: 'ca-file', path: '/etc/ucp/ca.pem' },
};
const ids = { execution: 'ex-1', run: 'run-1', cluster: 'prod' };

const commands: Record<WizardKind, (connection: UcpConnectionOptions) => DtrCommand> = {
  join: (c) => buildJoinCommand({ ...c, ucpNode: 'dtr-4', existingReplicaId: A, replicaId: C }),
  remove: (c) => buildRemoveCommand({ ...c, existingReplicaId: A, replicaIds: [B, C] }),
  repair: (c) => buildEmergencyRepairCommand({ ...c, existingReplicaId: A, prune: true }),
};

function input(kind: WizardKind, overrides: Partial<ExecutionSpecInput> = {}): ExecutionSpecInput {
  return {
    command: commands[kind](ucp),
    kind,
    caPem: PEM,
    toolEntrypoint: ['dtr'],
    node: 'dtr-1',
    viaBundle: true,
    ids,
    ...overrides,
  };
}

function ok(result: ReturnType<typeof executionSpec>) {
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result;
}
function refused(result: ReturnType<typeof executionSpec>): string {
  if (result.ok) throw new Error('expected a refusal');
  return result.reason;
}

describe('executionSpec', () => {
  it.each(['join', 'remove', 'repair'] as const)(
    '%s: runs the printed argv after the image, with the CA as PEM text, in the printed image',
    (kind) => {
      const command = commands[kind](ucp);
      const { spec } = ok(executionSpec(input(kind, { command })));
      const printed = command.argv.slice(5);
      const expected = [
        'dtr',
        ...printed.map((word) => (word === '$(cat /etc/ucp/ca.pem)' ? PEM.trim() : word)),
        ...(kind === 'repair' ? ['--yes'] : []),
      ];
      expect(command.argv.slice(0, 5)).toEqual([
        'docker',
        'run',
        '-it',
        '--rm',
        'mirantis/dtr:2.9.3',
      ]);
      expect(spec.image).toBe('mirantis/dtr:2.9.3');
      expect(spec.cmd).toEqual(expected);
      expect(spec.entrypoint).toEqual(PASSWORD_WRAPPER);
      expect(spec.labels).toEqual({
        'com.dtr-ha-console.execution': 'ex-1',
        'com.dtr-ha-console.run': 'run-1',
        'com.dtr-ha-console.cluster': 'prod',
      });
      expect(Object.keys(spec.labels).sort()).toEqual(Object.values(EXECUTION_LABELS).sort());
      expect(spec.env).toEqual(['constraint:node==dtr-1']);
    },
  );

  it('runs the subcommand each wizard names, with the flags as printed', () => {
    const { spec: remove } = ok(executionSpec(input('remove')));
    expect(remove.cmd.slice(0, 6)).toEqual([
      'dtr',
      'remove',
      '--existing-replica-id',
      A,
      '--replica-ids',
      `${B},${C}`,
    ]);
    const { spec: repair } = ok(executionSpec(input('repair')));
    expect(repair.cmd.slice(0, 2)).toEqual(['dtr', 'emergency-repair']);
    expect(repair.cmd).toContain('--prune');
    expect(repair.cmd.at(-1)).toBe('--yes');
    const { spec: join } = ok(executionSpec(input('join', { toolEntrypoint: ['/dtr'] })));
    expect(join.cmd.slice(0, 4)).toEqual(['/dtr', 'join', '--ucp-node', 'dtr-4']);
    expect(join.cmd).not.toContain('--yes');
  });

  it('the wrapper reads the password from standard input into the environment, never from an argument', () => {
    expect(PASSWORD_WRAPPER).toEqual([
      '/bin/sh',
      '-c',
      'IFS= read -r UCP_PASSWORD || exit 97; export UCP_PASSWORD; exec "$@" </dev/null',
      'dtr-console',
    ]);
    for (const kind of ['join', 'remove', 'repair'] as const) {
      const { spec, argvPublic } = ok(executionSpec(input(kind)));
      for (const word of [...spec.cmd, ...spec.env, ...argvPublic]) {
        expect(word).not.toMatch(/password/i);
      }
    }
  });

  it('shows the CA in argvPublic as what it is, never its text', () => {
    const { spec, argvPublic } = ok(executionSpec(input('remove')));
    const at = spec.cmd.indexOf('--ucp-ca') + 1;
    expect(spec.cmd[at]).toBe(PEM.trim());
    expect(argvPublic[at]).toBe(
      `<UCP CA PEM, 1 certificate, ${new TextEncoder().encode(PEM.trim()).length} bytes>`,
    );
    for (const word of argvPublic) {
      expect(word).not.toContain('BEGIN CERTIFICATE');
      expect(word).not.toContain('MIIBszCCAVmgAwIBAgIU');
    }
    expect(argvPublic.filter((_, i) => i !== at)).toEqual(spec.cmd.filter((_, i) => i !== at));
  });

  it('passes --ucp-insecure-tls through and needs no CA for it', () => {
    const command = commands.remove({ ...ucp, ucpCa: { kind: 'insecure' } });
    const { spec, argvPublic } = ok(executionSpec(input('remove', { command, caPem: null })));
    expect(spec.cmd.at(-1)).toBe('--ucp-insecure-tls');
    expect(spec.cmd).not.toContain('--ucp-ca');
    expect(spec.cmd).toEqual(['dtr', ...command.argv.slice(5)]);
    expect(argvPublic).toEqual(spec.cmd);
  });

  it('fills in the CA the fetch source downloads, too', () => {
    const command = commands.join({ ...ucp, ucpCa: { kind: 'fetch' } });
    expect(command.argv.at(-1)).toBe('$(cat ucp-ca.pem)');
    const { spec } = ok(executionSpec(input('join', { command })));
    expect(spec.cmd.at(-1)).toBe(PEM.trim());
  });

  it('pins whenever a node is named (a bundle at another address than UCP_URL is pinned too)', () => {
    expect(ok(executionSpec(input('join', { viaBundle: false }))).spec.env).toEqual([
      'constraint:node==dtr-1',
    ]);
    expect(ok(executionSpec(input('join', { node: null }))).spec.env).toEqual([]);
    expect(refused(executionSpec(input('join', { node: 'bad node\nx' })))).toMatch(
      /not a valid host name/,
    );
  });

  it('refuses a command whose version is unknown', () => {
    const command = commands.remove({ ...ucp, dtrVersion: null });
    expect(command.needsVersion).toBe(true);
    expect(refused(executionSpec(input('remove', { command })))).toMatch(
      /does not know the installed DTR version.*mirantis\/dtr:VERSION.*DTR_VERSION/,
    );
  });

  it('refuses a CA command without a CA, or with something that is not a certificate', () => {
    expect(refused(executionSpec(input('remove', { caPem: null })))).toMatch(
      /no UCP CA to hand to the tool. Configure UCP_CA_FILE/,
    );
    const key = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
    expect(refused(executionSpec(input('remove', { caPem: key })))).toMatch(
      /not a PEM certificate/,
    );
    expect(refused(executionSpec(input('remove', { caPem: `${PEM}${key}` })))).toMatch(
      /not a PEM certificate/,
    );
  });

  it('refuses an image without an entrypoint', () => {
    expect(refused(executionSpec(input('join', { toolEntrypoint: [] })))).toMatch(
      /image mirantis\/dtr:2.9.3 declares no entrypoint/,
    );
  });

  it('refuses a word with a line break (the CA excepted), a password flag, another subcommand', () => {
    const base = commands.remove(ucp);
    const bent = { ...base, argv: base.argv.map((w) => (w === 'admin' ? 'admin\nrm' : w)) };
    expect(refused(executionSpec(input('remove', { command: bent })))).toMatch(/line break/);
    expect(refused(executionSpec(input('remove', { toolEntrypoint: ['dtr\n'] })))).toMatch(
      /line break/,
    );
    const withPassword = { ...base, argv: [...base.argv, '--ucp-password', 'x'] };
    expect(refused(executionSpec(input('remove', { command: withPassword })))).toMatch(
      /password flag/,
    );
    expect(refused(executionSpec(input('repair', { command: base })))).toMatch(
      /runs "remove", not "emergency-repair"/,
    );
    const notDocker = { ...base, argv: ['podman', ...base.argv.slice(1)] };
    expect(refused(executionSpec(input('remove', { command: notDocker })))).toMatch(
      /does not start with "docker run -it --rm <image>"/,
    );
  });
});

describe('pemCertificates', () => {
  it('counts certificate blocks and nothing else', () => {
    expect(pemCertificates(PEM)).toBe(1);
    expect(pemCertificates(`${PEM}\n${PEM}`)).toBe(2);
    expect(pemCertificates('')).toBeNull();
    expect(pemCertificates(`junk\n${PEM}`)).toBeNull();
  });
});
