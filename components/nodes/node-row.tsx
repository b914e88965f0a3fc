import { memo } from 'react';
import type { Quorum } from '@/lib/domain/types';
import {
  AvailabilityCell,
  HostsCell,
  ManagerCell,
  ResourcesCell,
  StateCell,
  WhatIfCell,
} from './node-cells';
import type { NodeRow, NodeViewProps } from '@/lib/domain/node-rows';

/** Rows have a fixed height (two text lines at most), so the table never measures them. */
export const ROW_HEIGHT = 56;

const cell = 'overflow-hidden border-b border-slate-200 px-2 align-middle dark:border-slate-800';

/** One node as a table row; re-renders only when its row or the quorums change. */
export const NodeRowView = memo(function NodeRowView({
  row,
  index,
  current,
  highlighted,
}: NodeViewProps & { index: number }) {
  const { node } = row;
  return (
    <tr
      data-testid={`node-row-${node.hostname}`}
      data-highlighted={highlighted || undefined}
      aria-rowindex={index + 2}
      aria-current={highlighted ? 'true' : undefined}
      style={{ height: ROW_HEIGHT }}
      className={
        highlighted
          ? 'bg-sky-100 dark:bg-sky-950'
          : index % 2 === 0
            ? 'bg-white dark:bg-slate-900'
            : 'bg-slate-50 dark:bg-slate-950'
      }
    >
      <th
        scope="row"
        className={`${cell} sticky left-0 z-[1] bg-inherit text-left font-mono font-semibold ${
          highlighted ? 'shadow-[inset_4px_0_0_var(--color-sky-600)]' : ''
        }`}
      >
        <span className="block truncate" title={node.hostname}>
          {node.hostname}
        </span>
        {node.addr && (
          <span className="block truncate text-xs font-normal text-slate-600 dark:text-slate-300">
            {node.addr}
          </span>
        )}
        {node.addrProblem && (
          <span
            data-testid="node-addr-problem"
            className="block truncate text-xs font-normal text-red-800 dark:text-red-300"
            title={node.addrProblem}
          >
            address refused: {node.addrProblem}
          </span>
        )}
      </th>
      <td className={cell}>{node.role}</td>
      <td className={cell}>
        <AvailabilityCell availability={node.availability} />
      </td>
      <td className={cell}>
        <StateCell node={node} />
      </td>
      <td className={cell}>
        <ManagerCell node={node} />
      </td>
      <td className={`${cell} truncate font-mono text-xs`} title={node.engineVersion ?? undefined}>
        {node.engineVersion ?? 'unknown'}
      </td>
      <td className={cell}>
        <ResourcesCell node={node} />
      </td>
      <td className={`${cell} truncate`}>
        {row.zone ?? <span className="text-slate-600 dark:text-slate-300">—</span>}
      </td>
      <td className={cell}>
        <HostsCell hosts={node.hosts} />
      </td>
      <td className={cell}>
        <WhatIfCell hostname={node.hostname} impact={row.impact} current={current} />
      </td>
    </tr>
  );
});
