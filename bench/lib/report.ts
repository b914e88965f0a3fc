// The benchmark's output: an aligned table for people (every figure with its unit and its target)
// and the same figures as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type Row =
  { section: string } | { label: string; value: string; target?: string; ok?: boolean | null };

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
export const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
export const ms = (value: number | null) => (value === null ? '—' : `${Math.round(value)} ms`);

export function check(ok: boolean | null | undefined): string {
  return ok === true ? '✓' : ok === false ? '✗' : ' ';
}

export function renderTable(rows: Row[]): string {
  const figures = rows.filter((r): r is Exclude<Row, { section: string }> => !('section' in r));
  const w1 = Math.max(6, ...figures.map((r) => r.label.length + 2)) + 2;
  const w2 = Math.max(5, ...figures.map((r) => r.value.length)) + 2;
  const w3 = Math.max(6, ...figures.map((r) => (r.target ?? '').length)) + 2;
  const line = (a: string, b: string, c: string, d: string) =>
    `${a.padEnd(w1)}${b.padEnd(w2)}${c.padEnd(w3)}${d}`.trimEnd();
  const out = [line('Figure', 'Value', 'Target', ''), '-'.repeat(w1 + w2 + w3 + 1)];
  for (const row of rows) {
    if ('section' in row) out.push('', row.section);
    else out.push(line(`  ${row.label}`, row.value, row.target ?? '', check(row.ok)));
  }
  return out.join('\n');
}

/** The table as Markdown, for bench/README.md and the project README. */
export function renderMarkdown(rows: Row[]): string {
  const out = ['| figure | value | target | |', '| --- | --- | --- | --- |'];
  for (const row of rows) {
    if ('section' in row) out.push(`| **${row.section}** | | | |`);
    else
      out.push(`| ${row.label} | ${row.value} | ${row.target ?? ''} | ${check(row.ok).trim()} |`);
  }
  return out.join('\n');
}

/** Writes latest.json and a timestamped copy; returns their paths. */
export function writeResults(dir: string, startedAt: Date, results: unknown): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const text = `${JSON.stringify(results, null, 2)}\n`;
  const files = [path.join(dir, 'latest.json'), path.join(dir, `${stamp}.json`)];
  for (const file of files) writeFileSync(file, text);
  return files;
}
