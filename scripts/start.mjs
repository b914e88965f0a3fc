#!/usr/bin/env node
// `npm start`: build when there is no production build or the sources are newer than it,
// then serve it with `next start` (PORT, default 3000), client addresses stamped from the socket.
// In demo mode it listens on 127.0.0.1 only, unless HOSTNAME says otherwise (scripts/listen-host.mjs).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import nextEnv from '@next/env';
import { listenHost } from './listen-host.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildId = path.join(root, '.next', 'BUILD_ID');
const sources = [
  'app',
  'components',
  'lib',
  'public',
  'instrumentation.ts',
  'next.config.js',
  'package-lock.json',
  'postcss.config.mjs',
  'tsconfig.json',
];

function newestMtime(entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(full))
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

function buildIsCurrent() {
  if (!existsSync(buildId)) return false;
  const builtAt = statSync(buildId).mtimeMs;
  return sources.every((entry) => newestMtime(entry) <= builtAt);
}

const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
if (!buildIsCurrent()) {
  console.log(
    existsSync(buildId)
      ? 'Sources changed since the last build: rebuilding…'
      : 'No production build yet: building (about a minute)…',
  );
  const result = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The settings Next will read (.env.local and friends) decide demo mode too.
nextEnv.loadEnvConfig(root, false);
const port = process.env.PORT ?? '3000';
const args = process.argv.slice(2);
const host = listenHost(process.env, args);
if (host === '127.0.0.1')
  console.log(
    'Demo mode: listening on 127.0.0.1 only (set HOSTNAME=0.0.0.0 to let other machines in).',
  );
// Appends the TCP peer to X-Forwarded-For on every request, so a client cannot forge its address
// (rate limits, audit log); TRUST_PROXY says how many proxies in front to believe.
const peerAddress = pathToFileURL(path.join(root, 'lib', 'auth', 'forwarded-for.mjs')).href;
const server = spawn(
  process.execPath,
  ['--import', peerAddress, nextBin, 'start', '-p', port, ...(host ? ['-H', host] : []), ...args],
  { cwd: root, stdio: 'inherit', env: { ...process.env, DTR_CONSOLE_PEER_ADDRESS: '1' } },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
