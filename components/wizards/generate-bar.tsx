'use client';

import { useClusterHref, useClusterName } from '@/lib/hooks/cluster-url';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { CreateRunRequest } from '@/lib/domain/wizards/run';
import { useAuth } from '@/components/auth/user-context';
import { GateList } from './gate-list';
import { buttonClass } from '@/components/ui/styles';
import { useInFlightRun } from '@/lib/hooks/use-in-flight-run';
import { createRun } from './wizard-api';

/** Back, and "Generate the command": creates the run on the server and opens it. */
export function GenerateBar({
  request,
  blocked,
  onBack,
}: {
  /** null while the plan is incomplete. */
  request: CreateRunRequest | null;
  /** A block gate is open: the button stays disabled and says why. */
  blocked: boolean;
  onBack: () => void;
}) {
  const router = useRouter();
  const toCluster = useClusterHref();
  const cluster = useClusterName();
  const { user } = useAuth();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isAdmin = user?.isAdmin === true;
  const inFlight = useInFlightRun();

  async function generate() {
    if (!request) return;
    setPending(true);
    setError(null);
    try {
      const run = await createRun(request);
      router.push(toCluster(`/replicas/runs/${encodeURIComponent(run.id)}`));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setPending(false);
    }
  }

  return (
    <div className="flex flex-col gap-2">
      {inFlight && (
        <GateList
          gates={[
            {
              id: 'another-change',
              severity: 'block',
              message: `Another change is being verified: ${inFlight.subject}. Change one member at a time: let it finish, or cancel it if it will not.`,
              href: `/replicas/runs/${encodeURIComponent(inFlight.id)}`,
              hrefLabel: 'Open that run',
            },
          ]}
        />
      )}
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          data-testid="wizard-back"
          className={buttonClass.secondary}
          onClick={onBack}
        >
          <span aria-hidden="true">←</span> Back
        </button>
        <button
          type="button"
          data-testid="generate-command"
          className={buttonClass.primary}
          disabled={!isAdmin || blocked || inFlight !== null || request === null || pending}
          aria-describedby="generate-note"
          onClick={() => void generate()}
        >
          {pending ? 'Generating…' : 'Generate the command'}
        </button>
      </div>
      <p id="generate-note" className="text-sm text-slate-700 dark:text-slate-300">
        {!isAdmin
          ? cluster === null
            ? 'Only UCP administrators can generate commands; you can still check the impact.'
            : `Only UCP administrators of cluster "${cluster}" can generate its commands; you are a viewer there, and can still check the impact.`
          : blocked || inFlight
            ? 'Resolve the items marked “Stopped” first.'
            : 'The console re-checks the cluster, records the command in the audit log and saves the run, so you can resume it later.'}
      </p>
      <p
        role="alert"
        data-testid="wizard-error"
        className={error ? 'text-sm font-medium text-red-800 dark:text-red-200' : 'sr-only'}
      >
        {error}
      </p>
    </div>
  );
}
