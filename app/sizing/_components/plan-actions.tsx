'use client';

import { useSyncExternalStore } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { exportFileName, planToJson, planToMarkdown, type SizingPlan } from '@/lib/domain/sizing';

const noSubscribe = () => () => {};

/** The page's own origin in the browser; empty on the server, so the link renders relative there. */
function useOrigin(): string {
  return useSyncExternalStore(
    noSubscribe,
    () => window.location.origin,
    () => '',
  );
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
  'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700';

/** Share link, JSON and Markdown export, and print. */
export function PlanActions({ plan, query }: { plan: SizingPlan; query: string }) {
  // Exports carry the absolute link, so a file handed on still opens the plan.
  const link = `${useOrigin()}/sizing?${query}`;
  return (
    <div className="flex flex-wrap items-center gap-2 print:hidden">
      <div className="flex items-center gap-1">
        <label htmlFor="share-link" className="sr-only">
          Link to this plan
        </label>
        <input
          id="share-link"
          data-testid="share-link"
          readOnly
          value={link}
          onFocus={(event) => event.currentTarget.select()}
          className="w-56 truncate rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs dark:border-slate-600 dark:bg-slate-900"
        />
        <CopyButton text={link} label="Copy link to this plan" />
      </div>
      <button
        type="button"
        data-testid="export-json"
        className={BUTTON}
        onClick={() =>
          download(planToJson(plan, link), exportFileName(plan, 'json'), 'application/json')
        }
      >
        Export JSON
      </button>
      <button
        type="button"
        data-testid="export-markdown"
        className={BUTTON}
        onClick={() =>
          download(planToMarkdown(plan, link), exportFileName(plan, 'md'), 'text/markdown')
        }
      >
        Export Markdown
      </button>
      <button type="button" className={BUTTON} onClick={() => window.print()}>
        Print
      </button>
    </div>
  );
}
