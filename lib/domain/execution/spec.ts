// What the console asks the engine to create when it runs a wizard's step itself
// (docs/design-gated-execution.md §2): the printed command minus `docker run -it --rm <image>`,
// the UCP CA as PEM text where the shell would have put `$(cat <file>)`, emergency repair's
// `--yes`, and a wrapper that reads the UCP password from standard input into the process
// environment, so `docker inspect` never shows it. Pure: nothing here runs anything.
import { DOCKER_RUN_WORDS, isHostname, VERSION_PLACEHOLDER, type DtrCommand } from '../commands';
import type { WizardKind } from '../wizards/gates';
import type { ContainerSpec } from './types';

/** The labels by which recovery finds the console's containers. */
export const EXECUTION_LABELS = {
  execution: 'com.dtr-ha-console.execution',
  run: 'com.dtr-ha-console.run',
  cluster: 'com.dtr-ha-console.cluster',
} as const;

/**
 * The container's entrypoint: read one line (the password) from standard input, export it as
 * `UCP_PASSWORD` (the tool reads every flag from its environment variable), then run the tool
 * with standard input closed, so an unexpected prompt fails at once instead of hanging.
 * Exit 97: the password was never handed over. `dtr-console` is `$0`; the tool's argv is `$@`.
 */
export const PASSWORD_WRAPPER: string[] = [
  '/bin/sh',
  '-c',
  'IFS= read -r UCP_PASSWORD || exit 97; export UCP_PASSWORD; exec "$@" </dev/null',
  'dtr-console',
];

/** The wrapper's exit code when standard input ended before a password line. */
export const PASSWORD_NOT_HANDED_OVER = 97;

/** The bootstrapper subcommand each wizard runs. */
export const SUBCOMMANDS: Record<WizardKind, string> = {
  join: 'join',
  remove: 'remove',
  repair: 'emergency-repair',
};

export interface ExecutionSpecInput {
  /** The run's planned command (argv as printed). */
  command: DtrCommand;
  kind: WizardKind;
  /** The UCP CA PEM text to put where the printed command has "$(cat <file>)". */
  caPem: string | null;
  /** The image's Config.Entrypoint (e.g. ["dtr"] or ["/dtr"]); empty → refuse. */
  toolEntrypoint: string[];
  /** Pin with Env constraint:node==<node> (always when named; UCP honours it, an engine ignores it). */
  node: string | null;
  viaBundle: boolean;
  ids: { execution: string; run: string; cluster: string };
}

export type ExecutionSpecResult =
  { ok: true; spec: ContainerSpec; argvPublic: string[] } | { ok: false; reason: string };

const CA_SUBSTITUTION = /^\$\(cat [^()]+\)$/;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g;
// Line breaks end an argument in a log, a prompt or a `ps` listing; NUL cannot be in an argv.
const LINE_BREAK = /[\r\n\u2028\u2029]/;
const NUL = /\u0000/;

/** How many certificates a PEM text is, or null when it is anything else (a key, junk). */
export function pemCertificates(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const blocks = trimmed.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) return null;
  // Nothing but certificate blocks and the whitespace between them.
  if (trimmed.replace(PEM_BLOCK, '').trim() !== '') return null;
  return blocks.length;
}

/** The PEM as people see it in the argv: never the text, only what it is. */
export function publicPem(pem: string): string {
  const certificates = pemCertificates(pem) ?? 0;
  const bytes = new TextEncoder().encode(pem).length;
  return `<UCP CA PEM, ${certificates === 1 ? '1 certificate' : `${certificates} certificates`}, ${bytes} bytes>`;
}

function refuse(reason: string): ExecutionSpecResult {
  return { ok: false, reason };
}

