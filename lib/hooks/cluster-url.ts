// The browser's side of /c/<name>/…: a page under a cluster's prefix fetches that cluster's API
// and links to that cluster's pages. The prefix is read from the page's own URL, so components
// keep writing "/api/status" and "/replicas"; a one-cluster console's URLs carry none.
import { usePathname } from 'next/navigation';
import { createContext, useContext } from 'react';
import { inCluster, isFleetPath, splitClusterPath } from '@/lib/domain/cluster-path';

/** "/c/<name>" for a path under a cluster's prefix, else "". */
export function baseOf(pathname: string): string {
  const { cluster } = splitClusterPath(pathname);
  return cluster === null ? '' : `/c/${cluster}`;
}

/**
 * `path` (absolute, with any query) as the page at `pathname` should ask for it: under the page's
 * cluster prefix, unless it belongs to the whole console (sign-in, the fleet API) or is external.
 */
export function withClusterBase(path: string, pathname: string): string {
  if (!path.startsWith('/') || path.startsWith('//')) return path;
  if (splitClusterPath(path).cluster !== null) return path;
  const bare = path.split(/[?#]/, 1)[0]!;
  if (bare !== '/' && isFleetPath(bare)) return path;
  return inCluster(baseOf(pathname), path);
}

/** For fetches and streams (outside React): the current page's prefix, nothing on the server. */
export function clusterUrl(path: string): string {
  if (typeof window === 'undefined') return path;
  return withClusterBase(path, window.location.pathname);
}

/**
 * The prefix of the page being rendered on the server, from the proxy's word (the root layout
 * provides it). On the server usePathname() gives the route the proxy rewrote to (/replicas), not
 * the URL (/c/dr/replicas); in the browser it gives the URL. The layout is not rendered again
 * when the browser moves between clusters, so the browser reads its own URL.
 */
export const ServerClusterBase = createContext('');

/** The current page's cluster prefix ("" outside one): SWR caches and streams are kept per cluster. */
export function useClusterBase(): string {
  const serverBase = useContext(ServerClusterBase);
  const pathname = usePathname() ?? '/';
  return typeof window === 'undefined' ? serverBase : baseOf(pathname);
}

/** The current page's cluster name, or null outside one. */
export function useClusterName(): string | null {
  const base = useClusterBase();
  return base ? base.slice('/c/'.length) : null;
}

/** For links in components: maps a path into the current page's cluster. */
export function useClusterHref(): (path: string) => string {
  const base = useClusterBase();
  return (path) => withClusterBase(path, base || '/');
}
