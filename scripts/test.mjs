#!/usr/bin/env node
// `npm test`: unit and API tests (Vitest), then browser tests (Playwright on Debian's Chromium
// against the production build). Installs Chromium with apt when it is missing and we are root.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  return result.status ?? 1;
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return true;
  if (process.getuid?.() !== 0) {
    console.error(
      `Browser tests need Debian's Chromium at ${CHROMIUM}. Install it with:\n  sudo apt-get update && sudo apt-get install -y chromium\n` +
        '(Playwright cannot download its own browser on this network.)',
    );
    return false;
  }
  console.log('Chromium is missing: installing it with apt-get…');
  if (run('apt-get', ['update', '-qq']) !== 0) return false;
  return run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }) === 0;
}

const only = process.argv[2];
let failed = false;

if (only !== 'e2e') {
  failed = run('npx', ['vitest', 'run']) !== 0 || failed;
}
if (only !== 'unit') {
  if (!ensureChromium()) failed = true;
  else failed = run('npx', ['playwright', 'test']) !== 0 || failed;
}
process.exit(failed ? 1 : 0);
