import type { Metadata } from 'next';
import { getAuditLog } from '@/lib/auth/audit';
import { requireUser } from '@/lib/auth/current-user';

export const metadata: Metadata = { title: 'Audit log' };

const ACTION_LABEL: Record<string, string> = {
  'sign-in': 'Signed in',
  'sign-in-failed': 'Sign-in failed',
  'sign-in-locked': 'Sign-in locked out',
  'sign-out': 'Signed out',
  'access-denied': 'Access denied',
  'demo-fault': 'Demo fault',
  'demo-reset': 'Demo reset',
  'wizard-command': 'Wizard command',
  'wizard-applied': 'Wizard applied (demo)',
  'wizard-ran': 'Wizard command run',
  'wizard-verified': 'Wizard verified',
  'wizard-failed': 'Wizard failed',
  'wizard-cancelled': 'Wizard cancelled',
};

export default async function AuditPage() {
  const user = await requireUser('/audit');
  if (!user.isAdmin) {
    return (
      <section>
        <h1 className="text-2xl font-bold tracking-tight">Audit log</h1>
        <p className="mt-3">Only UCP administrators can read the audit log.</p>
      </section>
    );
  }
  const events = await getAuditLog().list({ limit: 200 });
  return (
    <section>
      <h1 className="text-2xl font-bold tracking-tight">Audit log</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Sign-ins, refusals, demo faults and wizard commands: who, when (UTC) and from where. Newest
        first, last {events.length} entries.
      </p>
      {events.length === 0 ? (
        <p className="mt-6">Nothing recorded yet.</p>
      ) : (
        <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
          <table className="w-full text-left text-sm" data-testid="audit-table">
            <caption className="sr-only">Audit events, newest first</caption>
            <thead className="bg-slate-100 dark:bg-slate-900">
              <tr>
                <th scope="col" className="px-3 py-2">
                  When (UTC)
                </th>
                <th scope="col" className="px-3 py-2">
                  Who
                </th>
                <th scope="col" className="px-3 py-2">
                  What
                </th>
                <th scope="col" className="px-3 py-2">
                  From
                </th>
                <th scope="col" className="px-3 py-2">
                  Detail
                </th>
              </tr>
            </thead>
            <tbody>
              {events.map((event, index) => (
                <tr
                  key={`${event.at}-${index}`}
                  className="border-t border-slate-200 dark:border-slate-800"
                >
                  <td className="px-3 py-2 whitespace-nowrap">
                    <time dateTime={event.at}>
                      {event.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}
                    </time>
                  </td>
                  <td className="px-3 py-2 font-mono">{event.actor}</td>
                  <td className="px-3 py-2">{ACTION_LABEL[event.action] ?? event.action}</td>
                  <td className="px-3 py-2 font-mono">{event.ip}</td>
                  <td className="px-3 py-2">{event.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
