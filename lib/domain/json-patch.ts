// RFC 6902 JSON Patch for the live status (GET /api/events), on fast-json-patch: `diff` on the
// server, `patched` in the browser. Pure.
import {
  applyOperation,
  compare,
  escapePathComponent,
  unescapePathComponent,
} from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';

export type { Operation };

const RFC6902 = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container =>
  typeof value === 'object' && value !== null;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  isContainer(value) && !Array.isArray(value);

/**
 * `doc` with the operations applied by fast-json-patch (each validated first), or null when
 * they do not apply or the result is not an object. `doc` itself is never changed: before each
 * operation, every container on the path it writes to is copied (paths as they are at that
 * point: an earlier insert or removal moves later elements), and what the operations do not
 * touch is shared with the result.
 */
export function patched<T extends object>(doc: T, ops: readonly unknown[]): T | null {
  if (!ops.every((op) => isRecord(op) && RFC6902.has(String(op.op)))) return null;
  const copies = new Set<object>();
  const copy = <V extends object>(value: V): V => {
    if (copies.has(value)) return value;
    const fresh = (Array.isArray(value) ? [...value] : { ...value }) as V;
    copies.add(fresh);
    return fresh;
  };
  let result: unknown = copy(doc);
  try {
    for (const [index, op] of (ops as Operation[]).entries()) {
      // `test` and the source of `copy` only read.
      const writes =
        op.op === 'test'
          ? []
          : op.op === 'copy'
            ? [op.path]
            : [op.path, (op as { from?: unknown }).from];
      for (const pointer of writes) {
        if (typeof pointer !== 'string' || !pointer.startsWith('/') || !isContainer(result))
          continue;
        let node = result as Record<string, unknown>;
        for (const key of pointer.split('/').slice(1, -1).map(unescapePathComponent)) {
          if (key === '__proto__' || !Object.prototype.hasOwnProperty.call(node, key)) break;
          const child = node[key];
          if (!isContainer(child)) break;
          node[key] = copy(child);
          node = node[key] as Record<string, unknown>;
        }
      }
      result = applyOperation(result, op, true, true, true, index).newDocument;
    }
  } catch {
    return null;
  }
  return isRecord(result) ? (result as T) : null;
}

/**
 * Where an array changed length, the operations that insert or remove elements at the first
 * difference, so the elements after it line up again (fast-json-patch's compare matches arrays
 * by index: a warning inserted first would rewrite every warning after it). Parents before
 * children, paths as they are when each operation runs.
 */
function alignArrays(before: unknown, after: unknown, path: string, ops: Operation[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    let prefix = 0;
    const shorter = Math.min(before.length, after.length);
    if (before.length !== after.length)
      while (
        prefix < shorter &&
        (before[prefix] === after[prefix] ||
          JSON.stringify(before[prefix]) === JSON.stringify(after[prefix]))
      )
        prefix += 1;
    const grown = after.length - before.length;
    for (let i = 0; i < grown; i++)
      ops.push({ op: 'add', path: `${path}/${prefix + i}`, value: after[prefix + i] });
    for (let i = 0; i < -grown; i++) ops.push({ op: 'remove', path: `${path}/${prefix}` });
    // Pairs after the inserts or removals, by their index then.
    for (let j = 0; j < after.length; j++) {
      if (grown > 0 && j >= prefix && j < prefix + grown) continue;
      const i = j < prefix ? j : j - grown;
      alignArrays(before[i], after[j], `${path}/${j}`, ops);
    }
  } else if (isRecord(before) && isRecord(after)) {
    for (const key of Object.keys(after))
      if (Object.prototype.hasOwnProperty.call(before, key))
        alignArrays(before[key], after[key], `${path}/${escapePathComponent(key)}`, ops);
  }
}

/**
 * The RFC 6902 operations that turn `before` into `after` (both plain JSON: parsed, no
 * `undefined`): inserts and removals in arrays where they happen, then fast-json-patch's compare.
 */
export function diff<T extends object>(before: T, after: T): Operation[] {
  const aligning: Operation[] = [];
  alignArrays(before, after, '', aligning);
  if (aligning.length === 0) return compare(before, after);
  const aligned = patched(before, aligning);
  if (!aligned) return compare(before, after); // cannot happen; the plain diff is still right
  return [...aligning, ...compare(aligned, after)];
}
