/**
 * "Demo cluster" or "Live": whether the figures on screen come from a real cluster. The mode never
 * changes while the server runs, so the layout passes it down from the configuration: no status
 * request (and no live-data code in every page's JS) for a badge. Null (signed out): a blank.
 */
export function ModeBadge({ mode }: { mode: 'demo' | 'live' | null }) {
  if (!mode) {
    return <span className="inline-block h-6 w-24" aria-hidden="true" />;
  }
  const demo = mode === 'demo';
  return (
    <span
      data-testid="mode-badge"
      data-mode={mode}
      title={
        demo
          ? 'A built-in simulated cluster: break it freely'
          : 'Connected to a real UCP/DTR cluster'
      }
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-semibold ring-1 ring-inset ${
        demo
          ? 'bg-violet-100 text-violet-900 ring-violet-700/30 dark:bg-violet-900 dark:text-violet-50'
          : 'bg-emerald-100 text-emerald-900 ring-emerald-700/30 dark:bg-emerald-900 dark:text-emerald-50'
      }`}
    >
      <span
        aria-hidden="true"
        className={`size-2 rounded-full ${demo ? 'bg-violet-600' : 'bg-emerald-600'}`}
      />
      {demo ? 'Demo cluster' : 'Live'}
    </span>
  );
}
