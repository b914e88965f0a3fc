import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseJson } from './http';
import { capStrings, MAX_UPSTREAM_TEXT } from './upstream-values';

const long = (n: number, c = 'x') => c.repeat(n);

describe('capStrings on a value fresh from JSON.parse', () => {
  it('cuts every long string and key, at any depth, and leaves short ones alone', () => {
    const json = JSON.parse(
      JSON.stringify({
        name: 'node-1',
        message: long(5000),
        labels: { [long(3000, 'k')]: 'v', ok: long(MAX_UPSTREAM_TEXT) },
        list: [long(2000), 'short', [{ deep: long(4000) }]],
      }),
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON tree walked by path
    const capped = capStrings(json) as Record<string, any>;
    expect(capped.name).toBe('node-1');
    expect(capped.message).toHaveLength(MAX_UPSTREAM_TEXT);
    expect(capped.message.endsWith('…')).toBe(true);
    const keys = Object.keys(capped.labels);
    expect(keys.map((k) => k.length).sort((a, b) => a - b)).toEqual([2, MAX_UPSTREAM_TEXT]);
    expect(capped.labels.ok).toHaveLength(MAX_UPSTREAM_TEXT); // exactly at the limit: kept whole
    expect(capped.labels.ok.endsWith('…')).toBe(false);
    expect(capped.list[0]).toHaveLength(MAX_UPSTREAM_TEXT);
    expect(capped.list[1]).toBe('short');
    expect(capped.list[2][0].deep).toHaveLength(MAX_UPSTREAM_TEXT);
    expect(JSON.stringify(capped).length).toBeLessThan(6 * MAX_UPSTREAM_TEXT + 200);
  });

  it('keeps a "__proto__" key a key, even when its value is cut, never a prototype', () => {
    const json = JSON.parse(`{"__proto__": {"polluted": "${long(2000)}"}, "x": 1}`);
    const capped = capStrings(json) as Record<string, unknown>;
    expect(Object.getPrototypeOf(capped)).toBe(Object.prototype);
    expect(Object.keys(capped)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const cut = JSON.parse(`{"__proto__": "${long(2000)}"}`);
    const cutCapped = capStrings(cut) as Record<string, unknown>;
    expect(Object.getPrototypeOf(cutCapped)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(cutCapped, '__proto__')?.value).toHaveLength(
      MAX_UPSTREAM_TEXT,
    );
  });
});

describe('parseJson on a large body polled again', () => {
  const schema = z.array(z.object({ ID: z.string(), Note: z.string() }));
  const bodyOf = (note: string) =>
    JSON.stringify(
      Array.from({ length: 10_000 }, (_, i) => ({ ID: `n${i}`, Note: note, Extra: 1 })),
    );

  it('answers an identical body with the value it parsed, and a changed one afresh', () => {
    const first = parseJson(bodyOf('a'), schema, 'GET /nodes');
    const again = parseJson(bodyOf('a'), schema, 'GET /nodes');
    expect(again).toBe(first);
    const changed = parseJson(bodyOf('b'), schema, 'GET /nodes');
    expect(changed).not.toBe(first);
    expect(changed[0]).toEqual({ ID: 'n0', Note: 'b' });
  });

  it('still refuses a malformed body after a good one', () => {
    parseJson(bodyOf('a'), schema, 'GET /nodes');
    const bad = bodyOf('a').replace('"ID":"n7"', '"ID":7');
    expect(() => parseJson(bad, schema, 'GET /nodes')).toThrow(/\[7\]\.ID/);
  });
});
