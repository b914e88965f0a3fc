// The README's live-mode examples, read from the section the README is pasted from, so the
// tests run exactly the lines a reader copies.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const EXAMPLE_FILE = path.join(HERE, 'README-live-example.md');
export const PROJECT_README = path.resolve(HERE, '../../README.md');

/** The socket path the Swarm example names; tests swap in a real manager's socket. */
export const EXAMPLE_SOCKET = '/var/run/docker.sock';

/** The fenced block after `<!-- live-example: <name> -->`, or null when the text has none. */
export function exampleBlock(markdown: string, name: 'ucp' | 'swarm'): string | null {
  const marker = `<!-- live-example: ${name} -->`;
  const at = markdown.indexOf(marker);
  if (at < 0) return null;
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(markdown.slice(at + marker.length));
  return match?.[1] ?? null;
}

/** The example's environment lines as an object; throws if the example is missing. */
export function exampleEnv(name: 'ucp' | 'swarm'): Record<string, string> {
  const block = exampleBlock(readFileSync(EXAMPLE_FILE, 'utf8'), name);
  if (block === null) throw new Error(`no "${name}" example in ${EXAMPLE_FILE}`);
  const env: Record<string, string> = {};
  for (const line of block.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = /^([A-Z][A-Z0-9_]*)=(\S*)$/.exec(trimmed);
    if (!match?.[1] || match[2] === undefined)
      throw new Error(`not an environment line in the ${name} example: ${line}`);
    env[match[1]] = match[2];
  }
  return env;
}

/** The project README's copy of an example, once the section has been pasted there. */
export function readmeBlock(name: 'ucp' | 'swarm'): string | null {
  return existsSync(PROJECT_README)
    ? exampleBlock(readFileSync(PROJECT_README, 'utf8'), name)
    : null;
}
