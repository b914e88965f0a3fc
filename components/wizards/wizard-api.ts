// The browser side of /api/wizards/runs: every call sends the CSRF token and turns the console's
// one error shape into an Error with its message.
import type { CreateRunRequest, WizardRunView } from '@/lib/domain/wizards';
import { apiErrorMessage, csrfHeaders } from '@/lib/hooks/api-error';

async function send(url: string, method: string, body?: unknown): Promise<WizardRunView> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      cache: 'no-store',
      headers: {
        accept: 'application/json',
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(method === 'GET' ? {} : csrfHeaders()),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new Error(
      `The console did not answer (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  if (!response.ok) throw new Error(await apiErrorMessage(response));
  return ((await response.json()) as { run: WizardRunView }).run;
}

export const runUrl = (id: string) => `/api/wizards/runs/${encodeURIComponent(id)}`;

export const fetchRun = (url: string) => send(url, 'GET');
export const createRun = (request: CreateRunRequest) => send('/api/wizards/runs', 'POST', request);
export const patchRun = (
  id: string,
  patch: { step: string } | { action: 'ran' | 'verify' | 'cancel' },
) => send(runUrl(id), 'PATCH', patch);
export const applyRun = (id: string) => send(`${runUrl(id)}/apply`, 'POST', {});
