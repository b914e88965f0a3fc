import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'shell-quote';
import { quoteWord, quoteWords } from './shell';

// A `$` the shell would expand turns into a marker, so an unquoted expansion cannot read back equal.
const readBack = (line: string) => parse(line, (key) => `\u0000EXPANDED${key}`);

describe('quoteWord', () => {
  it('leaves plain words bare and single-quotes the rest', () => {
    expect(quoteWords(['docker/dtr:2.9.1', 'https://ucp.example.com:443', 'a,b'])).toBe(
      'docker/dtr:2.9.1 https://ucp.example.com:443 a,b',
    );
    expect(quoteWord('$(reboot)')).toBe("'$(reboot)'");
    expect(quoteWord("it's")).toBe("'it'\\''s'");
    expect(quoteWord('')).toBe("''");
  });

  it('every string reads back as exactly one unchanged argument', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { maxLength: 5 }),
        (words) => {
          expect(readBack(quoteWords(['cmd', ...words]))).toEqual(['cmd', ...words]);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
