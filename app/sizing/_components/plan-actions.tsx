'use client';

import { useSyncExternalStore } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import type { SizingPlan } from '@/lib/domain/sizing/types';
import { useFreshness } from './freshness';

const noSubscribe = () => () => {};

/** The page's own origin in the browser; empty on the server, so the link renders relative there. */
function useOrigin(): string {
  return useSyncExternalStore(
    noSubscribe,
    () => window.location.origin,
    () => '',
  );
}

/** The exports' code loads when a planner asks for a file, not with the page. */
async function exportPlan(plan: SizingPlan, link: string, format: 'json' | 'md'): Promise<void> {
  const { exportFileName, planToJson, planToMarkdown } = await import('@/lib/domain/sizing/export');
  const name = exportFileName(plan, format);
  if (format === 'json') download(planToJson(plan, link), name, 'application/json');
  else download(planToMarkdown(plan, link), name, 'text/markdown');
}

function download(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoke after the click has been handled, or some browsers cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const BUTTON =
  'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700';

/** Share link, JSON and Markdown export, and print. */
export function PlanActions({ plan, query }: { plan: SizingPlan; query: string }) {
  // Exports carry the absolute link, so a file handed on still opens the plan.
  const link = `${useOrigin()}/sizing?${query}`;
  // A plan that is not the plan for the form's values is never handed on as if it were.
  const { freshness } = useFreshness();
  // (While a valid change is on its way the plan and its link still agree: nothing is held.)
  const held = freshness.state === 'stale';
  const heldWhy =
    'Fix the refused input to copy, export or print the plan: the plan on screen is for the last valid input.';
  return (
    <div
      className="flex flex-wrap items-center gap-2 print:hidden"
      data-testid="plan-actions"
      data-held={held || undefined}
    >
      {held && (
        <p
          id="plan-actions-held"
          data-testid="plan-actions-held"
          className="basis-full text-sm font-medium text-orange-800 dark:text-orange-300"
        >
          {heldWhy}
        </p>
      )}
      <div className="flex items-center gap-1">
        <label htmlFor="share-link" className="sr-only">
          Link to this plan
        </label>
        <input
          id="share-link"
          data-testid="share-link"
          readOnly
          value={held ? '' : link}
          placeholder={held ? 'No link while the form has a refused input' : undefined}
          aria-describedby={held ? 'plan-actions-held' : undefined}
          onFocus={(event) => event.currentTarget.select()}
          className="w-56 truncate rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs dark:border-slate-600 dark:bg-slate-900"
        />
        {held ? (
          <button
            type="button"
            disabled
            className={`${BUTTON} opacity-50`}
            aria-describedby="plan-actions-held"
          >
            Copy link
          </button>
        ) : (
          <CopyButton text={link} label="Copy link to this plan" />
        )}
      </div>
      <button
        type="button"
        data-testid="export-json"
        disabled={held}
        aria-describedby={held ? 'plan-actions-held' : undefined}
        className={`${BUTTON} disabled:opacity-50`}
        onClick={() => void exportPlan(plan, link, 'json')}
      >
        Export JSON
      </button>
      <button
        type="button"
        data-testid="export-markdown"
        disabled={held}
        aria-describedby={held ? 'plan-actions-held' : undefined}
        className={`${BUTTON} disabled:opacity-50`}
        onClick={() => void exportPlan(plan, link, 'md')}
      >
        Export Markdown
      </button>
      <button
        type="button"
        data-testid="print-plan"
        disabled={held}
        aria-describedby={held ? 'plan-actions-held' : undefined}
        className={`${BUTTON} disabled:opacity-50`}
        onClick={() => window.print()}
      >
        Print
      </button>
    </div>
  );
}
