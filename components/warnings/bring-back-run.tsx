'use client';
// The bring-back button's body (./bring-back-button.tsx): a chunk of its own, loaded only where an
// administrator sees the step on a console that runs steps. Starts the down replicas' stopped
// dtr-* containers on their nodes (POST /api/replicas/<id>/start).

import { useState } from 'react';
import { useExecuteNotice } from '@/components/layout/execute-notice';
import { buttonClass } from '@/components/ui/styles';
import { apiFetch, hasKeys } from '@/lib/hooks/api-fetch';

interface Started {
  replicaId: string;
  node: string;
  started: string[];
}

export default function BringBackRun({ replicaIds }: { replicaIds: string[] }) {
  const { show } = useExecuteNotice();
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function run() {
    setPending(true);
    setError(null);
    setDone(null);
    const said: string[] = [];
    try {
      for (const id of replicaIds) {
        const result = await apiFetch<Started>(`/api/replicas/${encodeURIComponent(id)}/start`, {
          method: 'POST',
          body: {},
          check: hasKeys('started'),
        });
        said.push(
          result.started.length > 0
            ? `Started ${result.started.join(', ')} on ${result.node}.`
            : `Replica ${id}: every container was already running.`,
        );
      }
      setDone(`${said.join(' ')} The console reads the replicas again now.`);
    } catch (failure) {
      if (said.length > 0) setDone(said.join(' '));
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setPending(false);
      // The warning, and this button with it, goes once a replica is back: say it above the page.
      if (said.length > 0) show(`Bring back: ${said.join(' ')}`);
    }
  }

  return (
    <div className="flex flex-col gap-1" data-testid="bring-back-run">
      <div>
        <button
          type="button"
          className={buttonClass.secondary}
          disabled={pending}
          onClick={() => void run()}
        >
          {pending ? 'Starting…' : 'Start them from the console'}
        </button>
      </div>
      <p role="status" className="text-xs" data-testid="bring-back-done">
        {done}
      </p>
      <p role="alert" className="text-xs font-medium" data-testid="bring-back-error">
        {error}
      </p>
    </div>
  );
}
