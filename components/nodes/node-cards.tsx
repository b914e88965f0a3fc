'use client';
// The node inventory on a phone: one card per node with every column that matters, the what-if
// first. Virtualised against the page's scroll like the table, for clusters of thousands.
import { useEffect, useId } from 'react';
import type { Quorum } from '@/lib/domain/types';
import {
  AvailabilityCell,
  HostsCell,
  ManagerCell,
  ResourcesCell,
  StateCell,
  WhatIfCell,
} from './node-cells';
import type { SortDir, SortKey } from '@/lib/domain/node-query';
import type { NodeRow, NodeViewProps } from '@/lib/domain/node-rows';
import { COLUMNS } from './nodes-table';
import { isShown, useNearEnd, useWindowList } from './use-window-list';

/** A card's usual height, until it is measured. */
const CARD_ESTIMATE = 310;
const GAP = 12;

const term = 'text-xs font-semibold text-slate-700 dark:text-slate-300';

function Field({
  label,
  wide = false,
  children,
}: {
  label: string;
  /** Across both columns. */
  wide?: boolean;
  children: React.ReactNode;
}) {
  return (
    <div className={`flex min-w-0 flex-col gap-0.5 ${wide ? 'col-span-2' : ''}`}>
      <dt className={term}>{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}

function NodeCard({ row, current, highlighted }: NodeViewProps) {
  const { node } = row;
  return (
    <article
      data-testid={`node-card-${node.hostname}`}
      data-highlighted={highlighted || undefined}
      aria-current={highlighted ? 'true' : undefined}
      aria-label={node.hostname}
      className={`flex flex-col gap-3 rounded-lg border p-3 text-sm shadow-sm ${
        highlighted
          ? 'border-sky-600 bg-sky-50 dark:border-sky-400 dark:bg-sky-950'
          : 'border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900'
      }`}
    >
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="font-mono font-semibold break-all">{node.hostname}</h3>
          {node.addr && (
            <p className="font-mono text-xs break-all text-slate-600 dark:text-slate-300">
              {node.addr}
            </p>
          )}
          {node.addrProblem && (
            <p className="text-xs break-words text-red-800 dark:text-red-300">
              address refused: {node.addrProblem}
            </p>
          )}
        </div>
        <span className="shrink-0 text-xs font-medium text-slate-700 dark:text-slate-300">
          {node.role}
        </span>
      </div>
      <dl className="grid grid-cols-2 gap-x-3 gap-y-2">
        <div className="col-span-2 flex flex-col gap-0.5">
          <dt className={term}>If it fails</dt>
          <dd>
            <WhatIfCell
              hostname={node.hostname}
              impact={row.impact}
              current={current}
              testIdPrefix="card-what-if"
            />
          </dd>
        </div>
        <Field label="State · UCP message">
          <StateCell node={node} />
        </Field>
        <Field label="Availability">
          <AvailabilityCell availability={node.availability} />
        </Field>
        <Field label="Hosts">
          <HostsCell hosts={node.hosts} />
        </Field>
        <Field label="Leader · reach">
          <ManagerCell node={node} />
        </Field>
        <Field label="Zone">
          {row.zone ?? <span className="text-slate-600 dark:text-slate-300">—</span>}
        </Field>
        <Field label="Engine">
          <span className="font-mono text-xs break-all">{node.engineVersion ?? 'unknown'}</span>
        </Field>
        <Field label="CPU · memory" wide>
          <ResourcesCell node={node} />
        </Field>
      </dl>
    </article>
  );
}

/** The table sorts by its headers; cards have no headers, so they get a field for it. */
export function CardSort({
  sort,
  dir,
  onSort,
  disabled,
}: {
  sort: SortKey;
  dir: SortDir;
  onSort: (key: SortKey, dir: SortDir) => void;
  disabled: boolean;
}) {
  const id = useId();
  const field =
    'rounded-md border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900 disabled:opacity-70 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100';
  return (
    <div className="flex items-end gap-2">
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <label htmlFor={id} className={term}>
          Sort by
        </label>
        <select
          id={id}
          data-testid="card-sort"
          value={sort}
          disabled={disabled}
          onChange={(event) => onSort(event.target.value as SortKey, dir)}
          className={field}
        >
          {COLUMNS.map((column) => (
            <option key={column.key} value={column.key}>
              {column.label}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        data-testid="card-sort-dir"
        disabled={disabled}
        onClick={() => onSort(sort, dir === 'asc' ? 'desc' : 'asc')}
        className={`${field} font-medium`}
      >
        {dir === 'asc' ? 'Ascending' : 'Descending'}
      </button>
    </div>
  );
}

export function NodeCards({
  rows,
  current,
  highlight,
  empty,
  onNearEnd,
}: {
  rows: NodeRow[];
  current: { dtr: Quorum; ucp: Quorum };
  highlight: string | null;
  empty: React.ReactNode;
  /** Called when the cards in view come near the last one loaded (the next page is wanted). */
  onNearEnd?: () => void;
}) {
  const { startRef, virtualizer } = useWindowList<HTMLUListElement>({
    count: rows.length,
    estimateSize: CARD_ESTIMATE + GAP,
    getItemKey: (index) => rows[index]?.node.id ?? index,
    overscan: 4,
    measure: true,
  });

  const highlightIndex = highlight ? rows.findIndex((r) => r.node.hostname === highlight) : -1;
  useEffect(() => {
    if (highlightIndex >= 0 && isShown(startRef.current))
      virtualizer.scrollToIndex(highlightIndex, { align: 'center' });
  }, [highlightIndex, virtualizer, startRef]);

  const items = virtualizer.getVirtualItems();
  useNearEnd(items[items.length - 1]?.index ?? -1, rows.length, startRef, onNearEnd);

  if (rows.length === 0) {
    return (
      <p className="rounded-lg border border-slate-300 p-4 text-center dark:border-slate-700">
        {empty}
      </p>
    );
  }
  const margin = virtualizer.options.scrollMargin;
  return (
    <ul
      ref={startRef}
      data-testid="node-cards"
      aria-label="UCP nodes"
      className="relative"
      style={{ height: virtualizer.getTotalSize() }}
    >
      {items.map((item) => {
        const row = rows[item.index];
        return row ? (
          <li
            key={item.key}
            data-index={item.index}
            ref={virtualizer.measureElement}
            aria-posinset={item.index + 1}
            aria-setsize={rows.length}
            className="absolute top-0 left-0 w-full"
            style={{ transform: `translateY(${item.start - margin}px)`, paddingBottom: GAP }}
          >
            <NodeCard row={row} current={current} highlighted={row.node.hostname === highlight} />
          </li>
        ) : null;
      })}
    </ul>
  );
}
