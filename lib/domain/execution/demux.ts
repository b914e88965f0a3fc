// The attach stream of a container started without a TTY, made into log lines
// (docs/design-gated-execution.md §3). Docker multiplexes standard output and error into frames:
// an 8-byte header [stream type (1 out, 2 err), 0, 0, 0, payload size uint32 big-endian], then the
// payload. Frames may arrive split anywhere, a UTF-8 character may straddle frames and chunks, and
// a line may span many frames. Each stream keeps its own decoder and unfinished line until the
// line ends (`\n`, `\r` or `\r\n`), so a password split across frames is still redacted.
// Lines are ANSI-stripped, redacted, then capped. Pure: bytes in, lines out.
import type { ExecutionLine } from './types';

export type ExecutionLinePart = Omit<ExecutionLine, 'seq' | 'at'>;

export interface Demuxer {
  /** Feed the next bytes; returns the lines they completed, in the order they ended. */
  push(chunk: Uint8Array): ExecutionLinePart[];
  /** The stream ended: flush what is left of each stream's unfinished line. */
  end(): ExecutionLinePart[];
}

export const DEFAULT_MAX_LINE_LENGTH = 1024;
/** What a redacted secret reads as. */
export const REDACTED = '••••';
const ELLIPSIS = '…';
const HEADER_BYTES = 8;

// CSI (ESC [ … final, or the 8-bit CSI), OSC (ESC ] … BEL or ST), and two-character escapes.
const ANSI =
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
// What is left of an escape the text ended in the middle of, and control characters a log line
// has no use for (tabs stay).
const LEFTOVER = /\u001b[[\]]?[^\n]{0,32}$|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** The text without terminal escape sequences (colours, cursor moves, titles). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

function sanitize(text: string): string {
  return stripAnsi(text).replace(LEFTOVER, '');
}

/**
 * The secrets worth looking for: non-empty; each line of a secret that has line breaks; and a
 * secret as it reads once a line is cleaned of escapes and control characters.
 */
function secretsOf(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const secret of secrets) {
    const forms = [secret, ...secret.split(/\r\n|\r|\n/)];
    for (const form of forms) {
      if (form !== '') all.add(form);
      const clean = sanitize(form);
      if (clean !== '') all.add(clean);
    }
  }
  return [...all];
}

