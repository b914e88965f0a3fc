import { outcomeOf, type AuditEntry } from '@/lib/auth/audit';
import { normaliseAddress } from '@/lib/domain/address';
import { displayTime } from './audit-url';
import { ACTION_LABEL, OUTCOME_LABEL } from './labels';
import { WideTable } from '@/components/ui/wide-table';

const OUTCOME_CLASS = {
  succeeded: 'text-slate-800 dark:text-slate-200',
  refused: 'font-semibold text-amber-900 dark:text-amber-200',
  failed: 'font-semibold text-red-800 dark:text-red-300',
} as const;

/**
 * In a fleet a cluster's log also holds the whole console's entries (sign-ins, refusals at the
 * door): the Cluster column says which is which.
 */
export function AuditTable({ events, fleet = false }: { events: AuditEntry[]; fleet?: boolean }) {
  const headings = [
    'When (UTC)',
    'Who',
    'What',
    'Outcome',
    'From',
    ...(fleet ? ['Cluster'] : []),
    'Detail',
  ];
  return (
    <WideTable label="Audit log">
      <table className="w-full text-left text-sm" data-testid="audit-table">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="bg-slate-100 dark:bg-slate-900">
          <tr>
            {headings.map((heading) => (
              <th key={heading} scope="col" className="px-3 py-2">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const outcome = outcomeOf(event.action);
            return (
              <tr
                key={event.cursor}
                data-testid="audit-row"
                className="border-t border-slate-200 dark:border-slate-800"
              >
                <td className="px-3 py-2 whitespace-nowrap">
                  <time dateTime={event.at}>{displayTime(event.at)}</time>
                </td>
                <td className="px-3 py-2 font-mono" data-testid="audit-actor">
                  {event.actor}
                </td>
                <td className="px-3 py-2" data-testid="audit-action">
                  {ACTION_LABEL[event.action] ?? event.action}
                </td>
                <td className={`px-3 py-2 ${OUTCOME_CLASS[outcome]}`} data-testid="audit-outcome">
                  {OUTCOME_LABEL[outcome]}
                </td>
                <td className="px-3 py-2 font-mono" data-testid="audit-ip">
                  {normaliseAddress(event.ip)}
                </td>
                {fleet && (
                  <td className="px-3 py-2 whitespace-nowrap" data-testid="audit-cluster">
                    {event.cluster ? (
                      <span className="font-mono">{event.cluster}</span>
                    ) : (
                      'whole console'
                    )}
                  </td>
                )}
                <td className="px-3 py-2">{event.detail}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </WideTable>
  );
}
