// The browser side of /api/wizards/runs, through the one client fetch (lib/hooks/api-fetch.ts).
import type { CreateRunRequest, WizardRunView } from '@/lib/domain/wizards/run';
import type { ExecutionLine, ExecutionRecord } from '@/lib/domain/execution/types';
import { ApiFetchError, apiFetch, hasKeys } from '@/lib/hooks/api-fetch';

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

/** EXECUTE=on: what the run page needs to offer and follow an execution (lib/server/services/execution). */
export interface ExecutionDocument {
  where: string;
  confirmation: { required: boolean; expected: string; prompt: string };
  execution: ExecutionSummary | null;
  lines: ExecutionLine[];
}
export type ExecutionSummary = Omit<ExecutionRecord, 'leaseUntil'> & { outcome: string };

export const executionUrl = (id: string) => `${runUrl(id)}/execution`;

/** null when this console does not run steps (EXECUTE is off: the API answers 404). */
export async function fetchExecution(url: string): Promise<ExecutionDocument | null> {
  try {
    return await apiFetch<ExecutionDocument>(url, { check: hasKeys('where', 'execution') });
  } catch (error) {
    if (error instanceof ApiFetchError && error.httpStatus === 404) return null;
    throw error;
  }
}

export async function executeRun(
  id: string,
  body: { password: string; confirm?: string },
): Promise<{ run: WizardRunView; execution: ExecutionSummary }> {
  return apiFetch(`${runUrl(id)}/execute`, {
    method: 'POST',
    body,
    check: hasKeys('run', 'execution'),
  });
}
