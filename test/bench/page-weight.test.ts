// The bench's first-load figure on a small webpack-shaped build: a route counts the chunks of the
// client modules bundled for its own entries, not those another route's entry lists for a shared
// module, and the served-HTML reading counts preloaded scripts too.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  firstLoadTarget,
  judgedBytes,
  measurePageWeight,
  scriptsInHtml,
} from '@/bench/scenarios/page-weight';

const root = mkdtempSync(path.join(os.tmpdir(), 'page-weight-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const next = path.join(root, '.next');
const chunks: Record<string, string> = {
  'static/chunks/main.js': 'main'.repeat(500),
  'static/chunks/polyfills.js': 'poly'.repeat(900),
  'static/chunks/app/layout-aa11.js': 'layout'.repeat(40),
  'static/chunks/app/page-bb22.js': 'home'.repeat(300),
  'static/chunks/app/sizing/page-cc33.js': 'sizing'.repeat(70),
  'static/chunks/app/sizing/error-dd44.js': 'oops'.repeat(20),
  'static/chunks/swr-ee55.js': 'swr'.repeat(150),
};
const gz = (file: string) => gzipSync(Buffer.from(chunks[file] ?? '')).length;

function write(file: string, text: string) {
  mkdirSync(path.dirname(path.join(next, file)), { recursive: true });
  writeFileSync(path.join(next, file), text);
}

function manifest(entry: string, modules: Record<string, string[]>) {
  const clientModules = Object.fromEntries(
    Object.entries(modules).map(([id, files]) => [id, { chunks: files.flatMap((f) => ['1', f]) }]),
  );
  write(
    `server/app/${entry}_client-reference-manifest.js`,
    `globalThis.__RSC_MANIFEST=(globalThis.__RSC_MANIFEST||{});globalThis.__RSC_MANIFEST[${JSON.stringify(`/${entry}`)}]=${JSON.stringify({ clientModules })};`,
  );
}

for (const [file, text] of Object.entries(chunks)) write(file, text);
write(
  'build-manifest.json',
  JSON.stringify({
    rootMainFiles: ['static/chunks/main.js', 'static/chunks/polyfills.js'],
    polyfillFiles: ['static/chunks/polyfills.js'],
  }),
);
write('app-path-routes-manifest.json', JSON.stringify({ '/page': '/', '/sizing/page': '/sizing' }));
const header = ['static/chunks/app/layout-aa11.js'];
manifest('page', {
  header,
  live: ['static/chunks/swr-ee55.js', 'static/chunks/app/page-bb22.js'],
});
// webpack lists a module shared with the overview under the overview's entry: /sizing must not
// count the overview's page chunk for it.
manifest('sizing/page', {
  header,
  live: ['static/chunks/swr-ee55.js', 'static/chunks/app/page-bb22.js'],
  form: ['static/chunks/swr-ee55.js', 'static/chunks/app/sizing/page-cc33.js'],
  error: ['static/chunks/app/sizing/error-dd44.js'],
});

describe('first-load JS from a webpack build', () => {
  const result = measurePageWeight(root);
  const route = (name: string) => result.routes.find((r) => r.route === name);

  it('counts the root files (not the nomodule polyfills) and the chunks of the route’s own entries', () => {
    expect(new Set(route('/sizing')?.files)).toEqual(
      new Set([
        'static/chunks/main.js',
        'static/chunks/app/layout-aa11.js',
        'static/chunks/swr-ee55.js',
        'static/chunks/app/sizing/page-cc33.js',
        'static/chunks/app/sizing/error-dd44.js',
      ]),
    );
    const files = route('/sizing')?.files ?? [];
    expect(route('/sizing')?.gzipBytes).toBe(files.reduce((sum, f) => sum + gz(f), 0));
    expect(route('/')?.files).toContain('static/chunks/app/page-bb22.js');
    expect(result.shared.gzipBytes).toBe(gz('static/chunks/main.js'));
  });

  it('judges / against 160 kB and every other route against 200 kB, on the larger figure', () => {
    expect(firstLoadTarget('/')).toBe(160_000);
    expect(firstLoadTarget('/sizing')).toBe(200_000);
    const sizing = route('/sizing');
    if (!sizing) throw new Error('no /sizing');
    expect(judgedBytes({ ...sizing, servedGzipBytes: sizing.gzipBytes + 5 })).toBe(
      sizing.gzipBytes + 5,
    );
    expect(judgedBytes({ ...sizing, servedGzipBytes: null })).toBe(sizing.gzipBytes);
  });
});

describe('scripts a served page loads', () => {
  it('counts script tags and script preloads under /_next/static, not polyfills or styles', () => {
    const html = `<html><head>
      <link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/lazy-1.js"/>
      <link rel="stylesheet" href="/_next/static/css/app.css"/>
      <link rel="preload" as="font" href="/_next/static/media/font.woff2"/>
      <script src="/_next/static/chunks/polyfills.js" noModule=""></script>
      <script src="/_next/static/chunks/main.js" async=""></script>
      <script src="https://example.com/x.js"></script>
    </head></html>`;
    expect(scriptsInHtml(html, ['static/chunks/polyfills.js'])).toEqual(
      new Set(['static/chunks/lazy-1.js', 'static/chunks/main.js']),
    );
  });
});
