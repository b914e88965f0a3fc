// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The demo cluster and the monitor run inside the server process; keep Node-only
  // packages out of the bundles so they load once, as plain Node modules.
  serverExternalPackages: ['undici', 'prom-client'],
};

module.exports = nextConfig;
