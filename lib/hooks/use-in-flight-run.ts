'use client';
// The run being verified right now, if any: no new change starts until it is finished.
import useSWR from 'swr';
import { runSubject } from '@/lib/domain/wizards/run-subject';
import type { WizardRunView } from '@/lib/domain/wizards/run';
import { apiFetch, hasKeys } from '@/lib/hooks/api-fetch';

/** The verifying run, or null; a failed read blocks nothing (the server checks again on apply). */
async function fetchVerifying(url: string): Promise<WizardRunView | null> {
  try {
    const { runs } = await apiFetch<{ runs: WizardRunView[] }>(url, { check: hasKeys('runs') });
    return runs[0] ?? null;
  } catch {
    return null;
  }
}

export function useInFlightRun(): { id: string; subject: string } | null {
  const { data } = useSWR('/api/wizards/runs?status=verifying&limit=1', fetchVerifying, {
    refreshInterval: 3000,
  });
  return data ? { id: data.id, subject: runSubject(data.state) } : null;
}
