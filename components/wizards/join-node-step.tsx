'use client';

import { useId } from 'react';
import { targetNotes, type JoinTarget } from '@/lib/domain/wizards/join-targets';
import { Badge } from '@/components/ui/badge';
import { fieldClass } from '@/components/ui/styles';

const optionText = (target: JoinTarget): string => {
  if (!target.eligible) return `${target.hostname} — not eligible: ${target.reason}`;
  const notes = targetNotes(target);
  return `${target.hostname}${notes.length ? ` (${notes.join('; ')})` : ''}`;
};

function Options({ label, targets }: { label: string; targets: JoinTarget[] }) {
  if (targets.length === 0) return null;
  return (
    <optgroup label={label}>
      {targets.map((target) => (
        <option key={target.hostname} value={target.hostname} disabled={!target.eligible}>
          {optionText(target)}
        </option>
      ))}
    </optgroup>
  );
}

function KindBadge({ target }: { target: JoinTarget }) {
  if (!target.eligible) return <Badge tone="neutral">Not eligible</Badge>;
  return target.dedicatedBy !== null ? (
    <Badge tone="ok">Dedicated DTR node</Badge>
  ) : (
    <Badge tone="warn">Application worker</Badge>
  );
}

/**
 * The node picker, in the order the console recommends: dedicated DTR nodes, then application
 * workers (possible once the person accepts it), then every other node with its reason.
 */
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
  const dedicated = targets.filter((t) => t.eligible && t.dedicatedBy !== null);
  const application = targets.filter((t) => t.eligible && t.dedicatedBy === null);
  const ineligible = targets.filter((t) => !t.eligible);
  const eligible = dedicated.length + application.length;
  return (
    <div className="flex flex-col gap-4">
      <div className="flex max-w-xl flex-col gap-1">
        <label htmlFor={`${id}-node`} className="text-sm font-medium">
          UCP worker to run the new replica
        </label>
        <select
          id={`${id}-node`}
          data-testid="join-node-select"
          className={fieldClass}
          value={node ?? ''}
          aria-describedby={`${id}-count`}
          onChange={(event) => onNode(event.target.value || null)}
        >
          <option value="">Choose a node…</option>
          <Options label="Dedicated DTR nodes (recommended)" targets={dedicated} />
          <Options label="Application workers (asks you to confirm)" targets={application} />
          <Options label="Not eligible" targets={ineligible} />
        </select>
        <p id={`${id}-count`} className="text-sm text-slate-700 dark:text-slate-300">
          {eligible === 0
            ? 'No node is eligible: DTR needs a ready, active Linux worker without a replica or cache.'
            : `${eligible} of ${targets.length} nodes are eligible: ${dedicated.length} dedicated to DTR, ${application.length} running applications. ` +
              'A node counts as dedicated when its host name or a label says dtr or msr (e.g. dtr=true).'}
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
                Fit
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
                data-dedicated={target.dedicatedBy !== null}
                className="border-b border-slate-200 dark:border-slate-800"
              >
                <td className="py-1 pr-3 font-mono break-all">{target.hostname}</td>
                <td className="py-1 pr-3">
                  <KindBadge target={target} />
                </td>
                <td className="py-1">
                  {target.reason ??
                    (targetNotes(target).join('; ') ||
                      'ready, active Linux worker; nothing names it for DTR')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
