// First-load JS per page route from the build's manifests: the root main files every page loads,
// plus the client chunks of the route's layouts, boundaries and page; sizes gzipped with node:zlib.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';

export interface RouteWeight {
  route: string;
  chunks: number;
  /** Paths under .next/, e.g. static/chunks/x.js. */
  files: string[];
  rawBytes: number;
  gzipBytes: number;
  /** Script files the route's served HTML loads equal the manifest's (null: not checked). */
  htmlAgrees: boolean | null;
}

export interface PageWeightResult {
  routes: RouteWeight[];
  /** Loaded by every page (rootMainFiles). */
  shared: { chunks: number; gzipBytes: number };
}

interface BuildManifest {
  rootMainFiles: string[];
  polyfillFiles: string[];
}

interface ClientReferenceManifest {
  entryJSFiles?: Record<string, string[]>;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Evaluates `.next/server/app/<route>/page_client-reference-manifest.js` (our own build output). */
function clientManifest(nextDir: string, entry: string): ClientReferenceManifest {
  const file = path.join(nextDir, 'server', 'app', `${entry}_client-reference-manifest.js`);
  if (!existsSync(file)) return {};
  const sandbox: { __RSC_MANIFEST?: Record<string, ClientReferenceManifest> } = {};
  vm.runInNewContext(readFileSync(file, 'utf8'), sandbox, { timeout: 5000 });
  return sandbox.__RSC_MANIFEST?.[`/${entry}`] ?? {};
}

export function measurePageWeight(root: string): PageWeightResult {
  const nextDir = path.join(root, '.next');
  const build = readJson<BuildManifest>(path.join(nextDir, 'build-manifest.json'));
  const routes = readJson<Record<string, string>>(
    path.join(nextDir, 'app-path-routes-manifest.json'),
  );
  const gzipCache = new Map<string, { raw: number; gzip: number }>();
  const size = (file: string) => {
    let known = gzipCache.get(file);
    if (!known) {
      const bytes = readFileSync(path.join(nextDir, file));
      known = { raw: bytes.length, gzip: gzipSync(bytes).length };
      gzipCache.set(file, known);
    }
    return known;
  };
  const polyfills = new Set(build.polyfillFiles); // nomodule: modern browsers skip them
  const sum = (files: Set<string>) =>
    [...files].reduce((acc, f) => ({ raw: acc.raw + size(f).raw, gzip: acc.gzip + size(f).gzip }), {
      raw: 0,
      gzip: 0,
    });

  const weights: RouteWeight[] = [];
  for (const [entry, route] of Object.entries(routes)) {
    if (!entry.endsWith('/page') || route === '/_global-error') continue;
    const manifest = clientManifest(nextDir, entry.slice(1));
    const files = new Set(build.rootMainFiles);
    for (const chunks of Object.values(manifest.entryJSFiles ?? {}))
      for (const chunk of chunks) files.add(chunk);
    for (const p of polyfills) files.delete(p);
    const total = sum(files);
    weights.push({
      route,
      chunks: files.size,
      files: [...files],
      rawBytes: total.raw,
      gzipBytes: total.gzip,
      htmlAgrees: null,
    });
  }
  weights.sort((a, b) => a.route.localeCompare(b.route));
  const shared = new Set(build.rootMainFiles.filter((f) => !polyfills.has(f)));
  return { routes: weights, shared: { chunks: shared.size, gzipBytes: sum(shared).gzip } };
}

/**
 * Cross-check against what the server really sends: the module scripts in the route's HTML must be
 * the manifest's files. Null when the page cannot be fetched (sign-in redirect, dynamic segment).
 */
export async function htmlScriptsAgree(
  consoleUrl: string,
  weight: RouteWeight,
  polyfillFiles: readonly string[],
): Promise<boolean | null> {
  if (weight.route.includes('[')) return null;
  const res = await fetch(`${consoleUrl}${weight.route}`, { redirect: 'manual' });
  if (!res.ok) return null;
  const html = await res.text();
  const polyfills = new Set(polyfillFiles.map((f) => `/_next/${f}`));
  const served = new Set(
    [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)]
      .map((m) => m[1] ?? '')
      .filter((src) => src.startsWith('/_next/static/') && !polyfills.has(src)),
  );
  const expected = weight.files.map((f) => `/_next/${f}`);
  return served.size === expected.length && expected.every((f) => served.has(f));
}

/** Adds the HTML cross-check to each route a running console (AUTH=off) serves. */
export async function crossCheckWithHtml(
  result: PageWeightResult,
  consoleUrl: string,
  root: string,
): Promise<void> {
  const build = readJson<BuildManifest>(path.join(root, '.next', 'build-manifest.json'));
  for (const weight of result.routes)
    weight.htmlAgrees = await htmlScriptsAgree(consoleUrl, weight, build.polyfillFiles);
}
