import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createDemuxer,
  levelOf,
  redact,
  redactCredentials,
  REDACTED,
  stripAnsi,
  type ExecutionLinePart,
} from './demux';

const encoder = new TextEncoder();
const OUT = 1;
const ERR = 2;

/** One Docker attach frame: [type, 0, 0, 0, size uint32 BE] + payload. */
function frame(type: number, payload: string | Uint8Array): Uint8Array {
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const out = new Uint8Array(8 + body.length);
  out[0] = type;
  new DataView(out.buffer).setUint32(4, body.length, false);
  out.set(body, 8);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Feed `bytes` in the chunks that `cuts` (sorted offsets) make, then end. */
function feed(
  bytes: Uint8Array,
  cuts: number[],
  options: Parameters<typeof createDemuxer>[0],
): ExecutionLinePart[] {
  const demuxer = createDemuxer(options);
  const out: ExecutionLinePart[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...demuxer.push(bytes.subarray(from, cut)));
    from = cut;
  }
  out.push(...demuxer.end());
  return out;
}

const PASSWORD = 'pw-4f2a9c-S3cret!';
const texts = (lines: ExecutionLinePart[]) => lines.map((l) => `${l.stream}:${l.text}`);

// What the dtr tool writes, roughly: logrus lines with colours, a password split across two
// frames (the tool echoing it, say), UTF-8 split across frames, stderr interleaved, an empty
// frame, progress with carriage returns, and a last line without a newline.
const rocket = encoder.encode('🚀');
const session = concat(
  frame(OUT, '\x1b[36mINFO\x1b[0m[0000] Validating UCP cert\n'),
  frame(ERR, 'WARN[0001] UCP is slow to '),
  frame(OUT, 'INFO[0001] Connecting to UCP with password '),
  frame(OUT, PASSWORD.slice(0, 7)),
  frame(ERR, 'answer\n'),
  frame(OUT, `${PASSWORD.slice(7)} ok\n`),
  frame(OUT, ''),
  frame(OUT, rocket.subarray(0, 2)),
  frame(OUT, concat(rocket.subarray(2), encoder.encode(' café\r\n'))),
  frame(OUT, 'progress 10%\rprogress 55%\rprogress 100%\n'),
  frame(ERR, '\x1b[31mFATA\x1b[0m[0004] remove failed: no'),
);
const EXPECTED = [
  'stdout:INFO[0000] Validating UCP cert',
  'stderr:WARN[0001] UCP is slow to answer',
  `stdout:INFO[0001] Connecting to UCP with password ${REDACTED} ok`,
  'stdout:🚀 café',
  'stdout:progress 10%',
  'stdout:progress 55%',
  'stdout:progress 100%',
  'stderr:FATA[0004] remove failed: no',
];

