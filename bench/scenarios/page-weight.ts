// First-load JS per page route from the build's manifests: the root main files every page loads,
// plus the client chunks of the route's layouts, boundaries and page; sizes gzipped with node:zlib.
// Both bundlers: Turbopack's client reference manifest lists each entry's chunks (entryJSFiles);
// webpack's lists, per client module, the chunks of the entry it was bundled for, so a route takes
// the chunks of every module bundled for its own entries (its segments' layouts, boundaries, page).
// Next's definition of first load: a chunk that next/dynamic loads after hydration (the charts) is
// not in it. Where a console serves the page, the scripts its HTML loads or preloads are summed
// too, and a route is judged on the larger of the two figures.
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
  /** What the served HTML loads or preloads (gzip), when a console served the page. */
  servedGzipBytes: number | null;
}

/** Every page route: ≤ 200 kB of first-load JS (gzip); the overview, the page most opened, ≤ 160 kB. */
export const FIRST_LOAD_TARGET_BYTES = { home: 160_000, route: 200_000 } as const;

export function firstLoadTarget(route: string): number {
  return route === '/' ? FIRST_LOAD_TARGET_BYTES.home : FIRST_LOAD_TARGET_BYTES.route;
}

/** The figure a route is judged on: the manifests' sum, or what its HTML loads when that is more. */
export function judgedBytes(weight: RouteWeight): number {
  return Math.max(weight.gzipBytes, weight.servedGzipBytes ?? 0);
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
  /** Turbopack: the chunks of each entry (layout, boundary, page) the route renders. */
  entryJSFiles?: Record<string, string[]>;
  /** webpack: each client module with the chunks (id, file, id, file, ...) of its entry. */
  clientModules?: Record<string, { chunks?: string[] }>;
}

/**
 * webpack: an entry chunk is `static/chunks/app/<segments>/<kind>-<hash>.js`; the route's own are
 * those of its segments (root first) and its page.
 */
function isRouteEntryChunk(file: string, entry: string): boolean {
  const m =
    /^static\/chunks\/app\/(?:(.*)\/)?(layout|page|error|loading|not-found|template)-[0-9a-f]+\.js$/.exec(
      decodeURIComponent(file),
    );
  if (!m) return false;
  const dir = m[1] ?? '';
  const pageDir = entry.slice(0, -'/page'.length); // e.g. "sizing", "" for the root page
  if (m[2] === 'page') return dir === pageDir;
  return dir === '' || pageDir === dir || pageDir.startsWith(`${dir}/`);
}

/** The client chunks a route loads according to its client reference manifest. */
function routeChunks(manifest: ClientReferenceManifest, entry: string): string[] {
  if (manifest.entryJSFiles) return Object.values(manifest.entryJSFiles).flat();
  const files: string[] = [];
  for (const { chunks = [] } of Object.values(manifest.clientModules ?? {})) {
    const own = chunks.filter((c) => c.startsWith('static/'));
    if (own.some((c) => isRouteEntryChunk(c, entry))) files.push(...own);
  }
  return files;
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
      const bytes = readFileSync(path.join(nextDir, decodeURIComponent(file)));
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
    for (const chunk of routeChunks(manifest, entry.slice(1))) files.add(chunk);
    for (const p of polyfills) files.delete(p);
    const total = sum(files);
    weights.push({
      route,
      chunks: files.size,
      files: [...files],
      rawBytes: total.raw,
      gzipBytes: total.gzip,
      htmlAgrees: null,
      servedGzipBytes: null,
    });
  }
  weights.sort((a, b) => a.route.localeCompare(b.route));
  const shared = new Set(build.rootMainFiles.filter((f) => !polyfills.has(f)));
  return { routes: weights, shared: { chunks: shared.size, gzipBytes: sum(shared).gzip } };
}

/** Script files (under .next/) an HTML page loads with <script src> or preloads with <link>. */
export function scriptsInHtml(html: string, polyfillFiles: readonly string[]): Set<string> {
  const polyfills = new Set(polyfillFiles);
  const urls = [
    ...[...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1] ?? ''),
    ...[...html.matchAll(/<link[^>]*>/g)]
      .map((m) => m[0])
      .filter((tag) => /\srel="(?:preload|modulepreload)"/.test(tag) && /\sas="script"/.test(tag))
      .map((tag) => /\shref="([^"]+)"/.exec(tag)?.[1] ?? ''),
  ];
  return new Set(
    urls
      .filter((src) => src.startsWith('/_next/static/'))
      .map((src) => src.slice('/_next/'.length).split('?')[0] ?? '')
      .filter((file) => !polyfills.has(file)),
  );
}

/**
 * Cross-check against what the server really sends: the scripts the route's HTML loads or
 * preloads, summed, and whether they are the manifest's files. Null when the page cannot be
 * fetched (sign-in redirect, dynamic segment).
 */
export async function servedScripts(
  consoleUrl: string,
  route: string,
  polyfillFiles: readonly string[],
): Promise<Set<string> | null> {
  if (route.includes('[')) return null;
  const res = await fetch(`${consoleUrl}${route}`, { redirect: 'manual' });
  if (!res.ok) return null;
  return scriptsInHtml(await res.text(), polyfillFiles);
}

/** Adds what the served HTML loads to each route a running console (AUTH=off) serves. */
export async function crossCheckWithHtml(
  result: PageWeightResult,
  consoleUrl: string,
  root: string,
): Promise<void> {
  const nextDir = path.join(root, '.next');
  const build = readJson<BuildManifest>(path.join(nextDir, 'build-manifest.json'));
  for (const weight of result.routes) {
    const served = await servedScripts(consoleUrl, weight.route, build.polyfillFiles);
    if (!served) continue;
    const expected = new Set(weight.files.map((f) => decodeURIComponent(f)));
    const files = [...served].map((f) => decodeURIComponent(f));
    weight.htmlAgrees = files.length === expected.size && files.every((f) => expected.has(f));
    weight.servedGzipBytes = files.reduce(
      (sum, f) => sum + gzipSync(readFileSync(path.join(nextDir, f))).length,
      0,
    );
  }
}
