// The first gate for every request: permissions, security headers and the CSP nonce.
// Route handlers and pages check again (withAuth, requireUser): the proxy is not the only gate.
import type { NextRequest } from 'next/server';
import { authProxy } from '@/lib/auth/proxy-handler';

export function proxy(request: NextRequest) {
  return authProxy(request, { dev: process.env.NODE_ENV === 'development' });
}

export const config = {
  matcher: ['/((?!_next/static|_next/image).*)'],
};
