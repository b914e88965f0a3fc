import type { IncidentView } from '@/lib/server/services/alerts-admin';
import { Badge } from '@/components/ui/badge';
import { severityTone, type Tone } from '@/components/ui/tone';
import { WideTable } from '@/components/ui/wide-table';

const PHASE: Record<IncidentView['phase'], { tone: Tone; label: string }> = {
  pending: { tone: 'neutral', label: 'Pending' },
  firing: { tone: 'bad', label: 'Firing' },
  resolved: { tone: 'ok', label: 'Resolved' },
};

const utc = (iso: string | null) => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—');

export function IncidentsTable({ incidents }: { incidents: IncidentView[] }) {
  return (
    <WideTable label="Alert incidents">
      <table className="w-full text-left text-sm" data-testid="alerts-incidents">
        <caption className="sr-only">Alert incidents, newest first</caption>
        <thead className="bg-slate-100 dark:bg-slate-900">
          <tr>
            {['Incident', 'State', 'Severity', 'Since', 'Fired', 'Resolved', 'Delivered to'].map(
              (heading) => (
                <th key={heading} scope="col" className="px-3 py-2 whitespace-nowrap">
                  {heading}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {incidents.map((incident) => (
            <tr
              key={incident.id}
              data-testid="alerts-incident"
              className="border-t border-slate-200 align-top dark:border-slate-800"
            >
              <td className="px-3 py-2">
                <div className="font-medium">{incident.title}</div>
                <div className="font-mono text-xs text-slate-600 dark:text-slate-400">
                  {incident.codes.join(', ')}
                </div>
              </td>
              <td className="px-3 py-2">
                <Badge tone={PHASE[incident.phase].tone}>{PHASE[incident.phase].label}</Badge>
              </td>
              <td className="px-3 py-2">
                <Badge tone={severityTone[incident.severity]}>{incident.severity}</Badge>
              </td>
              <td className="px-3 py-2 whitespace-nowrap">{utc(incident.since)}</td>
              <td className="px-3 py-2 whitespace-nowrap">{utc(incident.firedAt)}</td>
              <td className="px-3 py-2 whitespace-nowrap">{utc(incident.resolvedAt)}</td>
              <td className="px-3 py-2">
                {incident.deliveries.length === 0 ? (
                  <span className="text-slate-600 dark:text-slate-400">
                    {incident.phase === 'pending' ? 'not sent: waiting for `for`' : 'no channel'}
                  </span>
                ) : (
                  <ul className="flex flex-col gap-0.5" data-testid="alerts-deliveries">
                    {incident.deliveries.map((d) => (
                      <li key={`${d.channelName}-${d.transition}`}>
                        <span className="font-medium">{d.channelName}</span>: {d.transition}{' '}
                        {d.status === 'sent' ? (
                          <span>sent{d.attempts > 1 ? ` after ${d.attempts} attempts` : ''}</span>
                        ) : d.status === 'failed' ? (
                          <span className="font-semibold text-red-800 dark:text-red-300">
                            failed ({d.error ?? 'no reason'})
                          </span>
                        ) : (
                          <span>sending…</span>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </WideTable>
  );
}