/** The spans [start, end) of `text` that are part of any occurrence of any secret, merged. */
function secretSpans(text: string, secrets: readonly string[]): [number, number][] {
  const spans: [number, number][] = [];
  for (const secret of secrets) {
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
      spans.push([at, at + secret.length]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

function redactSpans(text: string, spans: readonly [number, number][], upTo = text.length): string {
  let out = '';
  let from = 0;
  for (const [start, end] of spans) {
    if (start >= upTo) break;
    out += text.slice(from, start) + REDACTED;
    from = end;
  }
  return out + text.slice(from, Math.max(from, upTo));
}

/**
 * Every occurrence of every secret → `••••`. Overlapping occurrences (of one secret or of
 * several) become one `••••`, so no character of any of them shows.
 */
export function redact(text: string, secrets: string[]): string {
  const wanted = secretsOf(secrets);
  if (wanted.length === 0) return text;
  return redactSpans(text, secretSpans(text, wanted));
}

// A credential's value where a tool names it: a flag, variable or key whose name says password,
// passwd, secret or token (`--ucp-password x`, `UCP_PASSWORD=x`, `"password": "x"`), an
// Authorization header, or a URL's `user:password@`. An unquoted value runs to the next space
// (a password may hold `,`, `;` or `&`: more is redacted rather than less). Names are matched
// whole and judged in the replacer, so a long line costs linear time, not a regex's backtracking.
const VALUE = String.raw`"(?:[^"\\]|\\.)*"?|'[^']*'?|\S+`;
const CREDENTIAL_NAME = /password|passwd|secret|token/i;
const NAMED: RegExp[] = [
  new RegExp(String.raw`(--?([\w.-]+)(?:=|\s+))(?!-)(${VALUE})`, 'g'),
  new RegExp(String.raw`(\b([\w.-]+)["']?\s*[=:]\s*)(${VALUE})`, 'g'),
];
const FIXED: RegExp[] = [
  new RegExp(String.raw`(\bauthorization["']?\s*[=:]\s*["']?(?:basic|bearer)\s+)(${VALUE})`, 'gi'),
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(?=@)/gi,
];

/**
 * Credentials by where they stand, for output read when the secret itself is no longer known (an
 * execution recovered after the console restarted): each value above → `••••`.
 */
export function redactCredentials(text: string): string {
  let out = text;
  for (const pattern of NAMED)
    out = out.replace(pattern, (match: string, before: string, name: string) =>
      CREDENTIAL_NAME.test(name) ? `${before}${REDACTED}` : match,
    );
  for (const pattern of FIXED)
    out = out.replace(pattern, (_, before: string) => `${before}${REDACTED}`);
  return out;
}

const LEVELS: Record<string, ExecutionLine['level']> = {
  debu: 'debug',
  debug: 'debug',
  trac: 'debug',
  trace: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  erro: 'error',
  error: 'error',
  fata: 'fatal',
  fatal: 'fatal',
  pani: 'fatal',
  panic: 'fatal',
};
// logrus' text formatter on a terminal: `INFO[0001] …`; without one: `time="…" level=info msg=…`.
const PREFIXED = /^\s*(DEBU|TRAC|INFO|WARN|ERRO|FATA|PANI)\[/;
const KEY_VALUE = /(?:^|\s)level=(?:"?)([a-z]+)\b/i;

/** The logrus level a line was written at, or null when it has none. */
export function levelOf(text: string): ExecutionLine['level'] {
  const plain = stripAnsi(text);
  const prefixed = PREFIXED.exec(plain);
  if (prefixed) return LEVELS[(prefixed[1] ?? '').toLowerCase()] ?? null;
  const pair = KEY_VALUE.exec(plain);
  if (pair) return LEVELS[(pair[1] ?? '').toLowerCase()] ?? null;
  return null;
}

type StreamName = ExecutionLinePart['stream'];

interface StreamState {
  decoder: TextDecoder;
  /** The unfinished line, raw (escapes not yet stripped). */
  pending: string;
  /** An over-long line was cut: drop the rest of it up to its end. */
  dropping: boolean;
}

/**
 * A demultiplexer for one attach stream. `secrets` (the UCP password) are redacted from every
 * line; lines longer than `maxLineLength` characters are cut with "…" and the rest of that line
 * dropped. Empty lines are skipped. A header that is not Docker's (a container with a TTY) makes
 * the rest of the stream read as plain standard output.
 */
export function createDemuxer(options: { secrets: string[]; maxLineLength?: number }): Demuxer {
  const secrets = secretsOf(options.secrets);
  const cap = Math.max(1, options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  const longest = secrets.reduce((max, s) => Math.max(max, s.length), 0);
  // How much of an unfinished line to hold before cutting it: enough to see any secret that
  // starts before the cut whole, and any escape sequence the cut might land in.
  const holdBeforeCut = cap + Math.max(longest, 64);
  // A line of little but escape sequences is cut all the same once it gets this long raw.
  const hardLimit = Math.max(holdBeforeCut * 16, 65_536);

  const streams: Record<StreamName, StreamState> = {
    stdout: { decoder: new TextDecoder('utf-8'), pending: '', dropping: false },
    stderr: { decoder: new TextDecoder('utf-8'), pending: '', dropping: false },
  };
  const header = new Uint8Array(HEADER_BYTES);
  let headerFilled = 0;
  let payloadLeft = 0;
  let current: StreamName = 'stdout';
  let raw = false;

  /**
   * A line's text: redacted, and cut at the cap with "…". The cut never shows part of a secret:
   * a secret that spans it is dropped whole (the cut moves back to where it starts). Called with
   * a whole line, or with the head of one held long enough to see every secret that starts
   * before the cut, it gives the same text.
   */
  function capped(clean: string): string {
    const spans = secretSpans(clean, secrets);
    if (clean.length <= cap) return redactSpans(clean, spans);
    const across = spans.find(([start, end]) => start < cap && end > cap);
    let upTo = across ? across[0] : cap;
    const last = clean.charCodeAt(upTo - 1);
    if (last >= 0xd800 && last <= 0xdbff) upTo -= 1; // never half a surrogate pair
    return `${redactSpans(clean, spans, upTo)}${ELLIPSIS}`;
  }

  function line(stream: StreamName, raw: string, out: ExecutionLinePart[]): void {
    const text = capped(sanitize(raw)).trimEnd();
    if (text.trim() === '') return;
    out.push({ stream, text, level: levelOf(text) });
  }

  /** Cut an unfinished line that has grown past the cap; drop the rest of it until it ends. */
  function cutIfLong(stream: StreamName, state: StreamState, out: ExecutionLinePart[]): void {
    if (state.dropping) {
      state.pending = '';
      return;
    }
    if (state.pending.length < holdBeforeCut) return;
    if (state.pending.length < hardLimit && sanitize(state.pending).length < holdBeforeCut) return;
    line(stream, state.pending, out);
    state.pending = '';
    state.dropping = true;
  }

  function text(stream: StreamName, chunk: string, out: ExecutionLinePart[]): void {
    const state = streams[stream];
    // `\r\n` ends a line and then an empty one, which is skipped like every empty line.
    const parts = chunk.split(/[\r\n]/);
    for (const part of parts.slice(0, -1)) {
      const ended = state.pending + part;
      state.pending = '';
      if (state.dropping) state.dropping = false;
      else line(stream, ended, out);
    }
    state.pending += parts.at(-1) ?? '';
    cutIfLong(stream, state, out);
  }

  function bytes(stream: StreamName, payload: Uint8Array, out: ExecutionLinePart[]): void {
    if (payload.length === 0) return;
    text(stream, streams[stream].decoder.decode(payload, { stream: true }), out);
  }

  return {
    push(chunk) {
      const out: ExecutionLinePart[] = [];
      let at = 0;
      while (at < chunk.length) {
        if (raw) {
          bytes('stdout', chunk.subarray(at), out);
          break;
        }
        if (payloadLeft > 0) {
          const take = Math.min(payloadLeft, chunk.length - at);
          bytes(current, chunk.subarray(at, at + take), out);
          payloadLeft -= take;
          at += take;
          continue;
        }
        const take = Math.min(HEADER_BYTES - headerFilled, chunk.length - at);
        header.set(chunk.subarray(at, at + take), headerFilled);
        headerFilled += take;
        at += take;
        if (headerFilled < HEADER_BYTES) break;
        headerFilled = 0;
        const type = header[0] ?? 0;
        if (type > 3 || header[1] !== 0 || header[2] !== 0 || header[3] !== 0) {
          // Not a multiplexed stream: read everything, this header included, as plain output.
          raw = true;
          bytes('stdout', header.slice(), out);
          continue;
        }
        // 0 is stdin (never sent back, read as output, as Docker's stdcopy does); 3 is the
        // daemon's own error message.
        current = type === 2 || type === 3 ? 'stderr' : 'stdout';
        payloadLeft =
          (((header[4] ?? 0) << 24) >>> 0) +
          ((header[5] ?? 0) << 16) +
          ((header[6] ?? 0) << 8) +
          (header[7] ?? 0);
      }
      return out;
    },
    end() {
      const out: ExecutionLinePart[] = [];
      for (const stream of ['stdout', 'stderr'] as const) {
        const state = streams[stream];
        const tail = state.decoder.decode();
        if (tail !== '') text(stream, tail, out);
        if (state.pending !== '' && !state.dropping) line(stream, state.pending, out);
        state.pending = '';
        state.dropping = false;
      }
      return out;
    },
  };
}
