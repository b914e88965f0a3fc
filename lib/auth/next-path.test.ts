import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path';

const CONSOLE = 'https://console.example';

/** What a browser does with the value: resolve it against a console page. */
function landsOn(path: string, page = `${CONSOLE}/login?next=x`): string {
  return new URL(path, page).origin;
}

describe('safeNextPath', () => {
  // [raw next= value, expected result]
  const table: Array<[string | null | undefined, string]> = [
    // Hostile: each would leave the console (directly, or once normalised).
    ['/.//evil.example/phish', '/'],
    ['/x/..//evil.example/phish', '/'],
    ['/./..//evil.example/phish', '/'],
    ['/a/b/../..//evil.example', '/'],
    ['/%2e//evil.example/phish', '/'],
    ['/%2e%2e//evil.example/phish', '/'],
    ['/.%2e//evil.example/phish', '/'],
    ['/./\\evil.example/phish', '/'],
    ['/.\\/evil.example', '/'],
    ['//evil.example/x', '/'],
    ['///evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['\\\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['http:evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/\t/evil.example', '/'],
    ['/.\n//evil.example', '/'],
    ['\n/x', '/'],
    [' /x', '/'],
    ['/x\u007f', '/'],
    [`/${'a'.repeat(600)}`, '/'],
    // Loops and API routes.
    ['/login', '/'],
    ['/login?next=/', '/'],
    ['/./login', '/'],
    ['/api/demo/reset', '/'],
    ['/x/../api/demo/reset', '/'],
    ['', '/'],
    [null, '/'],
    [undefined, '/'],
    // Benign: kept, normalised.
    ['/', '/'],
    ['/nodes', '/nodes'],
    ['/wizards/join?step=2', '/wizards/join?step=2'],
    ['/replicas#r1', '/replicas#r1'],
    ['/./nodes', '/nodes'],
    ['/x/../nodes', '/nodes'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/%0d%0aSet-Cookie:x', '/%0d%0aSet-Cookie:x'],
    ['/caches?q=//evil.example', '/caches?q=//evil.example'],
  ];

  it.each(table)('next=%j → %j', (raw, expected) => {
    const result = safeNextPath(raw);
    expect(result).toBe(expected);
    expect(landsOn(result)).toBe(CONSOLE);
  });

  // Pieces that interact with normalisation: dot segments (plain and encoded), slashes,
  // backslashes, whitespace, schemes and hosts.
  const piece = fc.constantFrom(
    '/',
    '//',
    '\\',
    '.',
    '..',
    '%2e',
    '%2E',
    '%2f',
    '%5c',
    '\t',
    '\n',
    ' ',
    ':',
    '@',
    '?',
    '#',
    'evil.example',
    'http:',
    'javascript:',
    'nodes',
    'login',
    'api',
  );
  const hostile = fc.oneof(
    fc.array(piece, { maxLength: 10 }).map((parts) => parts.join('')),
    fc.array(piece, { maxLength: 10 }).map((parts) => `/${parts.join('')}`),
    fc.string({ maxLength: 40 }),
    fc.webUrl(),
  );

  it('always answers a single-slash path that stays on the console, from any page', () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        const result = safeNextPath(raw);
        expect(result.startsWith('/')).toBe(true);
        expect(result.startsWith('//')).toBe(false);
        expect(result.startsWith('/\\')).toBe(false);
        expect(landsOn(result)).toBe(CONSOLE);
        expect(landsOn(result, `${CONSOLE}/a/b/c?d=e`)).toBe(CONSOLE);
        // What was accepted is accepted again unchanged (already normalised).
        expect(safeNextPath(result)).toBe(result);
      }),
      { numRuns: 5000 },
    );
  });
});
