'use client';
// The run being verified right now, if any: no new change starts until it is finished.
import useSWR from 'swr';
import { runSubject, type WizardRunView } from '@/lib/domain/wizards';

async function fetchVerifying(url: string): Promise<WizardRunView | null> {
  const response = await fetch(url, { cache: 'no-store', headers: { accept: 'application/json' } });
  if (!response.ok) return null;
  const { runs } = (await response.json()) as { runs: WizardRunView[] };
  return runs[0] ?? null;
}

export function useInFlightRun(): { id: string; subject: string } | null {
  const { data } = useSWR('/api/wizards/runs?status=verifying&limit=1', fetchVerifying, {
    refreshInterval: 3000,
  });
  return data ? { id: data.id, subject: runSubject(data.state) } : null;
}
