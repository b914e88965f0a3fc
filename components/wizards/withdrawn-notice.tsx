import Link from '@/components/ui/cluster-link';
import { planAgainHref } from '@/lib/domain/wizards/params';
import type { WizardRunView } from '@/lib/domain/wizards/run';
import { formatDateTime } from '@/lib/format';
import { StatusIcon } from '@/components/ui/status-icon';
import { panelTone } from '@/components/ui/tone';
import { linkClass } from '@/components/ui/styles';

/** In place of a withdrawn run's command: what changed, and the way back into the wizard. */
export function WithdrawnNotice({ run }: { run: WizardRunView }) {
  const withdrawn = run.withdrawn;
  return (
    <section
      aria-labelledby="run-withdrawn-title"
      data-testid="run-withdrawn"
      className={`flex flex-col gap-2 rounded-lg border-l-4 p-4 ${panelTone.warn}`}
    >
      <h2 id="run-withdrawn-title" className="flex items-center gap-2 text-lg font-semibold">
        <StatusIcon tone="warn" />
        The cluster changed since this was planned: plan again
      </h2>
      {withdrawn && (
        <p data-testid="run-withdrawn-reason" className="text-sm">
          {withdrawn.reason}
        </p>
      )}
      <p className="text-sm">
        The command is withdrawn
        {withdrawn && (
          <>
            {' '}
            (<time dateTime={withdrawn.at}>{formatDateTime(withdrawn.at)}</time>)
          </>
        )}{' '}
        so that nobody runs it on facts that no longer hold. Planning again checks the cluster as it
        is now.
      </p>
      <p>
        <Link href={planAgainHref(run.state)} data-testid="plan-again" className={linkClass.strong}>
          Plan this change again <span aria-hidden="true">→</span>
        </Link>
      </p>
    </section>
  );
}
