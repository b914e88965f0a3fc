// Next's own files (/_next/static, /_next/image) never pass proxy.ts, so their security headers
// come from next.config.js headers(). Checked with Next's own matcher.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { config as proxyConfig } from '@/proxy';

const require = createRequire(import.meta.url);
const nextConfig = require('../../next.config.js') as {
  headers?: () => Promise<
    Array<{ source: string; headers: Array<{ key: string; value: string }> }>
  >;
};
const { pathToRegexp } = require('next/dist/compiled/path-to-regexp') as {
  pathToRegexp: (source: string) => RegExp;
};

async function headersFor(path: string): Promise<Map<string, string>> {
  const rules = (await nextConfig.headers?.()) ?? [];
  const found = new Map<string, string>();
  for (const rule of rules) {
    if (!pathToRegexp(rule.source).test(path)) continue;
    for (const { key, value } of rule.headers) found.set(key.toLowerCase(), value);
  }
  return found;
}

describe('headers for files proxy.ts does not see', () => {
  it('proxy.ts indeed skips /_next/static and /_next/image', () => {
    const matcher = new RegExp(`^${proxyConfig.matcher[0]}$`);
    expect(matcher.test('/_next/static/chunks/app.js')).toBe(false);
    expect(matcher.test('/nodes')).toBe(true);
  });

  for (const path of [
    '/_next/static/chunks/app/page-0123abcd.js',
    '/_next/static/css/app.css',
    '/_next/static/media/font.woff2',
    '/_next/image',
  ]) {
    it(`${path} gets nosniff`, async () => {
      expect((await headersFor(path)).get('x-content-type-options')).toBe('nosniff');
    });
  }
});
