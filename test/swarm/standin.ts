// A stand-in DTR bootstrapper image for tests (docs/design-gated-execution.md §5): Debian's static
// busybox plus a `/dtr` shell script that checks its arguments and password the way the real CLI
// does, prints logrus-style lines and succeeds or fails as its variant says. Built per run and
// imported into a daemon through the Engine API; nothing is pulled.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  closeSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { findExecutable, toolPath } from './prerequisites';

/** Debian's busybox-static: a static ELF, so it runs in an image that has nothing else. */
export const BUSYBOX = '/bin/busybox';

export type StandinVariant = 'ok' | 'fail' | 'slow';

/** Repository of each variant: the variant is chosen by the image name (as `DTR_IMAGE` would). */
export const STANDIN_REPOSITORY: Record<StandinVariant, string> = {
  ok: 'dhc/dtr-ok',
  fail: 'dhc/dtr-fail',
  slow: 'dhc/dtr-slow',
};

/** Seconds `/dtr` sleeps after each progress line, per variant. */
const DEFAULT_DELAY: Record<StandinVariant, number> = { ok: 0, fail: 0, slow: 4 };

const APPLETS = ['sh', 'cat', 'cut', 'date', 'od', 'tr', 'sleep', 'sha256sum', 'stty'];

/**
 * The stand-in CLI (busybox ash). Like the real one: join / remove / emergency-repair with their
 * flags only, no password flag, no prompt without a TTY, the password from `$UCP_PASSWORD`,
 * logrus-style `INFO[nnnn]` lines (seconds since start) and `FATA[nnnn]` + exit 1 on failure.
 * Every argument is first echoed as `STANDIN-ARG <hex>` on stdout (hex keeps a PEM on one line),
 * so a test can compare the argv the container received with the one it meant to pass.
 */
