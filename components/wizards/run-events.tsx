import type { RunEvent } from '@/lib/domain/wizards/run';
import { formatDateTime } from '@/lib/format';

const LABEL: Record<string, string> = {
  generated: 'Generated the command',
  applied: 'Applied it to the demo cluster',
  'demo-applied': 'The demo cluster made the change',
  'demo-refused': 'The demo cluster refused the change',
  ran: 'Said the command ran; verification started',
  'verify-again': 'Started verifying again',
  verified: 'Verification succeeded',
  failed: 'Verification failed',
  cancelled: 'Cancelled the run',
  withdrawn: 'Withdrew the command: the cluster changed since it was planned',
  executing: 'Had the console run the command (every gate checked again)',
  executed: 'The command ran and exited 0; verification started',
  'execution-failed': 'The command failed',
  'outcome-unknown': 'The console running the command stopped: outcome unknown',
};

/** The run's own record of who did what and what the verification saw. */
export function RunEvents({ events }: { events: RunEvent[] }) {
  return (
    <ol data-testid="run-events" className="flex flex-col gap-2 text-sm">
      {events.map((event, index) => (
        <li
          key={`${event.at}-${index}`}
          className="flex flex-col gap-0.5 border-l-2 border-slate-300 pl-3 dark:border-slate-600"
        >
          <span className="text-xs text-slate-600 dark:text-slate-400">
            <time dateTime={event.at}>{formatDateTime(event.at)}</time> · {event.actor}
          </span>
          <span className="font-medium">{LABEL[event.event] ?? event.event}</span>
          {event.detail && <span className="font-mono text-xs break-all">{event.detail}</span>}
        </li>
      ))}
    </ol>
  );
}
