#!/usr/bin/env node
// `npm test`: unit and API tests (Vitest), then browser tests (Playwright on Debian's Chromium
// against the production build). Installs the Debian packages the tests drive (Chromium,
// HAProxy, NGINX, Docker, busybox, PostgreSQL, Prometheus, Alertmanager) with apt when they are missing and we are root; otherwise says how.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// Debian packages the tests drive for real, each with a file that shows it is installed.
const DEBIAN_PACKAGES = [
  {
    name: 'chromium',
    file: '/usr/bin/chromium',
    why: 'browser tests (Playwright cannot download its own browser here)',
  },
  {
    name: 'haproxy',
    file: '/usr/sbin/haproxy',
    why: 'generated HAProxy configs are checked by the real binary',
  },
  {
    name: 'nginx-light',
    file: '/usr/sbin/nginx',
    why: 'generated NGINX configs are checked by the real binary',
  },
  {
    name: 'libnginx-mod-stream',
    file: '/usr/lib/nginx/modules/ngx_stream_module.so',
    why: 'NGINX TCP passthrough (stream module)',
  },
  {
    name: 'docker.io',
    file: '/usr/sbin/dockerd',
    why: 'the Swarm adapter is tested against a real Docker Swarm (test/swarm)',
  },
  {
    name: 'busybox-static',
    file: '/bin/busybox',
    why: 'the stand-in DTR bootstrapper image that test/swarm runs is built from its static busybox',
  },
  {
    name: 'iproute2',
    file: '/usr/sbin/ip',
    why: 'network namespaces and veths for the real Swarm managers',
  },
  {
    name: 'postgresql',
    file: '/usr/bin/pg_ctlcluster',
    why: 'the store and console HA (two instances, one poller) are tested on a real PostgreSQL',
  },
  {
    name: 'iptables',
    file: '/usr/sbin/iptables',
    why: 'lets bridged traffic between the test Swarm managers through',
  },
  {
    name: 'prometheus',
    file: '/usr/bin/promtool',
    why: 'generated alert rules are checked and unit-tested by promtool, and scraped by Prometheus',
  },
  {
    name: 'prometheus-alertmanager',
    file: '/usr/bin/prometheus-alertmanager',
    why: 'incidents are delivered through a real Alertmanager',
  },
];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  return result.status ?? 1;
}

function ensureDebianPackages() {
  const missing = DEBIAN_PACKAGES.filter((p) => !existsSync(p.file));
  if (missing.length === 0) return true;
  const names = missing.map((p) => p.name);
  if (process.getuid?.() !== 0) {
    console.error(
      `The tests need these Debian packages:\n${missing.map((p) => `  ${p.name}: ${p.why}`).join('\n')}\n` +
        `Install them with:\n  sudo apt-get update && sudo apt-get install -y ${names.join(' ')}`,
    );
    return false;
  }
  console.log(`Installing Debian packages the tests need: ${names.join(', ')}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-qq'], { env }) !== 0) return false;
  return run('apt-get', ['install', '-y', '-qq', ...names], { env }) === 0;
}

const only = process.argv[2];
let failed = false;

if (!ensureDebianPackages()) process.exit(1);

if (only !== 'e2e') {
  failed = run('npx', ['vitest', 'run']) !== 0 || failed;
}
if (only !== 'unit') {
  failed = run('npx', ['playwright', 'test']) !== 0 || failed;
}
process.exit(failed ? 1 : 0);
