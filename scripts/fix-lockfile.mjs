#!/usr/bin/env node
// The npm registry this project installs from does not carry every platform build of some
// native packages (@next/swc-*, @tailwindcss/oxide-*, @unrs/resolver-binding-*). npm then leaves
// them out of package-lock.json, and `npm ci` refuses the lock as "Missing: … from lock file".
// This adds a metadata-only entry (version, os, cpu) for each missing platform package, copying
// its flags from an installed sibling; npm never fetches them on a platform they do not match.
// Run after any `npm install` that changes the lock: `node scripts/fix-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony', 'wasi'];
const CPU = {
  arm64: 'arm64',
  x64: 'x64',
  ia32: 'ia32',
  arm: 'arm',
  loong64: 'loong64',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
  wasm32: 'wasm32',
};

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.map((p) => CPU[p]).find(Boolean);
  if (!os || !cpu) return null;
  const platform = { os: [os === 'wasi' ? 'wasi' : os], cpu: [cpu] };
  if (os === 'linux')
    platform.libc = [parts.includes('musl') || parts.includes('musleabihf') ? 'musl' : 'glibc'];
  return platform;
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  const optional = entry.optionalDependencies;
  if (!optional) continue;
  const names = Object.keys(optional);
  const sibling = names.map((n) => packages[`node_modules/${n}`]).find(Boolean);
  if (!sibling) continue;
  for (const name of names) {
    const key = `node_modules/${name}`;
    const nested = `${location}/node_modules/${name}`;
    if (packages[key] || packages[nested]) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d+\.\d+\.\d+/.test(optional[name])) continue;
    const copy = { version: optional[name] };
    for (const flag of ['dev', 'optional', 'devOptional', 'peer', 'license'])
      if (flag in sibling) copy[flag] = sibling[flag];
    if (sibling.engines) copy.engines = sibling.engines;
    Object.assign(copy, platform);
    packages[key] = copy;
    added += 1;
  }
}

lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  added
    ? `package-lock.json: added ${added} platform package entries the registry does not serve.`
    : 'package-lock.json: nothing to add.',
);
