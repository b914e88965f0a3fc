// The first gate for every request: permissions, security headers and the CSP nonce.
// Route handlers and pages check again (withAuth, requireUser): the proxy is not the only gate.
import type { NextRequest } from 'next/server';
import { handleProxy } from '@/lib/auth/proxy-handler';
import { getRuntime } from '@/lib/server/runtime';

export async function proxy(request: NextRequest) {
  return handleProxy(request, (await getRuntime()).auth, {
    dev: process.env.NODE_ENV === 'development',
  });
}

export const config = {
  matcher: ['/((?!_next/static|_next/image).*)'],
};
