import { describe, expect, it } from 'vitest';
import {
  ExecutionRecordSchema,
  failureLine,
  leaseExpired,
  outcomeSentence,
  shortDuration,
  tail,
} from './record';
import type { ExecutionLine, ExecutionRecord } from './types';

const record = (overrides: Partial<ExecutionRecord> = {}): ExecutionRecord => ({
  id: 'ex-1',
  cluster: 'prod',
  runId: 'run-1',
  kind: 'remove',
  actor: 'alice',
  ip: null,
  instance: 'console-1',
  status: 'exited',
  node: 'manager-2',
  imageRef: 'docker/dtr:2.9.16',
  imageId: 'sha256:abc',
  repoDigest: null,
  containerId: 'c1',
  argvPublic: ['dtr', 'remove'],
  exitCode: 0,
  refusal: null,
  leaseUntil: null,
  createdAt: '2024-05-01T10:02:00.000Z',
  startedAt: '2024-05-01T10:02:03.000Z',
  finishedAt: '2024-05-01T10:02:15.400Z',
  logTail: 'INFO[0000] Validating UCP cert\nINFO[0004] remove complete',
  ...overrides,
});

describe('outcomeSentence', () => {
  it('says where it ran, how it ended and how long it took', () => {
    expect(outcomeSentence(record())).toBe('Remove ran on manager-2 and exited 0 after 12 s.');
    expect(
      outcomeSentence(record({ kind: 'repair', finishedAt: '2024-05-01T10:05:08.000Z' })),
    ).toBe('Emergency repair ran on manager-2 and exited 0 after 3 min 5 s.');
    expect(outcomeSentence(record({ node: null, startedAt: null }))).toBe(
      'Remove ran and exited 0.',
    );
  });

  it('gives the reason of a failure from the last fatal line', () => {
    const logTail = [
      '\x1b[36mINFO\x1b[0m[0000] Connecting to UCP',
      'ERRO[0002] replica a1 is not healthy',
      'FATA[0003] remove failed: another replica is unhealthy',
      'INFO[0003] cleaning up',
    ].join('\n');
    expect(outcomeSentence(record({ exitCode: 1, logTail }))).toBe(
      'Remove ran on manager-2 and exited 1 after 12 s: remove failed: another replica is unhealthy.',
    );
    expect(failureLine('time="x" level=fatal msg="Couldn\'t login to \\"UCP\\""')).toBe(
      'Couldn\'t login to "UCP"',
    );
    expect(failureLine('ERRO[0001] bad\nplain last line')).toBe('bad');
    expect(failureLine('only this')).toBe('only this');
    expect(outcomeSentence(record({ exitCode: 2, logTail: '' }))).toBe(
      'Remove ran on manager-2 and exited 2 after 12 s.',
    );
  });

  it('says when the password never reached the tool', () => {
    expect(outcomeSentence(record({ exitCode: 97 }))).toBe(
      'Remove did not run on manager-2: the console could not hand over the UCP password (exit 97).',
    );
  });

  it('says outcome unknown — verify when no console watched it end', () => {
    expect(outcomeSentence(record({ status: 'unknown', exitCode: null }))).toBe(
      'Remove on manager-2: outcome unknown — verify.',
    );
    expect(outcomeSentence(record({ status: 'unknown', exitCode: 0 }))).toBe(
      'Remove on manager-2: outcome unknown — verify (its container exited 0 while no console watched it).',
    );
    expect(outcomeSentence(record({ status: 'orphaned', exitCode: null }))).toMatch(
      /console running it \(console-1\) stopped renewing its lease/,
    );
  });

  it('words the other states', () => {
    expect(outcomeSentence(record({ status: 'refused', refusal: 'This run was withdrawn.' }))).toBe(
      'Remove was not run: This run was withdrawn.',
    );
    expect(outcomeSentence(record({ status: 'failed-to-start', refusal: 'no such image' }))).toBe(
      'Remove did not start on manager-2: no such image.',
    );
    expect(outcomeSentence(record({ status: 'running', kind: 'join', exitCode: null }))).toBe(
      'Join is running on manager-2 since 10:02 UTC.',
    );
    expect(outcomeSentence(record({ status: 'starting', exitCode: null }))).toBe(
      'Remove is starting on manager-2.',
    );
  });
});

describe('shortDuration', () => {
  it('rounds to the second and grows units', () => {
    expect(shortDuration(0)).toBe('0 s');
    expect(shortDuration(59_400)).toBe('59 s');
    expect(shortDuration(60_000)).toBe('1 min');
    expect(shortDuration(3_725_000)).toBe('1 h 2 min');
  });
});

describe('leaseExpired', () => {
  const now = new Date('2024-05-01T10:03:00.000Z');
  it('expires an active execution whose lease is past, or missing', () => {
    const running = record({ status: 'running', exitCode: null });
    expect(leaseExpired({ ...running, leaseUntil: '2024-05-01T10:03:20.000Z' }, now)).toBe(false);
    expect(leaseExpired({ ...running, leaseUntil: '2024-05-01T10:02:59.999Z' }, now)).toBe(true);
    expect(leaseExpired({ ...running, leaseUntil: now.toISOString() }, now)).toBe(true);
    expect(leaseExpired({ ...running, leaseUntil: null }, now)).toBe(true);
    expect(leaseExpired({ ...running, status: 'starting', leaseUntil: 'garbage' }, now)).toBe(true);
  });

  it('has no lease to expire once it has ended', () => {
    for (const status of ['exited', 'refused', 'failed-to-start', 'unknown'] as const) {
      expect(leaseExpired(record({ status, leaseUntil: '2024-05-01T09:00:00.000Z' }), now)).toBe(
        false,
      );
    }
  });
});

describe('tail', () => {
  const line = (seq: number, text: string): ExecutionLine => ({
    seq,
    stream: 'stdout',
    at: '2024-05-01T10:02:04.000Z',
    text,
    level: null,
  });

  it('keeps the last lines that fit in the bytes given', () => {
    const lines = Array.from({ length: 100 }, (_, i) =>
      line(i + 1, `line ${i + 1} ${'x'.repeat(90)}`),
    );
    const text = tail(lines);
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(4096);
    expect(text.endsWith(`line 100 ${'x'.repeat(90)}`)).toBe(true);
    expect(text.split('\n')[0]).toMatch(/^line \d+ x+$/);
    expect(text.split('\n')).toHaveLength(41);
    expect(tail(lines.slice(0, 2))).toBe(`line 1 ${'x'.repeat(90)}\nline 2 ${'x'.repeat(90)}`);
    expect(tail([])).toBe('');
  });

  it('cuts a last line longer than the budget at its start, never half a character', () => {
    const text = tail([line(1, `start ${'é'.repeat(30)}`)], 21);
    expect(text).toBe(`…${'é'.repeat(9)}`);
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(21);
  });
});

describe('ExecutionRecordSchema', () => {
  it('parses a record and refuses an unknown status', () => {
    expect(ExecutionRecordSchema.parse(record())).toEqual(record());
    expect(ExecutionRecordSchema.safeParse({ ...record(), status: 'done' }).success).toBe(false);
  });
});