describe('createDemuxer', () => {
  it('makes lines of the frames: streams apart, colours stripped, the password redacted, levels read', () => {
    const lines = feed(session, [], { secrets: [PASSWORD] });
    expect(texts(lines)).toEqual(EXPECTED);
    expect(lines.map((l) => l.level)).toEqual([
      'info',
      'warn',
      'info',
      null,
      null,
      null,
      null,
      'fatal',
    ]);
  });

  it('gives the same lines whichever byte the stream is split at', () => {
    for (let cut = 0; cut <= session.length; cut += 1) {
      expect(texts(feed(session, [cut], { secrets: [PASSWORD] })), `split at ${cut}`).toEqual(
        EXPECTED,
      );
    }
  });

  it('gives the same lines fed one byte at a time', () => {
    const every = Array.from({ length: session.length - 1 }, (_, i) => i + 1);
    expect(texts(feed(session, every, { secrets: [PASSWORD] }))).toEqual(EXPECTED);
  });

  it('redacts a password split across two chunks inside one frame', () => {
    const bytes = frame(OUT, `login ${PASSWORD} done\n`);
    const inside = 8 + 'login '.length + 5;
    expect(texts(feed(bytes, [inside], { secrets: [PASSWORD] }))).toEqual([
      `stdout:login ${REDACTED} done`,
    ]);
  });

  it('ends a truncated header without a crash and flushes the unfinished line', () => {
    const bytes = concat(frame(OUT, 'INFO[0003] remove in progr'), frame(ERR, 'x').subarray(0, 5));
    const demuxer = createDemuxer({ secrets: [] });
    expect(demuxer.push(bytes)).toEqual([]);
    expect(demuxer.end()).toEqual([
      { stream: 'stdout', text: 'INFO[0003] remove in progr', level: 'info' },
    ]);
  });

  it('keeps a payload cut short at the end as far as it came', () => {
    const whole = frame(ERR, 'FATA[0002] could not reach UCP\n');
    const lines = feed(whole.subarray(0, whole.length - 4), [], { secrets: [] });
    expect(texts(lines)).toEqual(['stderr:FATA[0002] could not reach']);
  });

  it('cuts a line over the cap with "…" and drops the rest of it up to its end', () => {
    const long = `INFO[0001] ${'x'.repeat(2000)}`;
    const bytes = concat(frame(OUT, long.slice(0, 700)), frame(OUT, `${long.slice(700)}\nnext\n`));
    const lines = feed(bytes, [], { secrets: [] });
    expect(lines).toHaveLength(2);
    expect(lines[0]?.text).toBe(`${long.slice(0, 1024)}…`);
    expect(lines[0]?.level).toBe('info');
    expect(lines[1]?.text).toBe('next');
    // The same when the line arrives in small pieces.
    const cuts = Array.from({ length: Math.floor(bytes.length / 37) }, (_, i) => (i + 1) * 37);
    expect(feed(bytes, cuts, { secrets: [] })).toEqual(lines);
  });

  it('never shows part of a password that spans the cut', () => {
    const line = `${'a'.repeat(20)}${PASSWORD}${'b'.repeat(40)}\n`;
    const bytes = frame(OUT, line);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const lines = feed(bytes, [cut], { secrets: [PASSWORD], maxLineLength: 25 });
      expect(texts(lines), `split at ${cut}`).toEqual([`stdout:${'a'.repeat(20)}…`]);
    }
  });

  it('redacts a password with a control character as the cleaned line would show it', () => {
    const odd = 'pa\x07ss-Word9';
    expect(texts(feed(frame(OUT, `got ${odd} here\n`), [], { secrets: [odd] }))).toEqual([
      `stdout:got ${REDACTED} here`,
    ]);
  });

  it('cuts a line of nothing but escape sequences once it grows past a hard limit', () => {
    const demuxer = createDemuxer({ secrets: [] });
    const noise = frame(OUT, '\x1b[0m'.repeat(4000));
    const out: ExecutionLinePart[] = [];
    for (let i = 0; i < 10; i += 1) out.push(...demuxer.push(noise));
    expect(out).toEqual([]); // nothing to show: empty once cleaned
    // It was cut before its end arrived (the buffer stays bounded): the rest of it is dropped.
    expect(texts(demuxer.push(frame(OUT, 'rest of it\nafter\n')))).toEqual(['stdout:after']);
  });

  it('reads a stream that is not multiplexed (a container with a TTY) as plain output', () => {
    const lines = feed(encoder.encode(`INFO[0000] hello ${PASSWORD}\r\nbye\n`), [3], {
      secrets: [PASSWORD],
    });
    expect(texts(lines)).toEqual([`stdout:INFO[0000] hello ${REDACTED}`, 'stdout:bye']);
  });

  it('shows the daemon’s own error frames (type 3) as standard error', () => {
    expect(texts(feed(frame(3, 'exec format error\n'), [], { secrets: [] }))).toEqual([
      'stderr:exec format error',
    ]);
  });

  it('holds: any split, any framing, any secrets — same lines, no secret, no line over the cap', () => {
    const secret = 'hunter2hunter';
    const piece = fc.constantFrom(
      'INFO[0001] ',
      'ab',
      'é',
      '🚀',
      '\n',
      '\r',
      '\x1b[31m',
      '\x1b[0m',
      secret,
      secret.slice(0, 5),
      secret.slice(5),
      'x'.repeat(15),
    );
    const frames = fc.array(
      fc.record({ err: fc.boolean(), text: fc.array(piece, { maxLength: 12 }) }),
      { maxLength: 10 },
    );
    fc.assert(
      fc.property(frames, fc.array(fc.nat(), { maxLength: 8 }), (spec, rawCuts) => {
        const bytes = concat(...spec.map((f) => frame(f.err ? ERR : OUT, f.text.join(''))));
        const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const options = { secrets: [secret], maxLineLength: 30 };
        const whole = feed(bytes, [], options);
        expect(feed(bytes, cuts, options)).toEqual(whole);
        for (const line of whole) {
          expect(line.text).not.toContain(secret);
          expect(line.text).not.toMatch(/[\r\n\x1b]/);
          expect(line.text.length).toBeLessThanOrEqual(31);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('redact', () => {
  it('replaces every occurrence, overlapping ones and several secrets included', () => {
    expect(redact('a=pw b=pw', ['pw'])).toBe(`a=${REDACTED} b=${REDACTED}`);
    expect(redact('xabababy', ['abab'])).toBe(`x${REDACTED}y`);
    expect(redact('one two three', ['two', 'one two'])).toBe(`${REDACTED} three`);
    expect(redact('nothing here', ['', 'absent'])).toBe('nothing here');
  });
});

describe('stripAnsi and levelOf', () => {
  it('strips logrus colours, cursor moves and titles', () => {
    expect(stripAnsi('\x1b[36mINFO\x1b[0m[0000] Connecting')).toBe('INFO[0000] Connecting');
    expect(stripAnsi('\x1b[2K\x1b[1Gdone\x1b]0;title\x07')).toBe('done');
  });

  it('reads the level from the logrus prefix or a level= field', () => {
    expect(levelOf('\x1b[36mINFO\x1b[0m[0000] Connecting')).toBe('info');
    expect(levelOf('DEBU[0000] x')).toBe('debug');
    expect(levelOf('WARN[0003] x')).toBe('warn');
    expect(levelOf('ERRO[0003] x')).toBe('error');
    expect(levelOf('FATA[0003] x')).toBe('fatal');
    expect(levelOf('time="2024-01-01T00:00:00Z" level=warning msg="slow"')).toBe('warn');
    expect(levelOf('time="…" level=error msg="x"')).toBe('error');
    expect(levelOf('level=fatal msg=x')).toBe('fatal');
    expect(levelOf('progress 55%')).toBeNull();
    expect(levelOf('the INFO[ in the middle')).toBeNull();
  });
});

describe('redactCredentials (recovered output, the secret no longer known)', () => {
  it.each([
    ['docker run … --ucp-password hunter2 --ucp-url https://ucp', '--ucp-password ••••'],
    ['--ucp-password=hunter2 next', '--ucp-password=••••'],
    ['UCP_PASSWORD=hunter2', 'UCP_PASSWORD=••••'],
    ['time="x" level=error msg="login failed" password="hunter2 with spaces"', 'password=••••'],
    ['{"username":"admin","password":"hun\\"ter2"}', '"password":••••'],
    ['Authorization: Basic YWRtaW46aHVudGVyMg==', 'Authorization: Basic ••••'],
    ['GET https://admin:hunter2@ucp.example.com/api', 'https://admin:••••@ucp.example.com'],
    ['token: abc.def.ghi', 'token: ••••'],
  ])('%s', (line, expected) => {
    const out = redactCredentials(line);
    expect(out).toContain(expected);
    expect(out).not.toMatch(/hunter2|hun\\"ter2|YWRtaW46aHVudGVyMg|abc\.def/);
  });

  it('leaves lines without credentials alone', () => {
    const line = 'INFO[0003] Joining replica 0123456789ab to the cluster at 10.0.0.5:443';
    expect(redactCredentials(line)).toBe(line);
    expect(redactCredentials('ERRO invalid password for user admin')).toBe(
      'ERRO invalid password for user admin',
    );
  });
});

describe('redactCredentials and flags without a value', () => {
  it('does not take the next flag for a value', () => {
    expect(redactCredentials('--password-stdin --ucp-url https://ucp')).toBe(
      '--password-stdin --ucp-url https://ucp',
    );
  });
});

describe('redactCredentials and values with punctuation', () => {
  it('redacts a password holding , ; or & to its end, and leaves other keys alone', () => {
    expect(redactCredentials('--ucp-password=ab,cd;ef&gh --ucp-url x')).toBe(
      '--ucp-password=•••• --ucp-url x',
    );
    expect(redactCredentials('level=info msg=joined replica=0123 token=a,b')).toBe(
      'level=info msg=joined replica=0123 token=••••',
    );
  });
});
