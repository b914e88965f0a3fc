import type { WizardRunStatus, WizardRunView } from '@/lib/domain/wizards/run';
import { formatDateTime } from '@/lib/format';
import { Badge } from '@/components/ui/badge';
import type { Tone } from '@/components/ui/tone';

export const RUN_STATUS: Record<WizardRunStatus, { label: string; tone: Tone }> = {
  open: { label: 'Command ready', tone: 'info' },
  verifying: { label: 'Verifying', tone: 'warn' },
  done: { label: 'Done', tone: 'ok' },
  failed: { label: 'Failed', tone: 'bad' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  stale: { label: 'Stale', tone: 'neutral' },
  executing: { label: 'Running', tone: 'info' },
  unknown: { label: 'Outcome unknown', tone: 'warn' },
};

const KIND: Record<WizardRunView['kind'], string> = {
  remove: 'Remove wizard',
  join: 'Join wizard',
  repair: 'Emergency repair',
};

export function RunHeader({ run, title }: { run: WizardRunView; title: string }) {
  const status = RUN_STATUS[run.status];
  return (
    <div className="flex flex-col gap-1">
      <p className="text-sm font-medium text-slate-700 dark:text-slate-300">{KIND[run.kind]}</p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
        <span data-testid="run-status" data-status={run.status}>
          <Badge tone={status.tone}>{status.label}</Badge>
        </span>
      </div>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Started by {run.createdBy} at {formatDateTime(run.createdAt)} · run {run.id}
      </p>
    </div>
  );
}
