// An execution as people read it: its outcome in one sentence, whether its console still holds
// its lease, the tail of its log, and the zod schema the store parses a record with.
import { z } from 'zod';
import { WIZARD_KINDS, type WizardKind } from '../wizards/gates';
import { levelOf, stripAnsi } from './demux';
import {
  ACTIVE_EXECUTION_STATUSES,
  EXECUTION_STATUSES,
  type ExecutionLine,
  type ExecutionRecord,
} from './types';

export const DEFAULT_TAIL_BYTES = 4096;

export const ExecutionLineSchema = z.object({
  seq: z.number().int().min(1),
  stream: z.enum(['stdout', 'stderr']),
  at: z.string(),
  text: z.string(),
  level: z.enum(['debug', 'info', 'warn', 'error', 'fatal']).nullable(),
});

export const ExecutionRecordSchema = z.object({
  id: z.string().min(1),
  cluster: z.string(),
  runId: z.string().min(1),
  kind: z.enum(WIZARD_KINDS),
  actor: z.string(),
  ip: z.string().nullable(),
  instance: z.string(),
  status: z.enum(EXECUTION_STATUSES),
  node: z.string().nullable(),
  imageRef: z.string(),
  imageId: z.string().nullable(),
  repoDigest: z.string().nullable(),
  containerId: z.string().nullable(),
  argvPublic: z.array(z.string()),
  exitCode: z.number().int().nullable(),
  refusal: z.string().nullable(),
  leaseUntil: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  logTail: z.string(),
}) satisfies z.ZodType<ExecutionRecord>;

/** The step in words: "join", "remove", "emergency repair". */
export function kindInWords(kind: WizardKind): string {
  return kind === 'repair' ? 'emergency repair' : kind;
}

/** "12 s", "3 min 5 s", "1 h 4 min": how long a run took, to the second. */
export function shortDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** "10:02 UTC", with the date when it is not the day of `now`. */
export function clockTime(at: string, now?: Date): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  const iso = date.toISOString();
  const sameDay = now !== undefined && iso.slice(0, 10) === now.toISOString().slice(0, 10);
  return `${sameDay || now === undefined ? '' : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
}

/** The message of a log line without its logrus dressing (`FATA[0003] `, `level=fatal msg="…"`). */
export function messageOf(line: string): string {
  const text = stripAnsi(line).trim();
  const pair = /(?:^|\s)msg=(?:"((?:[^"\\]|\\.)*)"|(\S+))/.exec(text);
  if (pair) return (pair[1] ?? pair[2] ?? '').replace(/\\(.)/g, '$1');
  return text.replace(/^(?:DEBU|TRAC|INFO|WARN|ERRO|FATA|PANI)\[[^\]]*\]\s*/, '');
}

/** Why a run failed, from its log: the last fatal line, else the last error, else the last line. */
export function failureLine(logTail: string): string | null {
  const lines = logTail.split('\n').filter((line) => line.trim() !== '');
  const last = (level: ExecutionLine['level']) => lines.findLast((line) => levelOf(line) === level);
  const found = last('fatal') ?? last('error') ?? lines.at(-1);
  return found === undefined ? null : messageOf(found);
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const ended = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** What happened to an execution, in one sentence. */
export function outcomeSentence(record: ExecutionRecord): string {
  const what = kindInWords(record.kind);
  const on = record.node === null ? '' : ` on ${record.node}`;
  const started = record.startedAt === null ? NaN : Date.parse(record.startedAt);
  const finished = record.finishedAt === null ? NaN : Date.parse(record.finishedAt);
  const after =
    Number.isNaN(started) || Number.isNaN(finished)
      ? ''
      : ` after ${shortDuration(finished - started)}`;
  let sentence: string;
  switch (record.status) {
    case 'starting':
      sentence = `${what} is starting${on}`;
      break;
    case 'running':
      sentence = `${what} is running${on}${record.startedAt ? ` since ${clockTime(record.startedAt)}` : ''}`;
      break;
    case 'exited': {
      const code = record.exitCode;
      if (code === 0) {
        sentence = `${what} ran${on} and exited 0${after}`;
      } else if (code === null) {
        sentence = `${what} ran${on} and ended${after}, but its exit code is unknown — verify`;
      } else if (code === 97) {
        sentence = `${what} did not run${on}: the console could not hand over the UCP password (exit 97)`;
      } else {
        const why = failureLine(record.logTail);
        sentence = `${what} ran${on} and exited ${code}${after}${why ? `: ${why}` : ''}`;
      }
      break;
    }
    case 'refused':
      sentence = `${what} was not run: ${record.refusal ?? 'a check refused it'}`;
      break;
    case 'failed-to-start':
      sentence = `${what} did not start${on}: ${record.refusal ?? 'the engine refused it'}`;
      break;
    case 'orphaned':
      sentence = `${what}${on}: the console running it (${record.instance}) stopped renewing its lease; the console is finding out how it ended`;
      break;
    case 'unknown':
      sentence = `${what}${on}: outcome unknown — verify${record.exitCode === null ? '' : ` (its container exited ${record.exitCode} while no console watched it)`}`;
      break;
  }
  return ended(capitalised(sentence));
}

/**
 * Whether the console that runs an execution has stopped renewing its lease: only an execution
 * that holds the slot has one; a missing or unreadable lease counts as expired (recovery looks).
 */
export function leaseExpired(record: ExecutionRecord, now: Date): boolean {
  if (!(ACTIVE_EXECUTION_STATUSES as readonly string[]).includes(record.status)) return false;
  if (record.leaseUntil === null) return true;
  const until = Date.parse(record.leaseUntil);
  return Number.isNaN(until) || until <= now.getTime();
}

/** The last lines, one per line, in at most `maxBytes` bytes of UTF-8 (the start of a longer last line is cut with "…"). */
export function tail(lines: ExecutionLine[], maxBytes: number = DEFAULT_TAIL_BYTES): string {
  const encoder = new TextEncoder();
  const kept: string[] = [];
  let bytes = 0;
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const text = lines[i]?.text ?? '';
    const size = encoder.encode(text).length + (kept.length > 0 ? 1 : 0);
    if (bytes + size <= maxBytes) {
      kept.unshift(text);
      bytes += size;
      continue;
    }
    if (kept.length === 0) kept.unshift(lastBytes(text, maxBytes));
    break;
  }
  return kept.join('\n');
}

/** The end of `text` in at most `maxBytes` bytes, starting with "…", never half a character. */
function lastBytes(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  const budget = maxBytes - encoder.encode('…').length;
  if (budget <= 0) return '';
  const chars = Array.from(text);
  let out = '';
  let size = 0;
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    const char = chars[i] ?? '';
    const n = encoder.encode(char).length;
    if (size + n > budget) break;
    out = char + out;
    size += n;
  }
  return `…${out}`;
}
