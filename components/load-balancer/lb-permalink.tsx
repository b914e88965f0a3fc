'use client';

import { CopyButton } from '@/components/ui/copy-button';

const LINK_INPUT =
  'min-w-0 flex-1 truncate rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs dark:border-slate-600 dark:bg-slate-900';

function LinkRow({
  id,
  label,
  copyLabel,
  url,
}: {
  id: string;
  label: string;
  copyLabel: string;
  url: string;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <div className="flex items-center gap-1">
        <input
          id={id}
          data-testid={id}
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
          className={LINK_INPUT}
        />
        <CopyButton text={url} label={copyLabel} />
      </div>
    </div>
  );
}

/** Two ways back to this config: the page with these settings, and the API that regenerates the file. */
export function LbPermalink({ pageUrl, apiUrl }: { pageUrl: string; apiUrl: string }) {
  return (
    <div className="flex flex-col gap-3">
      <LinkRow
        id="lb-share-link"
        label="Link to these settings"
        copyLabel="Copy link to these settings"
        url={pageUrl}
      />
      <LinkRow
        id="lb-permalink"
        label="Config API URL"
        copyLabel="Copy the config API URL"
        url={apiUrl}
      />
      <p className="text-xs text-slate-600 dark:text-slate-400">
        The API URL returns this file as text, regenerated for the replicas of the moment (it is
        also in the file&apos;s header). It needs a signed-in session, like every page here.
      </p>
    </div>
  );
}
