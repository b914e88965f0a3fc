'use client';

import { useEffect } from 'react';
import type { Quorum } from '@/lib/domain/types';
import { WideTable } from '@/components/ui/wide-table';
import { NodeRowView, ROW_HEIGHT } from './node-row';
import type { SortDir, SortKey } from '@/lib/domain/node-query';
import type { NodeRow } from '@/lib/domain/node-rows';
import { isShown, useNearEnd, useWindowList } from './use-window-list';

const HEADER_HEIGHT = 40;

interface Column {
  key: SortKey;
  label: string;
  /** Fixed width; the one column without takes what is left. */
  width?: string;
}

export const COLUMNS: Column[] = [
  { key: 'hostname', label: 'Hostname', width: 'w-44' },
  { key: 'role', label: 'Role', width: 'w-22' },
  { key: 'availability', label: 'Availability', width: 'w-28' },
  { key: 'state', label: 'State · UCP message' },
  { key: 'manager', label: 'Leader · reach', width: 'w-32' },
  { key: 'engine', label: 'Engine', width: 'w-22' },
  { key: 'resources', label: 'CPU · memory', width: 'w-32' },
  { key: 'zone', label: 'Zone', width: 'w-18' },
  { key: 'hosts', label: 'Hosts', width: 'w-32' },
  { key: 'what-if', label: 'If it fails', width: 'w-36' },
];

function SortIcon({ dir }: { dir: SortDir | null }) {
  return (
    <svg viewBox="0 0 12 12" aria-hidden="true" className="size-3 shrink-0" fill="currentColor">
      <path d="M6 1 9 5H3z" opacity={dir === 'desc' ? 0.25 : 1} />
      <path d="M6 11 3 7h6z" opacity={dir === 'asc' ? 0.25 : 1} />
    </svg>
  );
}

export interface NodesTableProps {
  rows: NodeRow[];
  total: number;
  current: { dtr: Quorum; ucp: Quorum };
  sort: SortKey;
  dir: SortDir;
  onSort: (key: SortKey) => void;
  /** Hostname to highlight and scroll to. */
  highlight: string | null;
  empty: React.ReactNode;
  /** Until the page is interactive the sort buttons are disabled. */
  interactive?: boolean;
  /** Called when the rows in view come near the last one loaded (the next page is wanted). */
  onNearEnd?: () => void;
}

/**
 * The node inventory as a table that renders only the rows in view (thousands stay smooth). The
 * page scrolls, not the table; its header stays at the top of the window while the table fits
 * the screen's width.
 */
export function NodesTable({
  rows,
  total,
  current,
  sort,
  dir,
  onSort,
  highlight,
  empty,
  interactive = true,
  onNearEnd,
}: NodesTableProps) {
  const { startRef, virtualizer } = useWindowList<HTMLTableSectionElement>({
    count: rows.length,
    estimateSize: ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.node.id ?? index,
    overscan: 12,
  });

  const highlightIndex = highlight ? rows.findIndex((r) => r.node.hostname === highlight) : -1;
  // Bring the linked node into view (again after a sort or filter moves it; not on live updates).
  useEffect(() => {
    // Only the layout in use (table from md up, cards below) scrolls the page.
    if (highlightIndex >= 0 && isShown(startRef.current))
      virtualizer.scrollToIndex(highlightIndex, { align: 'center' });
  }, [highlightIndex, virtualizer, startRef]);

  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  useNearEnd(last?.index ?? -1, rows.length, startRef, onNearEnd);
  const margin = virtualizer.options.scrollMargin;
  const padTop = first ? first.start - margin : 0;
  const padBottom = last ? virtualizer.getTotalSize() - (last.end - margin) : 0;

  return (
    <WideTable label="UCP nodes" testId="nodes-table">
      <table
        aria-rowcount={rows.length + 1}
        className="w-full min-w-[76rem] table-fixed border-separate border-spacing-0 text-sm"
      >
        <caption id="nodes-caption" className="sr-only">
          UCP nodes: {rows.length} of {total} shown. Column headers sort the table.
        </caption>
        <colgroup>
          {COLUMNS.map((column) => (
            <col key={column.key} className={column.width} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1} style={{ height: HEADER_HEIGHT }}>
            {COLUMNS.map((column) => {
              const active = column.key === sort;
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}
                  className={`sticky top-0 ${column.key === 'hostname' ? 'left-0 z-20' : 'z-10'} border-b border-slate-300 bg-slate-100 px-1 text-left text-xs font-semibold text-slate-800 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100`}
                >
                  <button
                    type="button"
                    data-testid={`sort-${column.key}`}
                    disabled={!interactive}
                    onClick={() => onSort(column.key)}
                    className="flex w-full items-center gap-1 rounded px-1 py-1 text-left hover:bg-slate-200 dark:hover:bg-slate-700"
                  >
                    <span className="truncate">{column.label}</span>
                    <SortIcon dir={active ? dir : null} />
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody ref={startRef}>
          {padTop > 0 && (
            <tr aria-hidden="true" style={{ height: padTop }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            return row ? (
              <NodeRowView
                key={item.key}
                row={row}
                index={item.index}
                current={current}
                highlighted={row.node.hostname === highlight}
              />
            ) : null;
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" style={{ height: padBottom }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          )}
          {rows.length === 0 && (
            <tr>
              <td colSpan={COLUMNS.length} className="p-6 text-center">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </WideTable>
  );
}
