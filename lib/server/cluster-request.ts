// Which cluster a request is for. proxy.ts reads it from the URL (/c/<name>/…), rewrites the URL
// to the unprefixed route and names the cluster in CLUSTER_HEADER; it removes any value a client
// sent, so the header is the proxy's word. Pages read it here; route handlers get the runtime
// from lib/server/route.ts, which reads the same header.
import 'server-only';
import { headers } from 'next/headers';
import { getRuntime, type Runtime } from './runtime';

import { CLUSTER_HEADER } from '@/lib/auth/proxy-handler';

export { CLUSTER_HEADER };

/** The cluster this render is for: the name in the URL, or null for an unprefixed URL. */
export async function requestCluster(): Promise<string | null> {
  return (await headers()).get(CLUSTER_HEADER);
}

/** The runtime of the cluster this page render is for (the first cluster for unprefixed URLs). */
export async function pageRuntime(): Promise<Runtime> {
  return getRuntime(await requestCluster());
}
