// The browser side of /api/wizards/runs, through the one client fetch (lib/hooks/api-fetch.ts).
import type { CreateRunRequest, WizardRunView } from '@/lib/domain/wizards/run';
import { apiFetch, hasKeys } from '@/lib/hooks/api-fetch';

async function send(
  url: string,
  method: 'GET' | 'POST' | 'PATCH',
  body?: unknown,
): Promise<WizardRunView> {
  const { run } = await apiFetch<{ run: WizardRunView }>(url, {
    method,
    body,
    check: hasKeys('run'),
  });
  return run;
}

export const runUrl = (id: string) => `/api/wizards/runs/${encodeURIComponent(id)}`;

export const fetchRun = (url: string) => send(url, 'GET');
export const createRun = (request: CreateRunRequest) => send('/api/wizards/runs', 'POST', request);
export const patchRun = (
  id: string,
  patch: { step: string } | { action: 'ran' | 'verify' | 'cancel' },
) => send(runUrl(id), 'PATCH', patch);
export const applyRun = (id: string) => send(`${runUrl(id)}/apply`, 'POST', {});
