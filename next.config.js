// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The demo cluster and the monitor run inside the server process; keep Node-only
  // packages out of the bundles so they load once, as plain Node modules.
  serverExternalPackages: ['undici', 'prom-client'],
  // proxy.ts serves /c/<name>/… by rewriting it to the unprefixed route on the request's own
  // origin. Normalised, that origin says "localhost" where the server listens on 127.0.0.1, and
  // Next then forwards the rewrite over HTTP to itself (a second trip through the proxy, and no
  // answer past 256 open event streams) instead of serving it in place.
  skipProxyUrlNormalize: true,
  // proxy.ts adds the security headers to every answer it sees, but it does not see Next's
  // own files (its matcher skips /_next/static and /_next/image): give those nosniff here.
  async headers() {
    return [
      {
        source: '/_next/:path*',
        headers: [{ key: 'X-Content-Type-Options', value: 'nosniff' }],
      },
    ];
  },
};

module.exports = nextConfig;
