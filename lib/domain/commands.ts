// Builders for the `docker/dtr` bootstrapper commands we print (DESIGN.md §3).
//
// Safety model: every value is validated, then shell-quoted (shell.ts). The one piece of
// shell syntax we emit on purpose is the `--ucp-ca "$(cat <file>)"` substitution, because
// the bootstrapper wants the PEM text itself. Its file name is either the fixed literal
// `ucp-ca.pem` (downloaded by a `curl` line we print first, URL quoted) or an operator path
// restricted to [A-Za-z0-9._/+-], so the substitution can only ever read that file. Besides,
// the download is chained with `&&` (and, when the console knows the CA, a fingerprint check
// of fixed text and a validated fingerprint) so the tool runs only with the CA it was meant to.
// No password flag is ever emitted: the tool prompts for the UCP password.
// Long commands are printed over several lines with ` \` continuations: the text shown is the
// text copied, and it runs as is.
import { continued, quoteWord, quoteWords } from './shell';

export class CommandInputError extends Error {
  override readonly name = 'CommandInputError';
  constructor(
    /** The option that was rejected, e.g. "ucpNode". */
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/**
 * A bootstrapper repository: `docker/dtr`, `mirantis/dtr` (MSR 2.8/2.9),
 * `registry.mirantis.com/msr/dtr` (MSR 2.10) or a private mirror's.
 */
export type DtrImage = string;
export const DEFAULT_DTR_IMAGE = 'docker/dtr';

/**
 * How the bootstrapper learns to trust UCP:
 * - ca-file: the operator has the UCP CA PEM at `path` on the machine running the command;
 * - fetch: download it from `<ucpUrl>/ca` first (trust on first use, as the vendor docs do);
 * - insecure: `--ucp-insecure-tls`.
 */
export type UcpCaSource =
  { kind: 'ca-file'; path: string } | { kind: 'fetch' } | { kind: 'insecure' };

export interface UcpConnectionOptions {
  /** Installed DTR version (image tag). null when unknown: the tag becomes VERSION_PLACEHOLDER. */
  dtrVersion: string | null;
  /** The bootstrapper repository; default docker/dtr. See lib/domain/image.ts for where it comes from. */
  image?: DtrImage;
  ucpUrl: string;
  ucpUsername: string;
  ucpCa: UcpCaSource;
  /**
   * For the `fetch` CA source: the SHA-256 fingerprint (AA:BB:… upper-case hex) of the UCP CA the
   * console itself verified (UCP_CA_FILE). The printed download is checked against it.
   */
  caFingerprint?: string | null;
  /**
   * For the `fetch` CA source: UCP's certificate chains to a CA the machine already trusts, so
   * the download need not skip verification (`curl -fsS` rather than `-fsSk`).
   */
  caDownloadVerified?: boolean;
}

export interface JoinCommandOptions extends UcpConnectionOptions {
  /** Hostname of the UCP worker that will run the new replica (not the UCP URL). */
  ucpNode: string;
  /** A healthy replica to join through; the tool asks when absent. */
  existingReplicaId?: string;
  /** Fix the new replica's ID instead of letting the tool pick one. */
  replicaId?: string;
  httpPort?: number;
  httpsPort?: number;
}

export interface RemoveCommandOptions extends UcpConnectionOptions {
  /** A healthy replica that stays. */
  existingReplicaId: string;
  /** The replicas to remove. */
  replicaIds: string[];
  /**
   * Add `--force` (MSR 2.9 and later): skip the tool's check that every other replica is
   * healthy. Callers decide when that is acceptable; see `supportsRemoveForce`.
   */
  force?: boolean;
}

export interface EmergencyRepairCommandOptions extends UcpConnectionOptions {
  /** The replica that survives as a single-replica cluster. */
  existingReplicaId: string;
  /** Add `--prune` (drop the data of the other replicas' tables). */
  prune?: boolean;
}

export interface DtrCommand {
  /**
   * Arguments of the `docker run` line as the shell passes them, except the `--ucp-ca`
   * value, which is the literal `$(cat <file>)` the shell replaces with the PEM.
   */
  argv: string[];
  /**
   * What to paste into a shell, wrapped with ` \` continuations: the CA download (and its
   * check) when needed, chained with `&&` to the docker run command.
   */
  text: string;
  /** The DTR version was unknown: the tag is VERSION_PLACEHOLDER and must be replaced. */
  needsVersion: boolean;
}

/**
 * The words before `<image:tag>` in every printed command. The console's own execution
 * (lib/domain/execution/spec.ts) drops exactly these and runs the rest, so printed and executed
 * commands share one flag list and cannot drift.
 */
export const DOCKER_RUN_WORDS = ['docker', 'run', '-it', '--rm'] as const;

/** Image tag used when the DTR version is unknown. No such tag exists, so it cannot run by accident. */
export const VERSION_PLACEHOLDER = 'VERSION';
/** File the `fetch` CA source downloads the UCP CA into. */
export const UCP_CA_FILE = 'ucp-ca.pem';

/** A DTR replica ID: 12 lowercase hex characters (DESIGN.md §2). */
export const REPLICA_ID = /^[0-9a-f]{12}$/;

/** A TCP port: a whole number from 1 to 65535. */
export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}
// Docker's reference grammar, lower-case path components, an optional registry host[:port].
const IMAGE_REPOSITORY =
  /^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::\d{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const FINGERPRINT = /^[0-9A-F]{2}(?::[0-9A-F]{2}){31}$/;
const HOST_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const CA_PATH = /^[A-Za-z0-9._/+][A-Za-z0-9._/+-]{0,1023}$/;
// Whitespace, control characters, and invisible/bidi format characters that could make a
// printed command read differently from what it does.
const CONTROL_OR_SPACE =
  /[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

export function validateReplicaId(field: string, value: string): string {
  if (!REPLICA_ID.test(value)) {
    throw new CommandInputError(
      field,
      `a replica ID is 12 lowercase hex characters, got ${show(value)}`,
    );
  }
  return value;
}

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, ≤ 253 characters. */
export function isHostname(value: string): boolean {
  return (
    value.length > 0 &&
    value.length <= 253 &&
    value.split('.').every((label) => HOST_LABEL.test(label))
  );
}

export function validateHostname(field: string, value: string): string {
  if (!isHostname(value)) {
    throw new CommandInputError(
      field,
      `not a valid host name (RFC 1123: letters, digits, inner hyphens, dot-separated), got ${show(value)}`,
    );
  }
  return value;
}

function validatePort(field: string, value: number): number {
  if (!isPort(value)) {
    throw new CommandInputError(
      field,
      `a port is a whole number from 1 to 65535, got ${show(value)}`,
    );
  }
  return value;
}

/** A UCP base URL: http(s), a valid host, optional port, no path, query, credentials or spaces. Returns it normalised. */
export function validateUcpUrl(field: string, value: string): string {
  // The values in these messages are never echoed: a URL may carry a password.
  if (CONTROL_OR_SPACE.test(value))
    throw new CommandInputError(field, 'must not contain spaces or control characters');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CommandInputError(
      field,
      'is not a valid URL (expected e.g. https://ucp.example.com)',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new CommandInputError(field, 'must start with https:// or http://');
  if (url.username !== '' || url.password !== '')
    throw new CommandInputError(field, 'must not contain a user name or password');
  if (
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search !== '' ||
    url.hash !== '' ||
    value.includes('?') ||
    value.includes('#')
  ) {
    throw new CommandInputError(
      field,
      'must be the UCP base URL, without a path, query or fragment',
    );
  }
  const host = url.hostname;
  const isIpv6 = host.startsWith('[') && host.endsWith(']');
  if (!isIpv6 && !IPV4.test(host) && !isHostname(host))
    throw new CommandInputError(field, 'has an invalid host name');
  return `${url.protocol}//${url.host}`;
}

function validateUsername(field: string, value: string): string {
  if (value.length === 0 || value.length > 255 || CONTROL_OR_SPACE.test(value)) {
    throw new CommandInputError(
      field,
      'must be 1 to 255 characters without spaces or control characters',
    );
  }
  return value;
}

function validateVersion(field: string, value: string): string {
  if (value.toLowerCase() === 'latest') {
    throw new CommandInputError(field, 'use the installed DTR version, never "latest"');
  }
  if (!IMAGE_TAG.test(value))
    throw new CommandInputError(field, `not a valid image tag, got ${show(value)}`);
  return value;
}

function caFileOf(field: string, ca: UcpCaSource): string | null {
  switch (ca.kind) {
    case 'insecure':
      return null;
    case 'fetch':
      return UCP_CA_FILE;
    case 'ca-file':
      if (!CA_PATH.test(ca.path)) {
        throw new CommandInputError(
          `${field}.path`,
          `use a path of letters, digits and . _ / + - that does not start with "-", got ${show(ca.path)}`,
        );
      }
      return ca.path;
    default:
      throw new CommandInputError(field, 'kind must be ca-file, fetch or insecure');
  }
}

/** A bootstrapper repository as it goes into `docker run`, validated. */
export function validateImage(field: string, value: string): string {
  if (value.length > 255 || !IMAGE_REPOSITORY.test(value)) {
    throw new CommandInputError(
      field,
      `not an image repository (e.g. docker/dtr, mirantis/dtr, registry.mirantis.com/msr/dtr), got ${show(value)}`,
    );
  }
  return value;
}

/** `--flag value` pairs (and lone flags) as the groups a wrapped command puts on one line each. */
function flagGroups(flags: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (const word of flags) {
    if (word.startsWith('--') || groups.length === 0) groups.push([word]);
    else groups.at(-1)?.push(word);
  }
  return groups;
}

/**
 * The lines before `docker run` for the `fetch` CA source: download UCP's CA, check it against
 * the fingerprint the console verified when it knows one, chained with `&&` so the tool never
 * runs with a CA that failed to download or does not match.
 */
function caDownloadParts(options: UcpConnectionOptions, ucpUrl: string): string[] {
  const verify = options.caDownloadVerified === true;
  const curl = `${quoteWords(['curl', verify ? '-fsS' : '-fsSk', `${ucpUrl}/ca`, '-o', UCP_CA_FILE])} &&`;
  const fingerprint = options.caFingerprint ?? null;
  if (fingerprint === null) return [curl];
  if (!FINGERPRINT.test(fingerprint)) {
    throw new CommandInputError(
      'caFingerprint',
      'a SHA-256 fingerprint is 32 upper-case hex pairs separated by colons',
    );
  }
  return [
    curl,
    `openssl x509 -in ${UCP_CA_FILE} -noout -fingerprint -sha256`,
    `| grep -qix ${quoteWord(`sha256 Fingerprint=${fingerprint}`)} &&`,
  ];
}

/** The `docker run ... <image> <subcommand>` command with the UCP connection flags, validated and wrapped. */
function withUcpConnection(
  options: UcpConnectionOptions,
  subcommand: string,
  flags: string[],
): DtrCommand {
  const image = validateImage('image', options.image ?? DEFAULT_DTR_IMAGE);
  const needsVersion = options.dtrVersion === null;
  const tag =
    options.dtrVersion === null
      ? VERSION_PLACEHOLDER
      : validateVersion('dtrVersion', options.dtrVersion);
  const ucpUrl = validateUcpUrl('ucpUrl', options.ucpUrl);
  const username = validateUsername('ucpUsername', options.ucpUsername);
  const caFile = caFileOf('ucpCa', options.ucpCa);

  const run = [...DOCKER_RUN_WORDS, `${image}:${tag}`, subcommand];
  const connection = ['--ucp-url', ucpUrl, '--ucp-username', username];
  const groups = [run, ...flagGroups([...flags, ...connection])].map((group) => quoteWords(group));
  const before = options.ucpCa.kind === 'fetch' ? caDownloadParts(options, ucpUrl) : [];
  const argv = [...run, ...flags, ...connection];
  if (caFile === null) {
    return {
      argv: [...argv, '--ucp-insecure-tls'],
      text: continued([...before, ...groups, '--ucp-insecure-tls']),
      needsVersion,
    };
  }
  const substitution = `$(cat ${caFile})`;
  return {
    argv: [...argv, '--ucp-ca', substitution],
    text: continued([...before, ...groups, `--ucp-ca "${substitution}"`]),
    needsVersion,
  };
}

/** `join`: add a replica on a UCP worker. Never `--unsafe-join`. */
export function buildJoinCommand(options: JoinCommandOptions): DtrCommand {
  const flags = ['--ucp-node', validateHostname('ucpNode', options.ucpNode)];
  if (options.existingReplicaId !== undefined) {
    flags.push(
      '--existing-replica-id',
      validateReplicaId('existingReplicaId', options.existingReplicaId),
    );
  }
  if (options.replicaId !== undefined) {
    validateReplicaId('replicaId', options.replicaId);
    if (options.replicaId === options.existingReplicaId) {
      throw new CommandInputError(
        'replicaId',
        'the new replica needs an ID of its own, not the existing replica’s',
      );
    }
    flags.push('--replica-id', options.replicaId);
  }
  if (options.httpPort !== undefined)
    flags.push('--replica-http-port', String(validatePort('httpPort', options.httpPort)));
  if (options.httpsPort !== undefined)
    flags.push('--replica-https-port', String(validatePort('httpsPort', options.httpsPort)));
  if (options.httpPort !== undefined && options.httpPort === options.httpsPort) {
    throw new CommandInputError('httpsPort', 'must differ from httpPort');
  }
  return withUcpConnection(options, 'join', flags);
}

/** `remove`: gracefully remove replicas; every other replica must be healthy. */
export function buildRemoveCommand(options: RemoveCommandOptions): DtrCommand {
  const existing = validateReplicaId('existingReplicaId', options.existingReplicaId);
  if (options.replicaIds.length === 0)
    throw new CommandInputError('replicaIds', 'name at least one replica to remove');
  const ids = options.replicaIds.map((id, i) => validateReplicaId(`replicaIds[${i}]`, id));
  if (new Set(ids).size !== ids.length)
    throw new CommandInputError('replicaIds', 'lists a replica twice');
  if (ids.includes(existing)) {
    throw new CommandInputError(
      'existingReplicaId',
      'must be a healthy replica that stays, not one being removed',
    );
  }
  const flags = ['--existing-replica-id', existing, '--replica-ids', ids.join(',')];
  if (options.force === true) flags.push('--force');
  return withUcpConnection(options, 'remove', flags);
}

/**
 * Whether an installed DTR/MSR version has `remove --force` (added in MSR 2.9). Unknown or
 * unreadable versions say no: the flag must not be printed for a tool that rejects it.
 */
export function supportsRemoveForce(dtrVersion: string | null): boolean {
  const match = dtrVersion === null ? null : /^v?(\d+)\.(\d+)(?:\.|$|-)/.exec(dtrVersion);
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major > 2 || (major === 2 && minor >= 9);
}

/** `emergency-repair`: after quorum loss, make one replica a single-replica cluster. */
export function buildEmergencyRepairCommand(options: EmergencyRepairCommandOptions): DtrCommand {
  const flags = [
    '--existing-replica-id',
    validateReplicaId('existingReplicaId', options.existingReplicaId),
  ];
  if (options.prune === true) flags.push('--prune');
  return withUcpConnection(options, 'emergency-repair', flags);
}
