'use client';
// EXECUTE=on: the advice's "bring back" step run from the console, for administrators: start the
// down replicas' stopped dtr-* containers on their nodes (POST /api/replicas/<id>/start).

import { useState } from 'react';
import { useAuth } from '@/components/auth/user-context';
import { useExecuteWhere } from '@/components/layout/execute-banner';
import { buttonClass } from '@/components/ui/styles';
import { apiFetch, hasKeys } from '@/lib/hooks/api-fetch';

interface Started {
  replicaId: string;
  node: string;
  started: string[];
}

export function BringBackButton({ replicaIds }: { replicaIds: string[] }) {
  const where = useExecuteWhere();
  const { user } = useAuth();
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (where === null || user?.isAdmin !== true || replicaIds.length === 0) return null;

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
