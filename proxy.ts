// The first gate for every request: the cluster a URL is for (/c/<name>/…), permissions,
// security headers and the CSP nonce.
// Route handlers and pages check again (withAuth, requireUser): the proxy is not the only gate.
import type { NextRequest } from 'next/server';
import { handleProxy } from '@/lib/auth/proxy-handler';
import { getFleet } from '@/lib/server/runtime';

export async function proxy(request: NextRequest) {
  const fleet = await getFleet();
  return handleProxy(request, fleet.auth, {
    dev: process.env.NODE_ENV === 'development',
    fleet: { names: fleet.clusters.map((runtime) => runtime.cluster), multi: fleet.multi },
  });
}

export const config = {
  matcher: ['/((?!_next/static|_next/image).*)'],
};