/** The container spec for one execution, or the sentence that says why the console will not run it. */
export function executionSpec(input: ExecutionSpecInput): ExecutionSpecResult {
  const { command, kind } = input;
  const argv = command.argv;
  const prefix = DOCKER_RUN_WORDS.length;
  if (argv.length < prefix + 2 || DOCKER_RUN_WORDS.some((word, i) => argv[i] !== word)) {
    return refuse(
      `The planned command does not start with "${DOCKER_RUN_WORDS.join(' ')} <image>", so the console cannot tell which image and arguments to run. Plan the change again.`,
    );
  }
  const image = argv[prefix] ?? '';
  const tool = argv.slice(prefix + 1);
  if (command.needsVersion || image.endsWith(`:${VERSION_PLACEHOLDER}`)) {
    return refuse(
      `The console does not know the installed DTR version, so the image reads ${image}: it will not run a bootstrapper whose version it cannot name. Set DTR_VERSION to the installed version (never latest) and plan the change again.`,
    );
  }
  if (tool[0] !== SUBCOMMANDS[kind]) {
    return refuse(
      `The planned command runs "${tool[0] ?? ''}", not "${SUBCOMMANDS[kind]}" as a ${kind} run should. Plan the change again.`,
    );
  }
  if (tool.some((word) => word.startsWith('--ucp-password'))) {
    return refuse(
      'The planned command carries a password flag; the console hands the password over on standard input only. Plan the change again.',
    );
  }
  if (input.toolEntrypoint.length === 0) {
    return refuse(
      `The image ${image} declares no entrypoint, so the console cannot tell how to start the dtr tool in it. Use a docker/dtr or Mirantis MSR bootstrapper image, or run the printed command yourself.`,
    );
  }

  const caAt = tool.indexOf('--ucp-ca') + 1;
  let pem: string | null = null;
  if (caAt > 0) {
    const value = tool[caAt];
    if (value === undefined || !CA_SUBSTITUTION.test(value)) {
      return refuse(
        'The planned command’s --ucp-ca value is not the "$(cat <file>)" the console knows how to fill in. Plan the change again.',
      );
    }
    if (input.caPem === null) {
      return refuse(
        `The command trusts UCP through its CA (--ucp-ca), but the console has no UCP CA to hand to the tool. Configure UCP_CA_FILE with UCP’s CA certificate, or run the printed command yourself.`,
      );
    }
    if (pemCertificates(input.caPem) === null) {
      return refuse(
        'The UCP CA the console has is not a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----), so the tool could not trust UCP with it. Check UCP_CA_FILE.',
      );
    }
    pem = input.caPem.trim();
  }

  const words = [...input.toolEntrypoint, ...tool];
  const pemAt = pem === null ? -1 : input.toolEntrypoint.length + caAt;
  if (pem !== null) words[pemAt] = pem;
  if (kind === 'repair' && !words.includes('--yes')) words.push('--yes');

  for (const [i, word] of words.entries()) {
    if (NUL.test(word) || (i !== pemAt && LINE_BREAK.test(word))) {
      return refuse(
        `An argument of the command (${JSON.stringify(word.slice(0, 40))}) holds a line break or NUL character; the console will not run it. Plan the change again.`,
      );
    }
  }

  // Pinned whenever a node is named: through UCP the constraint places the tool; on a plain
  // engine (already checked to be that node) it is an inert variable. A bundle the console did
  // not recognise as UCP's (another address for it) is then still pinned.
  let env: string[] = [];
  if (input.node !== null) {
    if (!isHostname(input.node)) {
      return refuse(
        `The node ${JSON.stringify(input.node.slice(0, 80))} is not a valid host name, so the console cannot pin the tool to it.`,
      );
    }
    env = [`constraint:node==${input.node}`];
  }

  return {
    ok: true,
    spec: {
      image,
      entrypoint: [...PASSWORD_WRAPPER],
      cmd: words,
      env,
      labels: {
        [EXECUTION_LABELS.execution]: input.ids.execution,
        [EXECUTION_LABELS.run]: input.ids.run,
        [EXECUTION_LABELS.cluster]: input.ids.cluster,
      },
    },
    argvPublic: words.map((word, i) => (i === pemAt && pem !== null ? publicPem(pem) : word)),
  };
}
