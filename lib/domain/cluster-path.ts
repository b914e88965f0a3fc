// Where a cluster's pages and API live when one console watches several clusters: under
// /c/<name>/… (pages) and /c/<name>/api/… (API, SSE). A console with one cluster keeps today's
// URLs; /c/<its name>/… reaches the same pages. Pure and client-safe: the proxy, pages, links
// and fetches all share these rules.

/** A cluster's name: lowercase letters, digits and dashes, 1–31 characters, no leading dash. */
export const CLUSTER_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

/** The name a console with only today's environment variables gives its one cluster. */
export const DEFAULT_CLUSTER = 'default';

export interface ClusterPath {
  /** The cluster the URL names, or null for an unprefixed URL. */
  cluster: string | null;
  /** The path without the /c/<name> prefix ("/" for the cluster's overview). */
  rest: string;
}

/**
 * Splits "/c/prod/replicas" into {cluster: "prod", rest: "/replicas"}. An unprefixed path comes
 * back whole with cluster null; "/c/<not a name>/…" too, so it meets the usual 404.
 */
export function splitClusterPath(pathname: string): ClusterPath {
  const match = /^\/c\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!match || !CLUSTER_NAME.test(match[1]!)) return { cluster: null, rest: pathname };
  return { cluster: match[1]!, rest: match[2] && match[2] !== '' ? match[2] : '/' };
}

/**
 * The URL of `path` (a page or "/api/…", with any query) for `cluster`. `base` is what
 * clusterBase() returns: "" keeps today's URLs (one cluster), "/c/<name>" prefixes them.
 */
export function inCluster(base: string, path: string): string {
  if (!base) return path;
  if (path === '/') return base;
  return `${base}${path}`;
}

/** The prefix for a cluster's URLs: "" when the console watches only that cluster. */
export function clusterBase(cluster: string | null, fleet: boolean): string {
  return cluster !== null && fleet ? `/c/${cluster}` : '';
}

/**
 * Unprefixed paths that belong to the whole console, not one cluster: the fleet overview, sign-in,
 * health, the fleet API and static files. In a fleet every other page and API is under /c/<name>.
 */
export function isFleetPath(pathname: string): boolean {
  if (pathname === '/' || pathname === '/login' || pathname === '/api/healthz') return true;
  if (pathname === '/api/fleet' || pathname.startsWith('/api/auth/')) return true;
  if (pathname.startsWith('/_next/')) return true;
  return /^\/[^/]+\.[a-z0-9]+$/i.test(pathname);
}