export const DTR_SCRIPT = String.raw`#!/bin/sh
t0=$(date +%s)
ts(){ printf %04d $(( $(date +%s) - t0 )); }
say(){ echo "INFO[$(ts)] $*"; }
fail(){ echo "FATA[$(ts)] $*" >&2; exit 1; }
hex12(){ case $1 in *[!0-9a-f]*) return 1;; esac; [ ${'$'}{#1} -eq 12 ]; }
port(){ case $1 in ''|*[!0-9]*) return 1;; esac; [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }
for a in "$@"; do printf 'STANDIN-ARG %s\n' "$(printf %s "$a" | od -An -tx1 -v | tr -d ' \n')"; done
[ $# -ge 1 ] || fail "no command given: use join, remove or emergency-repair"
cmd=$1; shift
case $cmd in join|remove|emergency-repair) ;; *) fail "unknown command $cmd";; esac
while [ $# -gt 0 ]; do
  case $1 in
    --ucp-url|--ucp-username|--ucp-ca|--ucp-node|--existing-replica-id|--replica-ids|--replica-id|--replica-http-port|--replica-https-port)
      [ $# -ge 2 ] || fail "flag needs an argument: $1"
      eval "v_$(echo "${'$'}{1#--}" | tr - _)=\$2"; shift 2;;
    --ucp-insecure-tls|--force|--prune|--yes|--debug|--nocolor)
      eval "f_$(echo "${'$'}{1#--}" | tr - _)=1"; shift;;
    --ucp-password|--ucp-password=*) fail "the stand-in refuses a password on the command line";;
    --unsafe-join) fail "the stand-in refuses --unsafe-join";;
    *) fail "flag provided but not defined: $1";;
  esac
done
case $v_ucp_url in http://?*|https://?*) ;; *) fail "ucp-url: expected http(s)://…, got '$v_ucp_url'";; esac
[ -n "$v_ucp_username" ] || fail "ucp-username is required"
if [ -n "$v_ucp_ca" ] && [ -n "$f_ucp_insecure_tls" ]; then fail "use either --ucp-ca or --ucp-insecure-tls, not both"; fi
if [ -z "$v_ucp_ca" ] && [ -z "$f_ucp_insecure_tls" ]; then fail "ucp-ca or ucp-insecure-tls is required"; fi
if [ -n "$v_ucp_ca" ]; then case $v_ucp_ca in '-----BEGIN CERTIFICATE-----'*) ;; *) fail "ucp-ca: not a PEM certificate";; esac; fi
case $cmd in
  join)
    case $v_ucp_node in ''|-*|*[!A-Za-z0-9.-]*) fail "ucp-node: expected a host name, got '$v_ucp_node'";; esac
    hex12 "$v_existing_replica_id" || fail "existing-replica-id: expected 12 hex characters (cannot prompt for a replica: stdin is closed)"
    if [ -n "$v_replica_id" ]; then
      hex12 "$v_replica_id" || fail "replica-id: expected 12 hex characters"
      [ "$v_replica_id" != "$v_existing_replica_id" ] || fail "replica-id must differ from existing-replica-id"
    fi
    [ -z "$v_replica_http_port" ] || port "$v_replica_http_port" || fail "replica-http-port: not a port"
    [ -z "$v_replica_https_port" ] || port "$v_replica_https_port" || fail "replica-https-port: not a port";;
  remove)
    hex12 "$v_existing_replica_id" || fail "existing-replica-id: expected 12 hex characters"
    [ -n "$v_replica_ids" ] || fail "replica-ids is required"
    old=$IFS; IFS=,; for r in $v_replica_ids; do
      hex12 "$r" || fail "replica-ids: '$r' is not 12 hex characters"
      [ "$r" != "$v_existing_replica_id" ] || fail "replica-ids must not include the existing replica"
    done; IFS=$old;;
  emergency-repair)
    hex12 "$v_existing_replica_id" || fail "existing-replica-id: expected 12 hex characters"
    [ -n "$f_yes" ] || fail "cannot prompt for confirmation: pass --yes";;
esac
if [ -z "$UCP_PASSWORD" ]; then
  [ -t 0 ] || fail "cannot prompt for a password because the container was not started in tty mode (-t)"
  printf 'ucp-password: '; stty -echo; IFS= read -r UCP_PASSWORD; stty echo; echo
fi
[ "$(printf %s "$UCP_PASSWORD" | sha256sum | cut -c1-64)" = "$(cat /etc/standin/password.sha256)" ] || fail "Couldn't login to UCP: invalid username or password"
d=$(cat /etc/standin/delay)
for s in "Validating UCP cert" "Connecting to UCP" "Searching containers in UCP for DTR replicas" "$cmd in progress"; do
  say "$s"; sleep "$d"
done
[ "$(cat /etc/standin/outcome)" = ok ] || fail "$cmd failed (stand-in)"
say "$cmd complete"
`;

export interface StandinOptions {
  /** The run's UCP password: only its sha256 goes into the image. */
  password: string;
  variant: StandinVariant;
  /** The version the fake DTR reports, e.g. `2.9.3`. */
  tag: string;
  /** Seconds between progress lines; default 0, or 4 for `slow`. */
  delaySeconds?: number;
}

/** Whether an ELF file asks for a program interpreter (a dynamic loader): a PT_INTERP header. */
export function elfInterpreter(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(64);
    readSync(fd, head, 0, 64, 0);
    if (head.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file} is not an ELF file`);
    if (head[4] !== 2 || head[5] !== 1)
      throw new Error(`${file} is not a 64-bit little-endian ELF`);
    const phoff = Number(head.readBigUInt64LE(32));
    const phentsize = head.readUInt16LE(54);
    const phnum = head.readUInt16LE(56);
    const table = Buffer.alloc(phentsize * phnum);
    readSync(fd, table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) {
      if (table.readUInt32LE(i * phentsize) === 3 /* PT_INTERP */) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Why the stand-in cannot be built here, or undefined. */
export function standinUnavailableReason(): string | undefined {
  try {
    if (elfInterpreter(BUSYBOX)) {
      return `${BUSYBOX} is dynamically linked (Debian's busybox, not busybox-static)`;
    }
  } catch {
    return `needs Debian's busybox-static (${BUSYBOX})`;
  }
  if (!findExecutable('tar')) return 'needs tar';
  return undefined;
}

