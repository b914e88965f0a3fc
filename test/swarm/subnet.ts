// Picks the private /24 for a test bridge.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { toolPath } from './prerequisites';

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** A 10.x.y.0/24 that overlaps no route or address the host knows of. */
export function pickSubnet(): string {
  const routes = spawnSync('ip', ['-4', '-o', 'route', 'show', 'table', 'all'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: toolPath },
  }).stdout;
  const taken = [...routes.matchAll(/\b(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?/g)].map((m) => {
    const size = 2 ** (32 - Number(m[2] ?? 32));
    const start = Math.floor(ipv4ToInt(m[1]!) / size) * size;
    return { start, end: start + size - 1 };
  });
  for (let attempt = 0; attempt < 100; attempt++) {
    const [second, third] = randomBytes(2);
    const candidate = `10.${64 + (second! % 187)}.${third!}`;
    const start = ipv4ToInt(`${candidate}.0`);
    if (!taken.some((t) => t.start <= start + 255 && start <= t.end)) return candidate;
  }
  throw new Error('no free private /24 found for the test bridge');
}
