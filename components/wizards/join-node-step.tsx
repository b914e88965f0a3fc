'use client';

import { useId } from 'react';
import { targetNotes, type JoinTarget } from '@/lib/domain/wizards';
import { Badge } from '@/components/ui/badge';
import { field } from './styles';

/** The node picker: eligible workers selectable, every other node listed with its reason. */
export function JoinNodeStep({
  targets,
  node,
  onNode,
}: {
  targets: JoinTarget[];
  node: string | null;
  onNode: (hostname: string | null) => void;
}) {
  const id = useId();
  const eligible = targets.filter((t) => t.eligible);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex max-w-xl flex-col gap-1">
        <label htmlFor={`${id}-node`} className="text-sm font-medium">
          UCP worker to run the new replica
        </label>
        <select
          id={`${id}-node`}
          data-testid="join-node-select"
          className={field}
          value={node ?? ''}
          aria-describedby={`${id}-count`}
          onChange={(event) => onNode(event.target.value || null)}
        >
          <option value="">Choose a node…</option>
          {targets.map((target) => (
            <option key={target.hostname} value={target.hostname} disabled={!target.eligible}>
              {target.eligible
                ? `${target.hostname}${targetNotes(target).length ? ` (${targetNotes(target).join('; ')})` : ''}`
                : `${target.hostname} — not eligible: ${target.reason}`}
            </option>
          ))}
        </select>
        <p id={`${id}-count`} className="text-sm text-slate-700 dark:text-slate-300">
          {eligible.length === 0
            ? 'No node is eligible: DTR needs a ready, active Linux worker without a replica or cache.'
            : `${eligible.length} of ${targets.length} nodes are eligible.`}
        </p>
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer font-medium">
          Every node and why it can or cannot take a replica
        </summary>
        <table className="mt-2 w-full text-left">
          <thead>
            <tr className="border-b border-slate-300 dark:border-slate-700">
              <th scope="col" className="py-1 pr-3 font-semibold">
                Node
              </th>
              <th scope="col" className="py-1 pr-3 font-semibold">
                Eligible
              </th>
              <th scope="col" className="py-1 font-semibold">
                Why
              </th>
            </tr>
          </thead>
          <tbody>
            {targets.map((target) => (
              <tr
                key={target.hostname}
                data-testid={`join-target-${target.hostname}`}
                data-eligible={target.eligible}
                className="border-b border-slate-200 dark:border-slate-800"
              >
                <td className="py-1 pr-3 font-mono break-all">{target.hostname}</td>
                <td className="py-1 pr-3">
                  <Badge tone={target.eligible ? 'ok' : 'neutral'}>
                    {target.eligible ? 'Yes' : 'No'}
                  </Badge>
                </td>
                <td className="py-1">
                  {target.reason ?? (targetNotes(target).join('; ') || 'ready, active Linux worker')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
