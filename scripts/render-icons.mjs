#!/usr/bin/env node
// Renders public/icon.svg to the PNG sizes browsers and phones ask for, and favicon.ico (16 and
// 32 px PNGs inside), with rsvg-convert (Debian/Ubuntu: `apt-get install librsvg2-bin`).
// Run after changing the icon: `node scripts/render-icons.mjs`; the outputs are committed.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');
const svg = readFileSync(path.join(publicDir, 'icon.svg'), 'utf8');
// Home screens cut their own corners and show transparency as black: a square, full tile there.
const square = svg.replace(/(<rect id="tile"[^>]*?) rx="[^"]*"/, '$1');

function render(source, size) {
  const result = spawnSync('rsvg-convert', ['-w', String(size), '-h', String(size)], {
    input: source,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) {
    const why = result.error?.message ?? result.stderr.toString().trim();
    console.error(`render-icons: rsvg-convert failed (${why}); install librsvg2-bin.`);
    process.exit(1);
  }
  return result.stdout;
}

const outputs = [
  ['icon-32.png', svg, 32],
  ['apple-touch-icon.png', square, 180],
  ['icon-192.png', svg, 192],
  ['icon-512.png', svg, 512],
];
for (const [name, source, size] of outputs) {
  writeFileSync(path.join(publicDir, name), render(source, size));
  console.log(`public/${name}: ${size}×${size} px`);
}

/** An ICO file whose images are PNGs (every browser since IE 11 reads them). */
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size % 256, 0);
    entry.writeUInt8(size % 256, 1);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(entry);
  }
  return Buffer.concat([header, ...entries, ...images.map((image) => image.png)]);
}

writeFileSync(
  path.join(publicDir, 'favicon.ico'),
  ico([16, 32].map((size) => ({ size, png: render(svg, size) }))),
);
console.log('public/favicon.ico: 16 and 32 px');
