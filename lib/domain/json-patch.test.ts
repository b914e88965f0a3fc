import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyPatch } from 'fast-json-patch';
import { diff, patched } from './json-patch';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('patched', () => {
  it('copies only the paths it changes and never the document it was given', () => {
    const doc = deepFreeze({ a: { b: [1, 2, { 'c/d': 1, 'e~f': 2 }] }, g: { h: 1 } });
    const result = patched(doc, [
      { op: 'replace', path: '/a/b/2/c~1d', value: 3 },
      { op: 'remove', path: '/a/b/2/e~0f' },
      { op: 'add', path: '/a/b/-', value: 4 },
      { op: 'move', from: '/a/b/0', path: '/a/first' },
      { op: 'test', path: '/g/h', value: 1 },
    ]);
    expect(result).toStrictEqual({ a: { b: [2, { 'c/d': 3 }, 4], first: 1 }, g: { h: 1 } });
    expect(result?.g).toBe(doc.g);
  });

  it('copies by the paths as they are when each operation runs (after a removal moved them)', () => {
    const doc = deepFreeze({ list: [{ a: 0 }, { a: 1 }] });
    const ops = [
      { op: 'remove', path: '/list/0' },
      { op: 'add', path: '/list/0/b', value: 2 },
    ];
    expect(patched(doc, ops)).toStrictEqual({ list: [{ a: 1, b: 2 }] });
    expect(doc).toStrictEqual({ list: [{ a: 0 }, { a: 1 }] });
  });

  it('refuses what does not apply, whole: nothing of a failed patch stays', () => {
    const doc = deepFreeze({ a: 1, b: { c: [1] } });
    const refused = [
      [{ op: 'test', path: '/a', value: 2 }],
      [{ op: 'replace', path: '', value: [] }],
      [
        { op: 'replace', path: '/b/c/0', value: 2 },
        { op: 'remove', path: '/nope' },
      ],
      [{ op: '_get', path: '/a' }],
      [{ op: 'add', path: '/__proto__/polluted', value: true }],
      ['replace'],
    ];
    for (const ops of refused) expect(patched(doc, ops)).toBeNull();
    expect(doc).toStrictEqual({ a: 1, b: { c: [1] } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('diff', () => {
  const warning = (code: string) => ({ code, title: `${code} `.repeat(20), subjects: [code] });

  it('a warning inserted first is one add, not a rewrite of every warning after it', () => {
    const before = { warnings: [warning('B'), warning('C')], n: 1 };
    const after = { warnings: [warning('A'), warning('B'), warning('C')], n: 2 };
    const ops = diff(before, after);
    expect(ops).toEqual([
      { op: 'add', path: '/warnings/0', value: warning('A') },
      { op: 'replace', path: '/n', value: 2 },
    ]);
    const removed = diff(after, { ...before, warnings: [warning('A'), warning('C')] });
    expect(removed).toEqual([
      { op: 'remove', path: '/warnings/1' },
      { op: 'replace', path: '/n', value: 1 },
    ]);
  });

  it('turns any JSON document into any other, exactly', () => {
    const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    // Mostly related documents (edits of one), which is where alignment matters.
    const doc = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd~/'), json, { maxKeys: 4 });
    const list = fc.array(fc.oneof(doc, json), { maxLength: 6 });
    const pair = fc
      .tuple(list, list, fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 3 }))
      .map(([a, extra, drops]) => {
        const b = [...a];
        for (const d of drops) b.splice(d % (b.length + 1), 1);
        b.splice(Math.floor(b.length / 2), 0, ...extra.slice(0, 2));
        // Parsed JSON never shares an object between two places.
        const pair = [
          { list: a, x: { list: a } },
          { list: b, x: { list: [b, a] } },
        ];
        return JSON.parse(JSON.stringify(pair)) as [object, object];
      });
    fc.assert(
      fc.property(
        fc.oneof(
          pair,
          fc.tuple(doc, doc).map((p) => JSON.parse(JSON.stringify(p)) as [object, object]),
        ),
        ([before, after]) => {
          const frozen = deepFreeze(structuredClone(before));
          const ops = diff(frozen, after);
          expect(
            applyPatch(structuredClone(before), structuredClone(ops)).newDocument,
          ).toStrictEqual(after);
          expect(patched(frozen, JSON.parse(JSON.stringify(ops)) as unknown[])).toStrictEqual(
            after,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