/** The image's root file system as a tar archive (owned by root, numeric IDs). */
export function standinTarball(options: StandinOptions): Buffer {
  const reason = standinUnavailableReason();
  if (reason) throw new Error(`cannot build the stand-in bootstrapper: ${reason}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'dhc-standin-'));
  try {
    mkdirSync(path.join(dir, 'bin'));
    copyFileSync(BUSYBOX, path.join(dir, 'bin/busybox'));
    chmodSync(path.join(dir, 'bin/busybox'), 0o755);
    for (const applet of APPLETS) symlinkSync('busybox', path.join(dir, 'bin', applet));
    writeFileSync(path.join(dir, 'dtr'), DTR_SCRIPT, { mode: 0o755 });
    chmodSync(path.join(dir, 'dtr'), 0o755);
    mkdirSync(path.join(dir, 'tmp'));
    chmodSync(path.join(dir, 'tmp'), 0o1777);
    const etc = path.join(dir, 'etc/standin');
    mkdirSync(etc, { recursive: true });
    const sha = createHash('sha256').update(options.password, 'utf8').digest('hex');
    writeFileSync(path.join(etc, 'password.sha256'), `${sha}\n`);
    const delay = options.delaySeconds ?? DEFAULT_DELAY[options.variant];
    if (!Number.isInteger(delay) || delay < 0 || delay > 60) throw new Error('delay: 0–60 s');
    writeFileSync(path.join(etc, 'delay'), `${delay}\n`);
    writeFileSync(path.join(etc, 'outcome'), `${options.variant === 'fail' ? 'fail' : 'ok'}\n`);
    return execFileSync(
      'tar',
      ['--owner=0', '--group=0', '--numeric-owner', '-C', dir, '-cf', '-', '.'],
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PATH: toolPath } },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds the stand-in and imports it into the daemon at `socketPath`
 * (`POST /images/create?fromSrc=-`, body the tar), as `<dhc/dtr-variant>:<tag>` with
 * `ENTRYPOINT ["/dtr"]` and `ENV PATH=/bin`.
 */
export async function importStandin(
  socketPath: string,
  options: StandinOptions,
): Promise<{ ref: string; imageId: string }> {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(options.tag))
    throw new Error(`bad tag ${options.tag}`);
  const repo = STANDIN_REPOSITORY[options.variant];
  const tar = standinTarball(options);
  const query = new URLSearchParams({ fromSrc: '-', repo, tag: options.tag });
  query.append('changes', 'ENTRYPOINT ["/dtr"]');
  query.append('changes', 'ENV PATH=/bin');
  const agent = new Agent({ connect: { socketPath }, pipelining: 0 });
  try {
    const res = await request(`http://docker/images/create?${query}`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/x-tar' },
      body: tar,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200)
      throw new Error(`import into ${socketPath}: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
    // A stream of JSON progress messages; an error arrives as {"error": …} with status 200.
    for (const line of text.split(/\r?\n/).filter(Boolean)) {
      const message = JSON.parse(line) as { error?: string };
      if (message.error) throw new Error(`import into ${socketPath}: ${message.error}`);
    }
    const ref = `${repo}:${options.tag}`;
    const inspect = await request(`http://docker/images/${ref}/json`, {
      dispatcher: agent,
      signal: AbortSignal.timeout(10_000),
    });
    const image = (await inspect.body.json()) as { Id?: string };
    if (inspect.statusCode !== 200 || !image.Id)
      throw new Error(`imported ${ref} into ${socketPath}, but inspecting it failed`);
    return { ref, imageId: image.Id };
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}

/** The arguments `/dtr` received, from its `STANDIN-ARG <hex>` lines (other lines ignored). */
export function decodeStandinArgs(lines: string[]): string[] {
  const args: string[] = [];
  for (const line of lines) {
    const match = /^STANDIN-ARG ([0-9a-f]*)\r?$/.exec(line);
    if (match) args.push(Buffer.from(match[1] ?? '', 'hex').toString('utf8'));
  }
  return args;
}

/** A random password for one run (never in the image, only its hash). */
export function standinPassword(): string {
  return `pw-${randomBytes(6).toString('hex')}-S3cret!`;
}
